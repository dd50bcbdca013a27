"""runtime: run a connector's handler the way AWS Lambda does (used by ``simulate`` and ``emulator``).

How it works: :class:`~c2c_cli.runtime.loader.HandlerLoader` imports a project's ``module:function`` with
its own ``sys.path``, modules and environment, restored afterwards; :func:`~c2c_cli.runtime.loader.call_handler`
calls it with a :class:`~c2c_cli.runtime.context.FakeLambdaContext` (the service's 2 s budget counting down)
and captures its log output. :mod:`~c2c_cli.runtime.targets` runs that in this process or in a worker
interpreter (``python -m c2c_cli.runtime.worker``) that is killed at the deadline, so cold starts and
timeouts are real. Nothing here knows the contract; it only runs handlers.
"""

__all__: list[str] = []

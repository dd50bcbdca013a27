"""runtime: run a connector's handler the way AWS Lambda does (used by ``simulate`` and ``emulator``).

How it works: :class:`~c2c_cli.runtime.loader.HandlerLoader` imports a project's ``module:function`` with
its own ``sys.path``, modules and environment, restored afterwards; :func:`~c2c_cli.runtime.loader.call_handler`
calls it with a :class:`~c2c_cli.runtime.context.FakeLambdaContext` (the service's 2 s budget counting down)
and captures its log output. :mod:`~c2c_cli.runtime.targets` runs that in this process (``inprocess``) or
in a worker interpreter (``python -m c2c_cli.runtime.worker``, driven by ``subprocess_target``) that is
killed at the deadline and never outlives its parent, so cold starts and timeouts are real.
:mod:`~c2c_cli.runtime.delivery` is the service's one invocation-with-retries loop (contract.md §2.1) and
its :class:`~c2c_cli.runtime.delivery.Attempt`; :mod:`~c2c_cli.runtime.failures` turns a handler that
does not import into one error at its file and line. Nothing here knows the rest of the contract.
"""

__all__: list[str] = []

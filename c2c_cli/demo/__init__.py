"""``c2c demo``: the whole offline lifecycle of a connector on embedded defaults.

How it works: :func:`run_demo` starts ``c2c sandbox`` (a vendor cloud with auto-consent) and
``c2c emulator`` (the service plus moto, with the new project attached as its Lambda function) as real
processes, then runs the commands a developer would: ``c2c init``, ``c2c oauth login``, ``c2c simulate``
of all four operations, ``c2c test``, ``c2c register``, ``c2c link`` (account linking, discovery, managed
things), a customer command and a physical change that comes back as a ``DEVICE_EVENT``, and
``c2c unregister``. Where a browser would follow the authorization URL, the demo follows it itself
(:func:`~c2c_cli.demo.processes.visit`). Every server is stopped on the way out, success or not.
``c2c demo --auth general`` runs a short General Authorization leg instead (``demo.general``): the
general-auth template, the vendor API key as a secret, ``c2c link --material`` without a browser, and
a customer command.
"""

from c2c_cli.demo.lifecycle import DemoResult, Step, run_demo
from c2c_cli.demo.processes import CommandFailed

__all__ = ["CommandFailed", "DemoResult", "Step", "run_demo"]

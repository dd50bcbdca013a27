"""A local managed-integrations endpoint that an unmodified boto3 client talks to.

How it works, in three layers (each imports only the layers below it; a test enforces it)::

    operations  ->  driver  ->  http

- ``http/`` is the wire and the state under it, and knows no operation: a werkzeug WSGI app
  (``app``) on 127.0.0.1 speaks the service's rest-json protocol. Each request is SigV4-verified
  (``sigv4``), routed by the model's ``requestUri`` templates (``routes``), optionally faulted
  (``faults``), parsed, and handed to a ``backend.Backend``; errors go out as rest-json errors botocore
  parses into the right ``ClientError`` (``errors``). ``admin`` serves ``/_emulator/`` (event and
  request logs, the OAuth callback, Function URLs), ``client`` talks to it from other processes.
  ``settings`` and ``store`` (sqlite: resources, idempotency records, the logs) sit here because
  every layer reads them.
- ``driver/`` drives the connector: ``invoker`` runs a Lambda function's code (``functions``: an
  attached project or moto's zip) in a worker process with the service's budget and retries;
  ``lifecycle`` invokes an association's connector with fresh credentials (``credentials``) and
  applies accepted events through the handler registry it is given.
- ``operations/`` is the service: one module per resource (``connectors``, ``associations``,
  ``linking``, ``discovery``, ``things``, ``commands``, ``events``), both handler tables in ``table``,
  the backend in ``service``, and the running :class:`Emulator` (plus moto's server) in ``emulator``.

See docs/emulator.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from c2c_cli.lazy import exports

if TYPE_CHECKING:
    from c2c_cli.emulator.driver.functions import parse_env, project_attachment
    from c2c_cli.emulator.driver.template import parse_parameters
    from c2c_cli.emulator.http.client import EmulatorClient, locate
    from c2c_cli.emulator.http.errors import EmulatorError
    from c2c_cli.emulator.http.settings import (
        DEFAULT_ACCOUNT,
        DEFAULT_REGION,
        SECOND_ACCOUNT,
        Account,
        ConnectorAttachment,
        EmulatorSettings,
        c2c_home,
        default_db_path,
        load_accounts,
        state_file_path,
    )
    from c2c_cli.emulator.http.store import reset_database
    from c2c_cli.emulator.operations.emulator import Emulator, serve, start_emulator

# Names load on first use: the connector's worker process imports ``driver.entry`` and must not pay
# for the whole emulator (its cold start counts against the invocation budget).
_EXPORTS = {
    "parse_env": "driver.functions",
    "project_attachment": "driver.functions",
    "parse_parameters": "driver.template",
    "EmulatorClient": "http.client",
    "locate": "http.client",
    "EmulatorError": "http.errors",
    "DEFAULT_ACCOUNT": "http.settings",
    "DEFAULT_REGION": "http.settings",
    "SECOND_ACCOUNT": "http.settings",
    "Account": "http.settings",
    "ConnectorAttachment": "http.settings",
    "EmulatorSettings": "http.settings",
    "c2c_home": "http.settings",
    "default_db_path": "http.settings",
    "load_accounts": "http.settings",
    "state_file_path": "http.settings",
    "reset_database": "http.store",
    "Emulator": "operations.emulator",
    "serve": "operations.emulator",
    "start_emulator": "operations.emulator",
}


__getattr__ = exports(__name__, _EXPORTS)


__all__ = [
    "DEFAULT_ACCOUNT",
    "DEFAULT_REGION",
    "SECOND_ACCOUNT",
    "Account",
    "ConnectorAttachment",
    "Emulator",
    "EmulatorClient",
    "EmulatorError",
    "EmulatorSettings",
    "c2c_home",
    "default_db_path",
    "load_accounts",
    "locate",
    "parse_env",
    "parse_parameters",
    "project_attachment",
    "reset_database",
    "serve",
    "start_emulator",
    "state_file_path",
]

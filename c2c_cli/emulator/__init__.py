"""A local managed-integrations endpoint that an unmodified boto3 client talks to.

How it works: a werkzeug WSGI server on 127.0.0.1 speaks the service's rest-json protocol. Each request
is SigV4-verified (botocore's signer recomputes the signature; ``sigv4``), routed by the model's
``requestUri`` templates (``routes``), optionally faulted (``faults``), turned into boto3-style
parameters, validated against the model with the contract package, and handed to an operation handler
(``connectors``, ``associations``, ``events``) that reads and writes sqlite (``store``). Errors go out as
rest-json errors botocore parses into the right ``ClientError`` (``apierrors``). moto's server runs
alongside for Lambda, Secrets Manager, IAM and STS (``server``). ``/_emulator/`` endpoints expose the
event and request logs (``admin``). See docs/emulator.md.
"""

from __future__ import annotations

from c2c_cli.emulator.apierrors import EmulatorError
from c2c_cli.emulator.client import EmulatorClient, locate
from c2c_cli.emulator.functions import parse_env, project_attachment
from c2c_cli.emulator.server import Emulator, serve, start_emulator
from c2c_cli.emulator.settings import (
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
from c2c_cli.emulator.store import reset_database

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
    "project_attachment",
    "reset_database",
    "serve",
    "start_emulator",
    "state_file_path",
]

"""Fixtures: a real emulator + moto on 127.0.0.1, an isolated AWS environment, and connector projects.

moto keeps its state per process (all moto servers of a test run share it), so every project gets a
unique connector name and Lambda function.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.emulator import Emulator, EmulatorSettings, start_emulator

CLIENT_SECRET = "acme-client-secret-DO-NOT-PRINT-123"  # a test value; tests assert it never leaks
SECRET_ENV = "ACME_TEST_CLIENT_SECRET"

CONFIG = """\
connector:
  name: {name}
  description: Acme test cloud
oauth:
  authorization_url: https://auth.acme.example/oauth/authorize
  token_url: https://auth.acme.example/oauth/token
  client_id: acme-client-id
  client_secret_env: {env}
  scopes: [{scopes}]
  complete_redirect_url: https://app.acme.example/linked
aws:
  region: us-east-1
"""


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    """One emulator with moto per test module."""
    with start_emulator(EmulatorSettings(port=0, db=":memory:", with_moto=True)) as emulator:
        yield emulator


def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, emulator: Emulator) -> None:
    """Point boto3 at ``emulator`` only: no real profile, no IMDS, the emulator's test keys."""
    import os

    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    empty = tmp_path / "aws-empty"
    empty.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv(SECRET_ENV, CLIENT_SECRET)
    monkeypatch.setenv("COLUMNS", "200")
    for name, value in emulator.client_env().items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, emu: Emulator) -> Emulator:
    """The environment of a developer whose AWS is the emulator."""
    isolated_env(monkeypatch, tmp_path, emu)
    return emu


def boto(emulator: Emulator, service: str, region: str | None = None) -> Any:
    """A boto3 client of the emulator's default account (to inspect state, not under test)."""
    url = emulator.endpoint_url if service == "iot-managed-integrations" else emulator.aws_endpoint_url
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=region or emulator.region,
        aws_access_key_id=emulator.account.access_key_id,
        aws_secret_access_key=emulator.account.secret_access_key,
    )


def create_function(emulator: Emulator, name: str, region: str | None = None) -> str:
    """A Lambda function in moto (never executed: register only needs it to exist)."""
    iam = boto(emulator, "iam", region)
    role_name = f"role-{name}"
    role = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17"}))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("handler.py", "def lambda_handler(event, context):\n    return {}\n")
    made = boto(emulator, "lambda", region).create_function(
        FunctionName=name,
        Runtime="python3.11",
        Role=role["Role"]["Arn"],
        Handler="handler.lambda_handler",
        Code={"ZipFile": buf.getvalue()},
    )
    return str(made["FunctionArn"])


def write_project(directory: Path, name: str, scopes: str = "devices.read, devices.write") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "c2c.yaml").write_text(CONFIG.format(name=name, env=SECRET_ENV, scopes=scopes))
    return directory


@pytest.fixture
def make_project(tmp_path: Path, emu: Emulator) -> Callable[..., Path]:
    """``make_project(with_function=True, scopes=...)`` → a project dir named after its connector."""

    def make(with_function: bool = True, scopes: str = "devices.read, devices.write") -> Path:
        name = f"acme-{uuid.uuid4().hex[:10]}"
        if with_function:
            create_function(emu, name)
        return write_project(tmp_path / name, name, scopes)

    return make


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    """A connector project whose Lambda exists in moto (the directory name is the connector name)."""
    return make_project()


@pytest.fixture
def aws() -> Callable[..., Any]:
    """``aws(emulator, service, region=None)`` → an inspection client."""
    return boto


@pytest.fixture
def inventory() -> Callable[[Emulator, str], dict[str, Any]]:
    """``inventory(emulator, connector_name)`` → what exists (see :func:`read_inventory`)."""
    return read_inventory


@pytest.fixture
def c2c() -> Callable[..., Any]:
    """``c2c(*args)`` → the CliRunner result (stdout and stderr separate)."""
    runner = CliRunner()

    def run(*args: str, **kwargs: Any) -> Any:
        return runner.invoke(app, list(args), **kwargs)

    return run


def read_inventory(emulator: Emulator, name: str) -> dict[str, Any]:
    """Everything that exists for connector ``name``, read from the emulator and moto."""
    iot, lam, sm, kms = (
        boto(emulator, s) for s in ("iot-managed-integrations", "lambda", "secretsmanager", "kms")
    )
    connectors = [c for c in iot.list_cloud_connectors()["Items"] if c["Name"] == name]
    destinations = [
        d
        for c in connectors
        for d in iot.list_connector_destinations(CloudConnectorId=c["Id"])["ConnectorDestinationList"]
    ]
    try:
        statements = json.loads(lam.get_policy(FunctionName=name)["Policy"])["Statement"]
    except lam.exceptions.ResourceNotFoundException:
        statements = []
    secrets = [s for s in sm.list_secrets()["SecretList"] if s["Name"] == f"c2c/{name}/oauth-client"]
    aliases = [a for a in kms.list_aliases()["Aliases"] if a["AliasName"] == f"alias/c2c/{name}"]
    return {
        "connectors": connectors,
        "destinations": destinations,
        "statements": [s for s in statements if s.get("Sid") == "c2c-iotmanagedintegrations-invoke"],
        "secrets": secrets,
        "aliases": aliases,
    }


@pytest.fixture
def point_at(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[Emulator], None]:
    """``point_at(emulator)`` → the environment now targets that emulator (e.g. one with faults)."""
    return lambda emulator: isolated_env(monkeypatch, tmp_path, emulator)


@pytest.fixture
def function_in() -> Callable[..., str]:
    """``function_in(emulator, name, region=None)`` → creates a Lambda function in moto."""
    return create_function

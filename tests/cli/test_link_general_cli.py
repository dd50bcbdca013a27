"""``c2c link --material`` for General Authorization against a real emulator, sandbox and template connector.

No browser and no end user: the association names an auth material of the destination, the emulator
activates the user with the material's secret, and the CLI discovers (and with ``--things`` onboards).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.emulator import EmulatorSettings, start_emulator
from c2c_cli.sandbox import SandboxSettings, start_sandbox

FUNCTION = "acme-ga-link"


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    from c2c_cli.scaffold import render_project

    project = tmp_path_factory.mktemp("ga-link") / FUNCTION
    with (
        start_sandbox(
            SandboxSettings(port=0, db=":memory:", users=("alice", "bob"), devices_per_user=2)
        ) as sb,
        start_emulator(EmulatorSettings(port=0, db=":memory:", with_moto=True)) as emu,
    ):
        render_project("general-auth", project, name=FUNCTION, vendor_url=sb.base_url)
        emu.attach_connector(FUNCTION, project, env={"VENDOR_API_URL": sb.base_url})
        yield sb, emu


@pytest.fixture
def env(servers: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[Any, Any]:
    sb, emu = servers
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    (tmp_path / "empty").write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "empty"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "empty"))
    monkeypatch.chdir(tmp_path)
    for name, value in emu.client_env().items():
        monkeypatch.setenv(name, value)
    return sb, emu


def _destination(sb: Any, emu: Any, users: dict[str, str]) -> str:
    """A General Authorization destination with one auth material per ``{material: sandbox user}``."""
    sm, iot = boto3.client("secretsmanager"), boto3.client("iot-managed-integrations")
    materials = []
    for material, user in users.items():
        secret = {"api_key": str(sb.info["api_key"]), "user_id": sb.user_id(user)}
        made = sm.create_secret(Name=f"ga-{uuid.uuid4().hex[:8]}", SecretString=json.dumps(secret))
        ref = {"arn": made["ARN"], "versionId": made["VersionId"]}
        materials.append({"AuthMaterialName": material, "SecretsManager": ref})
    arn = f"arn:aws:lambda:{emu.region}:{emu.account.account_id}:function:{FUNCTION}"
    name = f"ga-{uuid.uuid4().hex[:8]}"
    cid = iot.create_cloud_connector(Name=name, EndpointConfig={"lambda": {"arn": arn}})["Id"]
    return str(
        iot.create_connector_destination(
            CloudConnectorId=cid, AuthConfig={"GeneralAuthorization": materials}
        )["Id"]
    )


def _link(*args: str) -> Any:
    return CliRunner().invoke(app, ["link", "--no-browser", "--poll-interval", "0.05", *args])


def test_link_with_a_material_activates_discovers_and_onboards(env: tuple[Any, Any]) -> None:
    sb, emu = env
    did = _destination(sb, emu, {"alice-key": "alice", "bob-key": "bob"})
    result = _link("--destination", did, "--material", "bob-key", "--things", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["association"]["state"] == "ASSOCIATION_SUCCEEDED"
    assert data["discovery"]["status"] == "SUCCEEDED"
    bob = sorted(d["id"] for d in sb.devices_of(sb.user_id("bob")))
    assert sorted(d["connector_device_id"] for d in data["devices"]) == bob
    assert all(d["managed_thing_id"] for d in data["devices"])
    assert "Open this URL" not in result.stderr  # no browser step
    assert str(sb.info["api_key"]) not in result.stdout + result.stderr


def test_a_single_material_needs_no_flag(env: tuple[Any, Any]) -> None:
    sb, emu = env
    did = _destination(sb, emu, {"only-key": "alice"})
    result = _link("--destination", did, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["association"]["state"] == "ASSOCIATION_SUCCEEDED"


def test_two_materials_without_material_is_a_usage_error_listing_them(env: tuple[Any, Any]) -> None:
    sb, emu = env
    did = _destination(sb, emu, {"alice-key": "alice", "bob-key": "bob"})
    result = _link("--destination", did)
    assert result.exit_code == 2
    assert "alice-key, bob-key" in result.stderr and "--material" in result.stderr
    assert "Traceback" not in result.stderr
    assert (
        boto3.client("iot-managed-integrations").list_account_associations(ConnectorDestinationId=did)[
            "Items"
        ]
        == []
    )


def test_an_unknown_material_is_a_usage_error(env: tuple[Any, Any]) -> None:
    sb, emu = env
    did = _destination(sb, emu, {"alice-key": "alice"})
    result = _link("--destination", did, "--material", "nope")
    assert result.exit_code == 2
    assert "'nope'" in result.stderr and "alice-key" in result.stderr

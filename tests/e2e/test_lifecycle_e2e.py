"""The whole service on a laptop: sandbox + emulator (with moto) + a freshly generated template connector.

``c2c init``'s renderer writes the oauth2 template, the emulator plays its Lambda function (as
``c2c emulator start --connector DIR`` does, which also creates the function in moto), ``c2c register``
registers it, and a plain boto3 customer script links an account (the fake browser signs in on the
sandbox page), discovers devices, creates and registers managed things, turns a light on and watches its
state, sees a device event after ``c2c sandbox poke``, and deletes the association, after which the
sandbox says the tokens are dead (``AWS.DeactivateUser`` revoked them).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.emulator import Emulator, EmulatorSettings, start_emulator
from c2c_cli.sandbox import Sandbox, SandboxSettings, start_sandbox
from c2c_cli.sandbox.browser import login_and_consent

NAME = "acme-e2e"
ON_OFF = {"id": "matter.OnOff@1.4", "name": "OnOff", "version": "1"}


def wait_for(probe: Callable[[], Any], timeout: float = 15.0) -> Any:
    """Poll until ``probe`` returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


@pytest.fixture
def stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Sandbox, Emulator]]:
    """A sandbox, and an emulator with moto; the environment points boto3 at them (test keys only)."""
    import os

    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    (tmp_path / "aws-empty").write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-empty"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-empty"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("C2C_HOME", str(tmp_path / "home"))
    with (
        start_sandbox(SandboxSettings(port=0, devices_per_user=4)) as sb,
        start_emulator(EmulatorSettings(port=0, db=":memory:", with_moto=True)) as emu,
    ):
        for name, value in emu.client_env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("VENDOR_CLIENT_SECRET", sb.info["client_secret"])
        yield sb, emu


def _register(project: Path) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["register", "--project", str(project), "--yes", "--json"])
    assert result.exit_code == 0, result.stderr
    return dict(json.loads(result.stdout)["state"])


def _link(client: Any, destination_id: str) -> str:
    """Customer: create the association; end user: sign in and consent; browser: follow to the service."""
    created = client.create_account_association(ConnectorDestinationId=destination_id)
    location = login_and_consent(created["OAuthAuthorizationUrl"], "alice", "alice-password")
    assert requests.get(location, allow_redirects=False, timeout=30).status_code == 200
    aid = created["AccountAssociationId"]
    state = client.get_account_association(AccountAssociationId=aid)["AssociationState"]
    assert state == "ASSOCIATION_SUCCEEDED"
    return str(aid)


def _discover_and_onboard(client: Any, aid: str) -> tuple[str, dict[str, str]]:
    did = client.start_device_discovery(DiscoveryType="CLOUD", AccountAssociationId=aid)["Id"]
    wait_for(lambda: client.get_device_discovery(Identifier=did)["Status"] == "SUCCEEDED")
    things = {}
    for device in client.list_discovered_devices(Identifier=did)["Items"]:
        tid = client.create_managed_thing(
            Role="DEVICE",
            AuthenticationMaterial=device["AuthenticationMaterial"],
            AuthenticationMaterialType="DISCOVERED_DEVICE",
        )["Id"]
        client.register_account_association(
            ManagedThingId=tid, AccountAssociationId=aid, DeviceDiscoveryId=did
        )
        things[device["ConnectorDeviceId"]] = tid
    return did, things


def _properties(client: Any, tid: str, capability: str) -> dict[str, Any]:
    for endpoint in client.get_managed_thing_state(ManagedThingId=tid)["Endpoints"]:
        for cap in endpoint["capabilities"]:
            if cap["id"] == capability:
                return dict(cap.get("properties") or {})
    return {}


def _introspect(sb: Sandbox, token: str) -> bool:
    info = sb.info
    answer = requests.post(
        info["introspect_url"],
        data={"token": token},
        auth=(info["client_id"], info["client_secret"]),
        timeout=10,
    )
    return bool(answer.json()["active"])


def test_customer_script_runs_the_whole_lifecycle(stack: tuple[Sandbox, Emulator], tmp_path: Path) -> None:
    from c2c_cli.scaffold import render_project

    sb, emu = stack
    project = tmp_path / NAME
    render_project("oauth2", project, name=NAME, vendor_url=sb.base_url)
    env = {"VENDOR_API_URL": sb.base_url, "VENDOR_CLIENT_ID": sb.info["client_id"]}
    emu.attach_connector(NAME, project, env=env)  # = c2c emulator start --connector: also "deploys" to moto
    state = _register(project)
    env["VENDOR_CLIENT_SECRET_ARN"] = state["secret_arn"]  # the registered secret, for token revocation
    assert emu.attach_connector(NAME, project, env=env)  # local code + the Function URL for the webhook

    client = boto3.client("iot-managed-integrations")  # the customer's plain boto3 client
    aid = _link(client, state["destination_id"])
    _, things = _discover_and_onboard(client, aid)
    devices = {d["id"]: d for d in sb.devices_of(sb.user_id("alice"))}
    light = next(i for i in things if "on" in devices[i]["state"] and devices[i]["state"]["on"] is False)

    endpoints = [{"endpointId": "1", "capabilities": [{**ON_OFF, "actions": [{"name": "On"}]}]}]
    client.send_managed_thing_command(ManagedThingId=things[light], Endpoints=endpoints)
    wait_for(lambda: _properties(client, things[light], "matter.OnOff@1.4").get("OnOff") is True)
    assert sb.device(light)["state"]["on"] is True

    result = CliRunner().invoke(
        app, ["sandbox", "poke", light, "on=false", "--url", sb.base_url, "--admin-key", sb.admin_key]
    )
    assert result.exit_code == 0, result.stderr
    wait_for(lambda: _properties(client, things[light], "matter.OnOff@1.4").get("OnOff") is False)
    assert any(e.get("operation") == "DEVICE_EVENT" and e["verdict"] == "accepted" for e in emu.events())

    tokens = emu.service.store.get("account-association", aid)[1]["_tokens"]  # what the service holds
    assert _introspect(sb, tokens["access_token"]) and _introspect(sb, tokens["refresh_token"])
    client.delete_account_association(AccountAssociationId=aid)
    assert not _introspect(sb, tokens["access_token"])
    assert not _introspect(sb, tokens["refresh_token"])
    assert client.list_managed_things()["Items"] == []
    log = json.dumps(emu.events())
    assert tokens["access_token"] not in log and tokens["refresh_token"] not in log

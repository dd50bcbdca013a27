"""``c2c link`` against a real emulator + sandbox: the CLI plays the customer, the test plays the end user."""

from __future__ import annotations

import json
import os
import shlex
import threading
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.emulator import EmulatorSettings, start_emulator
from c2c_cli.sandbox import SandboxSettings, start_sandbox
from c2c_cli.sandbox.browser import login_and_consent

FIXTURE = Path(__file__).parents[1] / "integration" / "lifecycle" / "fixture_connector"
MANY = Path(__file__).parents[1] / "fixtures" / "many_devices"


@pytest.fixture(scope="module")
def servers():
    with (
        start_sandbox(SandboxSettings(port=0, devices_per_user=2)) as sb,
        start_emulator(EmulatorSettings(port=0, db=":memory:", with_moto=True)) as emu,
    ):
        yield sb, emu


@pytest.fixture
def env(servers, monkeypatch, tmp_path):
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


def _destination(sb, emu, devices=None):
    function = f"link-{uuid.uuid4().hex[:8]}"
    info = sb.info
    secret = boto3.client("secretsmanager").create_secret(
        Name=function,
        SecretString=json.dumps({"clientId": info["client_id"], "clientSecret": info["client_secret"]}),
    )
    iot = boto3.client("iot-managed-integrations")
    arn = f"arn:aws:lambda:{emu.region}:{emu.account.account_id}:function:{function}"
    cid = iot.create_cloud_connector(Name=function, EndpointConfig={"lambda": {"arn": arn}})["Id"]
    oauth = {
        "authUrl": info["authorize_url"],
        "tokenUrl": info["token_url"],
        "tokenEndpointAuthenticationScheme": "HTTP_BASIC",
    }
    did = iot.create_connector_destination(
        CloudConnectorId=cid,
        AuthConfig={"oAuth": oauth},
        SecretsManager={"arn": secret["ARN"], "versionId": secret["VersionId"]},
    )["Id"]
    env = {"VENDOR_API_URL": sb.base_url, "FIXTURE_CLIENT_SECRET": info["client_secret"]}
    if devices is None:
        emu.attach_connector(
            function, FIXTURE, handler="lifecycle_fixture:handler", webhook_handler=None, env=env
        )
    else:
        env["FIXTURE_DEVICES"] = str(devices)
        emu.attach_connector(function, MANY, handler="many_devices:handler", webhook_handler=None, env=env)
    return did


def _end_user(did, consent=True, timeout=20.0):
    """Wait for the CLI's association, then sign in on the sandbox page and follow the redirect."""
    iot = boto3.client("iot-managed-integrations")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = iot.list_account_associations(ConnectorDestinationId=did)["Items"]
        if items:
            url = iot.get_account_association(AccountAssociationId=items[0]["AccountAssociationId"])[
                "OAuthAuthorizationUrl"
            ]
            requests.get(login_and_consent(url, "alice", "alice-password", consent=consent), timeout=30)
            return
        time.sleep(0.05)


def _run_with_user(args, did, consent=True):
    results = []
    thread = threading.Thread(target=lambda: results.append(CliRunner().invoke(app, args)))
    thread.start()
    _end_user(did, consent)
    thread.join(60)
    return results[0]


def test_link_discovers_and_onboards_devices(env):
    sb, emu = env
    did = _destination(sb, emu)
    args = ["link", "--destination", did, "--no-browser", "--things", "--json", "--poll-interval", "0.05"]
    result = _run_with_user(args, did)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["association"]["state"] == "ASSOCIATION_SUCCEEDED"
    assert data["discovery"]["status"] == "SUCCEEDED"
    assert sorted(d["connector_device_id"] for d in data["devices"]) == ["lamp-1", "lamp-2"]
    assert all(d["managed_thing_id"] for d in data["devices"])
    assert "Open this URL" in result.stderr


def test_denied_link_exits_with_the_auth_code(env):
    sb, emu = env
    did = _destination(sb, emu)
    result = _run_with_user(
        ["link", "--destination", did, "--no-browser", "--poll-interval", "0.05"], did, consent=False
    )
    assert result.exit_code == 4
    assert "ASSOCIATION_FAILED" in result.stderr
    assert result.stdout == ""


def test_link_without_a_destination_is_a_usage_error(env):
    result = CliRunner().invoke(app, ["link", "--no-browser"])
    assert result.exit_code == 2
    assert "no connector destination" in result.stderr


def test_link_prints_a_table_and_reuses_an_association(env):
    sb, emu = env
    did = _destination(sb, emu)
    first = _run_with_user(
        ["link", "--destination", did, "--no-browser", "--json", "--poll-interval", "0.05"], did
    )
    aid = json.loads(first.stdout)["association"]["id"]
    again = CliRunner().invoke(app, ["link", "--association", aid, "--no-browser", "--poll-interval", "0.05"])
    assert again.exit_code == 0, again.stderr
    assert "lamp-1" in again.stdout and "NO_CHANGE" in again.stdout
    assert f"Linked {aid}: 2 device(s)." in again.stderr
    assert "Open this URL" not in again.stderr  # already linked: nothing for the end user to do


def test_the_printed_next_step_onboards_the_devices(env):
    # issue 13 §7: the hint was 'c2c link --things', which finds no destination outside a project
    sb, emu = env
    did = _destination(sb, emu)
    first = _run_with_user(["link", "--destination", did, "--no-browser", "--poll-interval", "0.05"], did)
    assert first.exit_code == 0, first.stderr
    argv = shlex.split(first.stderr.split("Next: ", 1)[1])
    assert argv[:2] == ["c2c", "link"] and "--things" in argv

    step = CliRunner().invoke(app, [*argv[1:], "--no-browser", "--json", "--poll-interval", "0.05"])

    assert step.exit_code == 0, step.stderr
    assert all(d["managed_thing_id"] for d in json.loads(step.stdout)["devices"])


def test_link_follows_every_page_of_discovered_devices(env):
    # issue 16 item 5: 250 devices are three ListDiscoveredDevices pages of the default 100.
    sb, emu = env
    did = _destination(sb, emu, devices=250)
    seen = max((r["seq"] for r in emu.requests()), default=0)
    args = ["link", "--destination", did, "--no-browser", "--things", "--json", "--poll-interval", "0.05"]
    result = _run_with_user(args, did)
    assert result.exit_code == 0, result.stderr
    devices = json.loads(result.stdout)["devices"]
    ids = [d["connector_device_id"] for d in devices]
    assert sorted(ids) == [f"lamp-{n:05d}" for n in range(250)]  # each once
    assert len({d["managed_thing_id"] for d in devices}) == 250
    pages = [r for r in emu.requests(after=seen) if r["operation"] == "ListDiscoveredDevices"]
    assert [r["http_status"] for r in pages] == [200, 200, 200]

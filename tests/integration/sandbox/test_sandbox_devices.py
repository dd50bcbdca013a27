"""The device API over real HTTP: pagination, scoping, commands, webhooks, API keys, persistence."""

from __future__ import annotations

import dataclasses

import pytest
import requests

from c2c_cli.errors import UsageError
from c2c_cli.sandbox import SandboxSettings, start_sandbox
from c2c_cli.sandbox.events import verify_signature


def _get(sb, path, token, **kw):
    return requests.get(f"{sb.base_url}{path}", headers={"Authorization": f"Bearer {token}"}, **kw)


def _command(sb, token, device_id, body, key=None):
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return requests.post(f"{sb.base_url}/v1/devices/{device_id}/commands", json=body, headers=headers)


def _hook(sb, url, token=None, api_key=None):
    headers = {"X-Api-Key": api_key} if api_key else {"Authorization": f"Bearer {token}"}
    response = requests.post(f"{sb.base_url}/v1/webhooks", json={"url": url}, headers=headers)
    assert response.status_code == 201
    return response.json()


def _of_kind(sb, user, kind):
    return next(d for d in sb.devices_of(sb.user_id(user)) if d["kind"] == kind)


def test_pagination_covers_10000_devices_exactly_once(make_sandbox, flow):
    sb = make_sandbox(users=("alice", "bob"), devices_per_user=10_000)
    _, token = flow.linked(sb)
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        page = _get(sb, "/v1/devices", token["access_token"], params=params).json()
        seen.extend(d["id"] for d in page["devices"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 10_000
    assert len(set(seen)) == 10_000
    assert set(seen) == {d["id"] for d in sb.devices_of(sb.user_id("alice"))}


def test_bad_limit_and_cursor_are_400(sandbox, flow):
    _, token = flow.linked(sandbox)
    assert _get(sandbox, "/v1/devices", token["access_token"], params={"limit": 0}).status_code == 400
    assert _get(sandbox, "/v1/devices", token["access_token"], params={"cursor": "%%%"}).status_code == 400


def test_device_list_is_scoped_to_the_token_user(sandbox, flow):
    _, token = flow.linked(sandbox, "bob")
    devices = _get(sandbox, "/v1/devices", token["access_token"]).json()["devices"]
    assert {d["owner_user_id"] for d in devices} == {sandbox.user_id("bob")}
    assert len(devices) == 5


def test_another_users_device_is_404(sandbox, flow):
    _, token = flow.linked(sandbox, "alice")
    bobs = sandbox.devices_of(sandbox.user_id("bob"))[0]["id"]
    response = _get(sandbox, f"/v1/devices/{bobs}", token["access_token"])
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert _command(sandbox, token["access_token"], bobs, {"command": "on"}).status_code == 404


def test_me_returns_user_id(sandbox, flow):
    _, token = flow.linked(sandbox, "bob")
    assert _get(sandbox, "/v1/me", token["access_token"]).json() == {"user_id": sandbox.user_id("bob")}


def test_command_changes_state_and_fires_signed_webhook(sandbox, flow, receiver):
    _, token = flow.linked(sandbox)
    hook = _hook(sandbox, receiver.url, token["access_token"])
    light = _of_kind(sandbox, "alice", "dimmable_light")
    accepted = _command(
        sandbox,
        token["access_token"],
        light["id"],
        {"command": "set_brightness", "params": {"brightness": 42}},
    )
    assert accepted.status_code == 202
    command_id = accepted.json()["command_id"]
    assert sandbox.wait_idle()
    assert (
        _get(sandbox, f"/v1/devices/{light['id']}", token["access_token"]).json()["state"]["brightness"] == 42
    )
    assert _get(sandbox, f"/v1/commands/{command_id}", token["access_token"]).json()["status"] == "applied"
    ((headers, body),) = receiver.received
    event = receiver.events()[0]
    assert event["command_id"] == command_id
    assert event["cause"] == "command"
    assert event["changed"] == ({"brightness": 42} if light["state"]["brightness"] != 42 else {})
    assert verify_signature(
        hook["secret"], headers["X-Sandbox-Timestamp"], body, headers["X-Sandbox-Signature"]
    )
    assert not verify_signature("wrong", headers["X-Sandbox-Timestamp"], body, headers["X-Sandbox-Signature"])


def test_idempotency_key_applies_once(sandbox, flow):
    _, token = flow.linked(sandbox)
    plug = _of_kind(sandbox, "alice", "plug")
    first = _command(sandbox, token["access_token"], plug["id"], {"command": "toggle"}, key="k-1")
    again = _command(sandbox, token["access_token"], plug["id"], {"command": "toggle"}, key="k-1")
    assert first.json()["command_id"] == again.json()["command_id"]
    assert sandbox.wait_idle()
    assert sandbox.device(plug["id"])["state"]["on"] is (not plug["state"]["on"])  # toggled once, not twice


def test_idempotency_key_reused_for_other_command_is_409(sandbox, flow):
    _, token = flow.linked(sandbox)
    plug = _of_kind(sandbox, "alice", "plug")
    _command(sandbox, token["access_token"], plug["id"], {"command": "on"}, key="k-2")
    assert (
        _command(sandbox, token["access_token"], plug["id"], {"command": "off"}, key="k-2").status_code == 409
    )


def test_invalid_commands_are_400(sandbox, flow):
    _, token = flow.linked(sandbox)
    light = _of_kind(sandbox, "alice", "on_off_light")
    unknown = _command(
        sandbox,
        token["access_token"],
        light["id"],
        {"command": "set_brightness", "params": {"brightness": 5}},
    )
    assert unknown.status_code == 400
    assert unknown.json()["error"] == "invalid_command"
    dimmer = _of_kind(sandbox, "alice", "dimmable_light")
    bad = _command(
        sandbox,
        token["access_token"],
        dimmer["id"],
        {"command": "set_brightness", "params": {"brightness": 101}},
    )
    assert bad.status_code == 400


def test_read_only_scope_cannot_command(sandbox, flow):
    session = flow.session(sandbox, scope=["devices:read"])
    token = flow.fetch_token(sandbox, session, flow.authorize(sandbox, session))
    plug = _of_kind(sandbox, "alice", "plug")
    response = _command(sandbox, token["access_token"], plug["id"], {"command": "on"})
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"


def test_poke_fires_physical_webhook(make_sandbox, flow, receiver):
    sb = make_sandbox(devices_per_user=11)
    _, token = flow.linked(sb)
    _hook(sb, receiver.url, token["access_token"])
    sensor = _of_kind(sb, "alice", "contact_sensor")
    sb.poke(sensor["id"], {"open": not sensor["state"]["open"]})
    assert sb.wait_idle()
    event = receiver.events()[0]
    assert (event["cause"], event["device_id"], event["command_id"]) == ("physical", sensor["id"], None)
    assert event["changed"] == {"open": not sensor["state"]["open"]}
    assert event["user_id"] == sb.user_id("alice")


def test_webhooks_only_see_the_owners_devices(sandbox, flow, receiver):
    _, token = flow.linked(sandbox, "bob")
    _hook(sandbox, receiver.url, token["access_token"])
    alices = sandbox.devices_of(sandbox.user_id("alice"))[0]
    sandbox.poke(alices["id"], {"on": True})
    assert sandbox.wait_idle()
    assert receiver.received == []


def test_webhook_list_and_delete(sandbox, flow):
    _, token = flow.linked(sandbox)
    hook = _hook(sandbox, "http://127.0.0.1:9/hook", token["access_token"])
    listed = _get(sandbox, "/v1/webhooks", token["access_token"]).json()["webhooks"]
    assert listed == [{"id": hook["id"], "url": hook["url"]}]
    deleted = requests.delete(
        f"{sandbox.base_url}/v1/webhooks/{hook['id']}",
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert deleted.status_code == 204
    assert _get(sandbox, "/v1/webhooks", token["access_token"]).json()["webhooks"] == []


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hook",
        "http://127.0.0.1.evil.com/hook",  # issue 13 §1: loopback is parsed, not matched by prefix
        "http://localhost.evil.com/hook",
        "http://127.0.0.1@evil.com/hook",
        "http://evil.com@127.0.0.1/hook",
        "http://127.1/hook",
    ],
)
def test_non_loopback_webhook_refused(sandbox, flow, url):
    _, token = flow.linked(sandbox)
    response = requests.post(
        f"{sandbox.base_url}/v1/webhooks",
        json={"url": url},
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert response.status_code == 400
    assert _get(sandbox, "/v1/webhooks", token["access_token"]).json()["webhooks"] == []


def test_api_key_lists_configured_users_with_owner(make_sandbox):
    sb = make_sandbox(users=("alice", "bob", "carol"), api_key_users=("alice", "carol"))
    headers = {"X-Api-Key": sb.info["api_key"]}
    devices = requests.get(f"{sb.base_url}/v1/devices", params={"limit": 200}, headers=headers).json()[
        "devices"
    ]
    assert {d["owner_user_id"] for d in devices} == {sb.user_id("alice"), sb.user_id("carol")}
    assert requests.get(f"{sb.base_url}/v1/me", headers=headers).status_code == 400
    bobs = sb.devices_of(sb.user_id("bob"))[0]["id"]
    assert requests.get(f"{sb.base_url}/v1/devices/{bobs}", headers=headers).status_code == 404


def test_api_key_commands_and_webhooks(sandbox, receiver):
    api_key = sandbox.info["api_key"]
    _hook(sandbox, receiver.url, api_key=api_key)
    plug = _of_kind(sandbox, "bob", "plug")
    response = requests.post(
        f"{sandbox.base_url}/v1/devices/{plug['id']}/commands",
        json={"command": "toggle"},
        headers={"X-Api-Key": api_key},
    )
    assert response.status_code == 202
    assert sandbox.wait_idle()
    assert receiver.events()[0]["user_id"] == sandbox.user_id("bob")


def test_unknown_api_key_is_401(sandbox):
    response = requests.get(f"{sandbox.base_url}/v1/devices", headers={"X-Api-Key": "nope"})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


def test_lock_with_open_door_fails_the_command(make_sandbox, flow):
    sb = make_sandbox(devices_per_user=11)
    _, token = flow.linked(sb)
    lock = _of_kind(sb, "alice", "door_lock")
    sb.poke(lock["id"], {"door_open": True, "locked": False})
    command_id = _command(sb, token["access_token"], lock["id"], {"command": "lock"}).json()["command_id"]
    assert sb.wait_idle()
    status = _get(sb, f"/v1/commands/{command_id}", token["access_token"]).json()
    assert status["status"] == "failed"
    assert sb.device(lock["id"])["state"]["locked"] is False


def test_restart_with_same_db_keeps_state(tmp_path, flow):
    settings = SandboxSettings(
        port=0, db=str(tmp_path / "sandbox.db"), devices_per_user=5, seed=3, command_delay_ms=0
    )
    with start_sandbox(settings) as first:
        info = first.info
        _, token = flow.linked(first)
        plug = _of_kind(first, "alice", "plug")
        _command(first, token["access_token"], plug["id"], {"command": "on"})
        first.poke(_of_kind(first, "alice", "fan")["id"], {"on": True, "fan_mode": "high"})
        assert first.wait_idle()
    assert (tmp_path / "sandbox.db").stat().st_mode & 0o777 == 0o600
    with start_sandbox(settings) as second:
        assert not second.seeded
        assert second.device(plug["id"])["state"]["on"] is True
        assert second.device(_of_kind(second, "alice", "fan")["id"])["state"]["fan_mode"] == "high"
        assert (second.info["client_secret"], second.info["users"]) == (info["client_secret"], info["users"])
        # The token outlives the restart too (clients, tokens and users are in the database).
        assert _get(second, "/v1/me", token["access_token"]).json() == {"user_id": second.user_id("alice")}


def test_seed_is_deterministic():
    settings = SandboxSettings(port=0, devices_per_user=20, seed=11)
    with start_sandbox(settings) as a, start_sandbox(settings) as b:
        uid = a.user_id("alice")
        assert a.devices_of(uid) == b.devices_of(uid)


def test_missing_credentials_are_401_invalid_token(sandbox):
    response = requests.get(f"{sandbox.base_url}/v1/devices")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_port_in_use_is_one_usage_error_and_seeds_nothing(sandbox, tmp_path):
    port = int(sandbox.base_url.rsplit(":", 1)[1])
    with pytest.raises(UsageError) as info:
        start_sandbox(SandboxSettings(port=port, db=str(tmp_path / "new.db")))
    assert "already in use" in info.value.message and "\n" not in info.value.message
    assert not (tmp_path / "new.db").exists()  # bound before the database is created


def test_stop_is_idempotent(make_sandbox):
    sb = make_sandbox()
    sb.stop()
    sb.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(sb.base_url, timeout=2)


def test_commands_pending_at_stop_apply_after_restart(tmp_path, flow):
    settings = SandboxSettings(port=0, db=str(tmp_path / "s.db"), devices_per_user=5, command_delay_ms=60_000)
    with start_sandbox(settings) as first:
        _, token = flow.linked(first)
        plug = _of_kind(first, "alice", "plug")
        command_id = _command(first, token["access_token"], plug["id"], {"command": "toggle"}).json()[
            "command_id"
        ]
    with start_sandbox(dataclasses.replace(settings, command_delay_ms=0)) as second:
        assert second.wait_idle()
        assert second.device(plug["id"])["state"]["on"] is (not plug["state"]["on"])
        status = _get(second, f"/v1/commands/{command_id}", token["access_token"]).json()["status"]
        assert status == "applied"


def test_a_rotated_api_key_replaces_the_old_one(sandbox, receiver):
    old = sandbox.info["api_key"]
    _hook(sandbox, receiver.url, api_key=old)
    new = sandbox.rotate_api_key()
    assert new != old and sandbox.info["api_key"] == new
    assert requests.get(f"{sandbox.base_url}/v1/devices", headers={"X-Api-Key": old}).status_code == 401
    listed = requests.get(f"{sandbox.base_url}/v1/devices", headers={"X-Api-Key": new})
    assert listed.status_code == 200 and listed.json()["devices"]
    # the key's webhooks stay the key's: the new value sees them
    assert (
        len(requests.get(f"{sandbox.base_url}/v1/webhooks", headers={"X-Api-Key": new}).json()["webhooks"])
        == 1
    )

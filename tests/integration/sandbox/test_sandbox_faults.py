"""Fault injection and the admin endpoints, over real HTTP."""

from __future__ import annotations

import pytest
import requests
from oauthlib.oauth2 import InvalidGrantError

ADMIN = "X-Sandbox-Admin-Key"


def test_forced_token_error(make_sandbox, flow):
    sb = make_sandbox(faults={"/oauth/token": "invalid_grant"})
    session = flow.session(sb)
    location = flow.authorize(sb, session)
    with pytest.raises(InvalidGrantError):
        flow.fetch_token(sb, session, location)


def test_faults_toggle_live(sandbox, flow):
    session, _ = flow.linked(sandbox)
    sandbox.set_faults(endpoints={"/v1/devices*": "503"})
    failed = session.get(f"{sandbox.base_url}/v1/devices")
    assert failed.status_code == 503
    assert failed.headers["Retry-After"] == "1"
    assert session.get(f"{sandbox.base_url}/v1/me").status_code == 200  # other endpoints untouched
    sandbox.set_faults(endpoints={})
    assert session.get(f"{sandbox.base_url}/v1/devices").status_code == 200


def test_error_rate_one_always_fails_but_admin_is_exempt(make_sandbox):
    sb = make_sandbox(error_rate=1.0)
    statuses = {
        requests.get(f"{sb.base_url}/.well-known/oauth-authorization-server").status_code for _ in range(10)
    }
    assert statuses <= {500, 503}
    assert requests.get(f"{sb.base_url}/_sandbox/info", headers={ADMIN: sb.admin_key}).status_code == 200


def test_error_rate_zero_never_fails(sandbox):
    statuses = {
        requests.get(f"{sandbox.base_url}/.well-known/oauth-authorization-server").status_code
        for _ in range(10)
    }
    assert statuses == {200}


def test_latency_trips_a_short_client_timeout(make_sandbox):
    sb = make_sandbox(latency_ms=300)
    with pytest.raises(requests.Timeout):
        requests.get(f"{sb.base_url}/.well-known/oauth-authorization-server", timeout=(1.0, 0.05))


def test_admin_faults_endpoint(sandbox):
    headers = {ADMIN: sandbox.admin_key}
    body = {"endpoints": {"/oauth/token": "invalid_client"}, "error_rate": 0}
    changed = requests.put(f"{sandbox.base_url}/_sandbox/faults", json=body, headers=headers).json()
    assert changed["endpoints"] == {"/oauth/token": "invalid_client"}
    response = requests.post(
        sandbox.info["token_url"], data={"grant_type": "refresh_token", "refresh_token": "x"}
    )
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")


def test_admin_needs_the_key(sandbox):
    assert requests.get(f"{sandbox.base_url}/_sandbox/info").status_code == 401
    assert requests.get(f"{sandbox.base_url}/_sandbox/info", headers={ADMIN: "wrong"}).status_code == 401


def test_admin_info_matches_python_info(sandbox):
    info = requests.get(f"{sandbox.base_url}/_sandbox/info", headers={ADMIN: sandbox.admin_key}).json()
    assert info == sandbox.info


def test_admin_poke(sandbox):
    device = sandbox.devices_of(sandbox.user_id("alice"))[0]
    response = requests.post(
        f"{sandbox.base_url}/_sandbox/poke",
        headers={ADMIN: sandbox.admin_key},
        json={"device_id": device["id"], "changes": {"on": not device["state"]["on"]}},
    )
    assert response.status_code == 200
    assert sandbox.device(device["id"])["state"]["on"] is (not device["state"]["on"])


@pytest.mark.parametrize(("changes", "status"), [({"nope": 1}, 400), ({"on": "yes"}, 400)])
def test_admin_poke_rejects_bad_changes(sandbox, changes, status):
    device = sandbox.devices_of(sandbox.user_id("alice"))[0]
    response = requests.post(
        f"{sandbox.base_url}/_sandbox/poke",
        headers={ADMIN: sandbox.admin_key},
        json={"device_id": device["id"], "changes": changes},
    )
    assert response.status_code == status


def test_admin_reset_restores_seed_and_drops_tokens(sandbox, flow):
    session, _ = flow.linked(sandbox)
    device = sandbox.devices_of(sandbox.user_id("alice"))[0]
    sandbox.poke(device["id"], {"on": not device["state"]["on"]})
    secret = sandbox.info["client_secret"]
    assert requests.post(f"{sandbox.base_url}/_sandbox/reset", headers={ADMIN: sandbox.admin_key}).ok
    assert sandbox.device(device["id"]) == device
    assert session.get(f"{sandbox.base_url}/v1/me").status_code == 401
    assert sandbox.info["client_secret"] == secret


def test_unknown_route_is_json_404(sandbox):
    response = requests.get(f"{sandbox.base_url}/v2/nothing")
    assert (response.status_code, response.json()["error"]) == (404, "not_found")

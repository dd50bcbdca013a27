"""Fault cases: a connector that times out, one that never finishes discovery, a failed token refresh."""

from __future__ import annotations

import json

import pytest


def _emulator(**settings):
    from c2c_cli.emulator import EmulatorSettings, start_emulator

    return start_emulator(EmulatorSettings(port=0, db=":memory:", with_moto=True, **settings))


@pytest.fixture(scope="module")
def fast(waits):
    """Short invocation budget, and every invocation refreshes the token first."""
    with _emulator(invocation_budget_ms=waits.budget_ms, token_refresh_margin_seconds=7200) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def impatient(waits):
    """Discovery times out soon (1.5 s unless C2C_TEST_DISCOVERY_TIMEOUT_S says otherwise)."""
    with _emulator(discovery_timeout_seconds=waits.discovery_timeout_s) as emulator:
        yield emulator


def _invocations(emulator, connector_id, operation):
    return [
        r
        for r in emulator.events(connector_id)
        if r.get("kind") == "invocation" and r["operation"] == operation
    ]


@pytest.mark.slow
def test_timing_out_connector_is_retried_five_times_then_discovery_fails(fast, link, tmp_path, waits):
    lnk = link(fast, mode="sleep")
    run = lnk.discover(timeout=waits.deadline(30))
    assert run["Status"] == "FAILED"
    record = _invocations(fast, lnk.connector_id, "AWS.DiscoverDevices")[-1]
    assert (record["verdict"], record["retries"]) == ("failed", 5)
    assert [a["outcome"] for a in record["attempts"]] == ["timeout"] * 6
    calls = [json.loads(line) for line in (tmp_path / "attempts.jsonl").read_text().splitlines()]
    discovery_ids = {c["deviceDiscoveryId"] for c in calls if c["operationName"] == "AWS.DiscoverDevices"}
    assert discovery_ids == {run["Id"]}  # six identical requests (contract.md §2.1)


def test_non_200_ack_fails_discovery_without_retry(fast, link):
    lnk = link(fast, mode="error")
    assert lnk.discover()["Status"] == "FAILED"
    record = _invocations(fast, lnk.connector_id, "AWS.DiscoverDevices")[-1]
    assert (record["verdict"], record["retries"], record["http_status"]) == ("rejected", 0, 503)


@pytest.mark.slow
def test_missing_final_discovery_event_times_out(impatient, link, waits):
    lnk = link(impatient, mode="silent")
    assert lnk.discover(timeout=waits.deadline(10))["Status"] == "TIMED_OUT"
    run = lnk.discover(timeout=waits.deadline(10))
    assert lnk.client.list_discovered_devices(Identifier=run["Id"])["Items"] == []


def test_refresh_failure_is_refresh_token_expired_and_refresh_relinks(fast, link, sandbox, end_user, wait):
    lnk = link(fast)
    assert lnk.final_location == "https://app.example.com/linked"
    sandbox.set_faults(endpoints={"/oauth/token": "invalid_grant"})
    try:
        assert lnk.discover()["Status"] == "FAILED"
    finally:
        sandbox.set_faults(endpoints={})
    got = lnk.client.get_account_association(AccountAssociationId=lnk.association_id)
    assert got["AssociationState"] == "REFRESH_TOKEN_EXPIRED"
    assert "refresh failed" in got["ErrorMessage"]
    url = lnk.client.start_account_association_refresh(AccountAssociationId=lnk.association_id)[
        "OAuthAuthorizationUrl"
    ]
    state = lnk.client.get_account_association(AccountAssociationId=lnk.association_id)["AssociationState"]
    assert state == "ASSOCIATION_IN_PROGRESS"
    assert end_user(url) == "https://app.example.com/linked"
    wait(
        lambda: (
            lnk.client.get_account_association(AccountAssociationId=lnk.association_id)["AssociationState"]
            == "ASSOCIATION_SUCCEEDED"
        )
    )

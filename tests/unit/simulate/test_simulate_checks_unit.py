"""The checks every simulation applies, each with its rule id."""

from c2c_cli.simulate import checks
from c2c_cli.simulate.results import Attempt, CapturedEvent


def _event(
    operation: str, seq: int = 1, account: str = "123456789012", verdict: str = "accepted", **body: object
) -> CapturedEvent:
    return CapturedEvent(seq, operation, verdict, account, dict(body))


def _rules(violations: list) -> set[str]:
    return {v.rule for v in violations}


def test_budget_slow_and_raised_attempts() -> None:
    attempts = [
        Attempt(1, "timeout", 2300.0),
        Attempt(2, "raised", 5.0, error="RuntimeError: boom"),
        Attempt(3, "ok", 1200.0),
    ]
    found = checks.attempt_violations(attempts, 2000)
    assert _rules(found) == {"sim.budget-exceeded", "sim.handler-raised", "sim.slow", "sim.retried"}
    assert {v.severity for v in found if v.rule == "sim.slow"} == {"warning"}


def test_fast_single_attempt_is_clean() -> None:
    assert checks.attempt_violations([Attempt(1, "ok", 12.0, cold=True)], 2000) == []


def test_ack_checks_use_contract_rules() -> None:
    assert _rules(checks.ack_violations({"header": {"responseCode": "200"}}, "AWS.DiscoverDevices")) == {
        "ack.response-code-type"
    }
    assert "ack.user-id-required" in _rules(
        checks.ack_violations({"header": {"responseCode": 200}}, "AWS.ActivateUser")
    )
    assert _rules(checks.ack_violations(None, "AWS.DeactivateUser")) == {"sim.invalid-ack"}


def test_discovery_needs_matching_id_and_a_final_page() -> None:
    pages = [_event("DEVICE_DISCOVERY", StatusCode=300, DeviceDiscoveryId="other", Devices=[])]
    assert _rules(checks.discovery_violations(pages, "abc", ())) == {
        "correlation.discovery-id",
        "sim.discovery-not-final",
    }
    assert _rules(checks.discovery_violations([], "abc", ())) == {"sim.missing-event"}
    final = [
        _event(
            "DEVICE_DISCOVERY", StatusCode=200, DeviceDiscoveryId="abc", Devices=[{"ConnectorDeviceId": "d2"}]
        )
    ]
    assert checks.discovery_violations(final, "abc", ()) == []
    assert _rules(checks.discovery_violations(final, "abc", ("d1",))) == {"correlation.device-filter"}


def test_command_response_must_echo_the_trace_id() -> None:
    assert _rules(checks.command_violations([], "t-1", "d1")) == {"sim.missing-event"}
    wrong = [_event("DEVICE_COMMAND_RESPONSE", ConnectorDeviceId="d1")]
    assert _rules(checks.command_violations(wrong, "t-1", "d1")) == {"correlation.trace-id"}
    right = [_event("DEVICE_COMMAND_RESPONSE", TraceId="t-1", ConnectorDeviceId="d1")]
    assert checks.command_violations(right, "t-1", "d1") == []


def test_events_signed_by_another_account_or_rejected() -> None:
    other = _event("DEVICE_EVENT", account="210987654321", verdict="rejected")
    rejected = CapturedEvent(2, "DEVICE_EVENT", "rejected", "123456789012", {}, (), "ValidationException")
    assert _rules(checks.event_violations([other], "123456789012")) == {"sim.event-signer"}
    assert _rules(checks.event_violations([rejected], "123456789012")) == {"sim.event-rejected"}


def test_user_id_must_match_activate() -> None:
    events = [_event("DEVICE_EVENT", UserId="someone-else")]
    assert _rules(checks.user_violations(events, "user-1")) == {"correlation.user-id"}
    assert checks.user_violations(events, None) == []


def test_secrets_in_logs_are_found_without_quoting_them() -> None:
    found = checks.log_violations("INFO token=eyJhbGciOi.payload.sig", ["eyJhbGciOi.payload.sig"])
    assert _rules(found) == {"sim.token-in-logs"}
    assert "eyJhbGciOi" not in found[0].message
    assert checks.log_violations("all clean", ["eyJhbGciOi.payload.sig"]) == []

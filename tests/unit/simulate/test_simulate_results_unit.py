"""Result values: percentiles, timings, redaction, JSON form."""

from c2c_cli.simulate.results import (
    REDACTED,
    Attempt,
    SimulationResult,
    Timings,
    percentile,
    redact_request,
    redact_text,
)
from c2c_cli.violation import Violation


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([], 50) is None


def test_timings_split_cold_and_warm() -> None:
    attempts = [Attempt(1, "ok", 300.0, cold=True), Attempt(1, "ok", 10.0), Attempt(1, "ok", 20.0)]
    timings = Timings.of(attempts)
    assert timings.cold_ms == 300.0
    assert timings.warm_ms == (10.0, 20.0)
    assert timings.p50_ms == 20.0
    assert timings.p95_ms == 300.0


def test_redact_request_hides_the_token_only() -> None:
    request = {"header": {"auth": {"type": "OAuth2.0", "token": "secret-token"}}, "payload": {"a": 1}}
    redacted = redact_request(request)
    assert redacted["header"]["auth"] == {"type": "OAuth2.0", "token": REDACTED}
    assert request["header"]["auth"]["token"] == "secret-token"


def test_redact_text_replaces_longest_first() -> None:
    assert redact_text("abc abcdef", ["abc", "abcdef"]) == f"{REDACTED} {REDACTED}"


def test_result_ok_depends_on_errors_only() -> None:
    warning = Violation("x", "slow", "sim.slow", "warning")
    error = Violation("x", "late", "sim.budget-exceeded", "error")
    assert SimulationResult("AWS.ActivateUser", {}, None, violations=(warning,)).ok
    failed = SimulationResult("AWS.ActivateUser", {}, None, violations=(warning, error))
    assert not failed.ok
    assert failed.rules() == {"sim.budget-exceeded"}
    data = failed.to_json()
    assert data["ok"] is False
    assert [v["rule"] for v in data["violations"]] == ["sim.budget-exceeded", "sim.slow"]

"""Result values: percentiles, timings, redaction, JSON form."""

from c2c_cli.simulate.results import Attempt, SimulationResult, Timings, percentile
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

"""The one invocation-with-retries loop (contract.md §2.1, §9 #4), driven by scripted fake attempts."""

from collections.abc import Callable

import pytest

from c2c_cli.runtime.delivery import SERVICE_RETRIES, Attempt, RetryPolicy, invoke_with_retries
from c2c_cli.runtime.loader import CallOutcome


def _script(*outcomes: str, error: str = "RuntimeError: boom") -> Callable[[int], CallOutcome]:
    """``call(budget_ms)`` answering the given outcomes in turn (``ok`` returns the budget it got)."""
    left = list(outcomes)

    def call(budget_ms: int) -> CallOutcome:
        outcome = left.pop(0)
        if outcome == "ok":
            return CallOutcome("ok", {"budget": budget_ms}, 5.0, False, logs="ok\n")
        return CallOutcome(outcome, None, 7.0, False, error, logs=f"{error}\n")

    return call


def test_the_contract_is_the_default_policy() -> None:
    assert RetryPolicy() == RetryPolicy(budget_ms=2000, retries=5, backoff_s=0.0)
    assert RetryPolicy().invocations == 1 + SERVICE_RETRIES == 6


def test_failures_are_retried_until_an_attempt_returns() -> None:
    invocation = invoke_with_retries(_script("raised", "timeout", "ok"), RetryPolicy(budget_ms=750))
    assert [(a.number, a.outcome) for a in invocation.attempts] == [(1, "raised"), (2, "timeout"), (3, "ok")]
    assert invocation.returned and invocation.response == {"budget": 750}
    assert invocation.logs == "RuntimeError: boom\nRuntimeError: boom\nok\n"


def test_the_retries_run_out_after_one_plus_retries_attempts() -> None:
    invocation = invoke_with_retries(_script(*["crashed"] * 3), RetryPolicy(retries=2))
    assert [a.outcome for a in invocation.attempts] == ["crashed"] * 3
    assert not invocation.returned and invocation.response is None


def test_stop_starts_no_more_retries() -> None:
    invocation = invoke_with_retries(_script("timeout", "ok"), stop=lambda: True)
    assert [a.outcome for a in invocation.attempts] == ["timeout"]
    assert not invocation.returned


def test_errors_are_redacted_but_logs_are_kept_for_the_secret_scan() -> None:
    call = _script("raised", "ok", error="ValueError: token s3cr3t rejected")
    invocation = invoke_with_retries(call, redact=lambda text: text.replace("s3cr3t", "<redacted>"))
    assert invocation.attempts[0].error == "ValueError: token <redacted> rejected"
    assert "s3cr3t" in invocation.logs  # the simulator's sim.token-in-logs check needs the raw text


def test_backoff_waits_before_each_retry_only() -> None:
    waits: list[float] = []
    invoke_with_retries(_script("raised", "raised", "ok"), RetryPolicy(backoff_s=0.25), sleep=waits.append)
    assert waits == [0.25, 0.25]


@pytest.mark.parametrize(
    ("attempt", "expected"),
    [
        (
            Attempt(1, "ok", 12.345, cold=True),
            {"number": 1, "outcome": "ok", "duration_ms": 12.3, "cold": True, "error": ""},
        ),
        (
            Attempt(2, "timeout", 2300.0, error="killed"),
            {"number": 2, "outcome": "timeout", "duration_ms": 2300.0, "cold": False, "error": "killed"},
        ),
    ],
)
def test_the_attempt_json_shape_is_stable(attempt: Attempt, expected: dict) -> None:
    assert attempt.to_json() == expected

"""What the service got from one connector invocation (contract.md §2.3 ACK), and the request as logged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from c2c_cli.redaction import redact_request
from c2c_cli.runtime.delivery import Attempt, Invocation

__all__ = ["InvocationResult", "redacted_request", "result_of"]


@dataclass(frozen=True)
class InvocationResult:
    """What the service got from the connector.

    Attributes:
        operation: ``AWS.ActivateUser`` etc.
        ack: the final ACK, or None when every attempt failed (or the ACK is malformed).
        attempts: every attempt, in order.
        latency_ms: wall time of all attempts.
        problem: why the invocation failed, for ``ErrorMessage``/``FAILED`` ("" when it succeeded).
    """

    operation: str
    ack: dict[str, Any] | None
    attempts: tuple[Attempt, ...]
    latency_ms: float
    problem: str = ""

    @property
    def ok(self) -> bool:
        """A 200 ACK (contract.md §2.3)."""
        return not self.problem

    @property
    def payload(self) -> dict[str, Any]:
        """The ACK's ``payload`` object (empty when absent)."""
        payload = (self.ack or {}).get("payload")
        return payload if isinstance(payload, dict) else {}


def _ack_problem(response: Any) -> str:
    header = response.get("header") if isinstance(response, dict) else None
    code = header.get("responseCode") if isinstance(header, dict) else None
    if not isinstance(code, int) or isinstance(code, bool):
        return "the connector returned no ACK with an integer header.responseCode (contract.md §2.3)"
    if code != 200:
        message = (response.get("payload") or {}).get("responseMessage") if response.get("payload") else None
        return f"the connector answered responseCode={code}, responseMessage={message or ''}".rstrip()
    return ""


def redacted_request(request: dict[str, Any]) -> dict[str, Any]:
    """The request with ``header.auth.token`` masked (tokens never reach the log, STYLE.md §5)."""
    return redact_request(request)


def result_of(operation: str, invocation: Invocation, latency: float) -> InvocationResult:
    """The result of a delivered invocation: its ACK, or why it failed."""
    attempts = invocation.attempts
    if invocation.outcome is None:
        last = attempts[-1]
        problem = f"the connector failed {len(attempts)} invocation(s) ({last.outcome}: {last.error or 'no answer'})"
        return InvocationResult(operation, None, attempts, latency, problem)
    response = invocation.response
    ack = response if isinstance(response, dict) else None
    return InvocationResult(operation, ack, attempts, latency, _ack_problem(response))

"""How an operation's result becomes a case's :class:`~c2c_cli.simulate.suite.model.Outcome`.

``found`` takes the result as it is, ``accepted`` expects a valid command to be carried out, ``refused``
expects an invalid request to be turned down (contract.md §2.2, §2.4). All three record the result in
the context, and mark the connector dead when it answered no attempt in time.
"""

from __future__ import annotations

from c2c_cli.simulate.results import SimulationResult
from c2c_cli.simulate.rules import sim_violation
from c2c_cli.simulate.suite.model import Context, Outcome

__all__ = ["FOLLOW_UPS", "accepted", "found", "refused"]

#: violations that only follow from a 200 ACK (missing events): meaningless for a refused request.
FOLLOW_UPS = ("sim.missing-event", "sim.discovery-not-final", "correlation.trace-id")


def _evidence(result: SimulationResult) -> str:
    slowest = max((a.duration_ms for a in result.attempts), default=0.0)
    return (
        f"ACK {result.response_code}, {len(result.events)} event(s), {len(result.attempts)} attempt(s), "
        f"slowest {slowest:.0f} ms"
    )


def found(ctx: Context, result: SimulationResult) -> Outcome:
    """The result's violations as they are."""
    ctx.seen.append(result)
    if result.attempts and all(a.outcome == "timeout" for a in result.attempts):
        ctx.dead = "the connector did not answer any attempt in time"
    return Outcome(list(result.violations), _evidence(result))


def accepted(ctx: Context, result: SimulationResult) -> Outcome:
    """A valid command: a non-200 answer is a warning (the device may refuse it in its state)."""
    outcome = found(ctx, result)
    if result.response_code not in (None, 200):
        message = f"a catalog-valid command was answered {result.response_code}"
        outcome.violations.append(sim_violation("sim.command-rejected", "ack.header.responseCode", message))
    return outcome


def refused(ctx: Context, result: SimulationResult, *, event_ok: bool = False) -> Outcome:
    """A negative case: a non-200 ACK with a message (or, where allowed, an error StatusCode event)."""
    violations, evidence = found(ctx, result)
    violations = [v for v in violations if v.rule not in FOLLOW_UPS]
    code, ack = result.response_code, result.ack
    error_event = any(int(e.body.get("StatusCode") or 200) >= 400 for e in result.events)
    if code == 200 and not (event_ok and error_event):
        violations.append(
            sim_violation(
                "sim.negative-not-rejected",
                "ack.header.responseCode",
                "the invalid request was answered 200",
                "answer with a 4xx responseCode and a responseMessage",
            )
        )
    elif code not in (None, 200) and not (
        isinstance(ack, dict) and (ack.get("payload") or {}).get("responseMessage")
    ):
        violations.append(
            sim_violation(
                "sim.negative-not-rejected",
                "ack.payload.responseMessage",
                f"the {code} ACK has no responseMessage",
                "say what was wrong",
            )
        )
    return Outcome(violations, evidence)

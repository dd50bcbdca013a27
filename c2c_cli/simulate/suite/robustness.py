"""Robustness cases: the service retries (contract.md §2.1), so idempotency and time matter."""

from __future__ import annotations

import c2c_cli.simulate.checks as checks
import c2c_cli.simulate.vendor as vendor
from c2c_cli.simulate.messages import command_request, new_trace_id
from c2c_cli.simulate.rules import sim_violation
from c2c_cli.simulate.suite.model import Context, Outcome
from c2c_cli.simulate.suite.verdicts import FOLLOW_UPS

__all__ = ["budget", "duplicate_command", "webhook_function"]

BUDGET_RULES = ("sim.budget-exceeded", "sim.slow")


def duplicate_command(ctx: Context) -> Outcome:
    """An accepted SendCommand delivered twice with one traceId must reach the vendor once."""
    sandbox = ctx.env.sandbox
    for device_id, endpoints in ctx.accepted:
        request = command_request(
            ctx.env.credentials.header(), ctx.env.connector_id, device_id, new_trace_id(), endpoints
        )
        trace_id = request["payload"]["traceId"]
        before = vendor.command_count(sandbox, device_id)
        first = ctx.sim.deliver(request, "AWS.SendCommand", trace_id)
        once = vendor.command_count(sandbox, device_id)
        if once == before:
            continue  # this command does not reach the vendor (e.g. a no-op): try another one
        second = ctx.sim.deliver(request, "AWS.SendCommand", trace_id)
        twice = vendor.command_count(sandbox, device_id)
        violations = [
            v
            for d in (first, second)
            for v in ctx.sim.check(d, "AWS.SendCommand", trace_id, device_id=device_id)
            if v.rule not in FOLLOW_UPS
        ]
        if twice > once:
            violations.append(
                sim_violation(
                    "sim.duplicate-apply",
                    "vendor.commands",
                    f"the same traceId reached the vendor {twice - before} times",
                    "use the traceId as an idempotency key at the vendor",
                )
            )
        return Outcome(violations, f"device {device_id}: vendor commands {before} -> {once} -> {twice}")
    return Outcome([], "no accepted command reached the vendor")


def budget(ctx: Context) -> Outcome:
    """Every invocation so far, cold and warm, inside the budget (the violations the simulator found)."""
    violations = [v for r in ctx.seen for v in r.violations if v.rule in BUDGET_RULES]
    cold = [a.duration_ms for r in ctx.seen for a in r.attempts if a.cold]
    warm = [a.duration_ms for r in ctx.seen for a in r.attempts if not a.cold]
    return Outcome(
        violations,
        f"cold max {max(cold, default=0):.0f} ms, warm max {max(warm, default=0):.0f} ms"
        f" over {len(warm) + len(cold)} invocation(s)",
    )


def webhook_function(ctx: Context) -> Outcome:
    """Every delivery to the webhook function answered without an exception and without secrets in logs."""
    deliveries = list(ctx.env.relay.deliveries)
    return Outcome(
        checks.webhook_violations(deliveries, ctx.env.secrets),
        f"{len(deliveries)} webhook delivery(ies) so far",
    )

"""Concurrency case: the service invokes a function concurrently (issue 16), so the connector must too.

``robustness.concurrent-commands`` sends ``--concurrency`` (4) ``AWS.SendCommand`` requests at once to
different OnOff devices of one user (On, Off, On, ...), then as many at once to one device, each in an
execution environment of its own (the simulator's target plus worker processes, each with its own cold
start). Every command must get its ``DEVICE_COMMAND_RESPONSE`` with its ``traceId`` (the usual command
checks); with ``--sandbox`` each device must end in the state its commands leave (different devices:
the one command's; one device: the vendor's last applied command), the responses to different devices
must report their own device's new value, and a ``ReadState`` afterwards must report the vendor's state
(``sim.concurrent-state``).
"""

from __future__ import annotations

from typing import Any

from c2c_cli.simulate.concurrent import Sent, send_concurrently, worker_pool
from c2c_cli.simulate.devices import onoff_endpoints
from c2c_cli.simulate.results import CapturedEvent
from c2c_cli.simulate.rules import sim_violation
from c2c_cli.simulate.suite.commands import endpoints_of
from c2c_cli.simulate.suite.model import Context, Outcome
from c2c_cli.simulate.suite.verdicts import found
from c2c_cli.violation import Violation

__all__ = ["concurrent_commands", "reported_on"]

_ONOFF, _OFF, _ON, _READ = 0x0006, 0x00, 0x01, 0xFF02


def _value(attributes: Any) -> Any:
    """``0x0000`` (OnOff) from an attributes map or list (contract.md §5.4 forms)."""
    if isinstance(attributes, dict):
        return attributes.get("0x0000")
    for item in attributes if isinstance(attributes, list) else []:
        if isinstance(item, dict) and "0x0000" in item:
            return item["0x0000"]
        if isinstance(item, dict) and item.get("id") == "0x0000":
            return item.get("value")
    return None


def reported_on(event: CapturedEvent) -> bool | None:
    """The OnOff value a DEVICE_COMMAND_RESPONSE reports, None when it reports none."""
    found_endpoints = event.body.get("MatterEndpoint")
    endpoints = found_endpoints if isinstance(found_endpoints, list) else [found_endpoints]
    for endpoint in endpoints:
        for cluster in (endpoint or {}).get("clusters") or [] if isinstance(endpoint, dict) else []:
            if isinstance(cluster, dict) and str(cluster.get("id")).lower() == "0x0006":
                value = _value(cluster.get("attributes"))
                return value if isinstance(value, bool) else None
    return None


def _state(message: str) -> Violation:
    return sim_violation(
        "sim.concurrent-state",
        "vendor.state",
        message,
        "keep no per-invocation state that concurrent invocations share; use the traceId as the "
        "vendor's idempotency key",
    )


def _vendor_on(ctx: Context, device: str) -> Any:
    return (ctx.env.sandbox.device(device).get("state") or {}).get("on")


def _spread_state(ctx: Context, sent: list[Sent], wanted: list[bool]) -> list[Violation]:
    out = []
    for (delivery, _), want in zip(sent, wanted, strict=True):
        if delivery.response_code != 200:
            continue
        device = str(delivery.request["payload"]["connectorDeviceId"])
        reported = [reported_on(e) for e in delivery.events]
        if any(r is not None and r != want for r in reported):
            out.append(_state(f"the response for {device} reports OnOff={reported}, its command set {want}"))
        if ctx.env.sandbox is not None and _vendor_on(ctx, device) != want:
            out.append(_state(f"{device} ended with on={_vendor_on(ctx, device)}, its command set {want}"))
    return out


def _one_device_state(ctx: Context, device: str, endpoint: str) -> tuple[list[Violation], str]:
    sandbox = ctx.env.sandbox
    applied = [c for c in sandbox.commands_of(device) if c.get("status") == "applied"]
    final = _vendor_on(ctx, device)
    out = []
    if applied and final != (applied[-1]["command"] == "on"):
        out.append(
            _state(f"{device} ended with on={final}, the vendor's last command was {applied[-1]['command']}")
        )
    read = ctx.sim.command(device, endpoints_of(endpoint, _ONOFF, _READ, {"0x0000": None}, "list"))
    violations, _ = found(ctx, read)
    out += violations
    values = [reported_on(e) for e in read.events if e.operation == "DEVICE_COMMAND_RESPONSE"]
    if read.response_code == 200 and values and values[-1] != final:
        out.append(
            _state(f"ReadState of {device} after the commands reports OnOff={values[-1]}, the vendor {final}")
        )
    return out, f"{device} ended on={final} after {len(applied)} applied command(s)"


def _without_cold_start_time(sent: Sent) -> list[Violation]:
    """A delivery's findings, minus the time of its cold starts.

    The workers start side by side here, sharing the machine's cores, so a cold attempt may outlive the
    budget that the same connector keeps when it starts alone (``robustness.budget`` judges time). An
    attempt that timed out before a retry answered is forgiven too: the answer is what this case checks.
    """
    delivery, violations = sent
    if delivery.outcome is None:  # no attempt answered: every finding stands
        return violations
    cold = {f"attempts[{a.number - 1}]" for a in delivery.attempts if a.cold or a.outcome == "timeout"}
    failed = [a for a in delivery.attempts if a.outcome != "ok"]
    only_cold = all(f"attempts[{a.number - 1}]" in cold and a.outcome == "timeout" for a in failed)
    timed = ("sim.slow", "sim.budget-exceeded")
    return [
        v
        for v in violations
        if not (v.rule in timed and v.path in cold) and not (v.rule == "sim.retried" and only_cold)
    ]


def concurrent_commands(ctx: Context) -> Outcome:
    """Concurrent SendCommands to different devices of one user, then to one device."""
    size = max(1, ctx.sim.settings.concurrency)
    targets = onoff_endpoints(ctx.sim.devices)[:size]
    spread_wanted = [i % 2 == 0 for i in range(len(targets))]
    spread = [(d, endpoints_of(ep, _ONOFF, _ON if on else _OFF, {}, "list")) for (d, ep), on in zip(targets, spread_wanted, strict=True)]  # fmt: skip
    device, endpoint = targets[0]
    same = [
        (device, endpoints_of(endpoint, _ONOFF, _OFF if i % 2 == 0 else _ON, {}, "list")) for i in range(size)
    ]
    with worker_pool(ctx.sim, size) as pool:
        first = send_concurrently(ctx.sim, spread, pool)
        if ctx.env.sandbox is not None:
            ctx.env.sandbox.wait_idle(2.0)
        spread_found = _spread_state(ctx, first, spread_wanted)
        second = send_concurrently(ctx.sim, same, pool)
        workers = len(pool.targets)
    if ctx.env.sandbox is not None:
        ctx.env.sandbox.wait_idle(2.0)
    violations = [v for sent in first + second for v in _without_cold_start_time(sent)]
    violations += spread_found
    evidence = ""
    if ctx.env.sandbox is not None:
        more, evidence = _one_device_state(ctx, device, endpoint)
        violations += more
    answered = sum(1 for d, _ in first + second if d.response_code == 200)
    return Outcome(
        violations,
        f"{len(first)} command(s) to {len(targets)} device(s) and {len(second)} to {device} at once in "
        f"{workers} worker(s): {answered} answered 200" + (f"; {evidence}" if evidence else ""),
    )

"""Lifecycle cases: activate, discover (with filters), a physical change, deactivate (contract.md §3)."""

from __future__ import annotations

import c2c_cli.simulate.checks as checks
import c2c_cli.simulate.vendor as vendor
from c2c_cli.simulate.rules import sim_violation
from c2c_cli.simulate.suite.model import Context, Outcome
from c2c_cli.simulate.suite.verdicts import found

__all__ = [
    "UNKNOWN_DEVICE",
    "activate",
    "after_deactivate",
    "deactivate",
    "device_event",
    "discover",
    "discover_filter",
    "discover_unknown_filter",
]

UNKNOWN_DEVICE = "c2c-unknown-device-0000"


def activate(ctx: Context) -> Outcome:
    """AWS.ActivateUser."""
    return found(ctx, ctx.sim.activate())


def discover(ctx: Context) -> Outcome:
    """AWS.DiscoverDevices; no device at all is a warning (nothing to exercise commands on)."""
    violations, evidence = found(ctx, ctx.sim.discover())
    if not ctx.sim.devices:
        violations.append(sim_violation("sim.no-devices", "events", "discovery reported no device"))
    return Outcome(violations, f"{evidence}, {len(ctx.sim.devices)} device(s)")


def _filtered(ctx: Context, wanted: tuple[str, ...]) -> Outcome:
    devices = list(ctx.sim.devices)  # a filtered discovery must not shrink what later cases exercise
    try:
        return found(ctx, ctx.sim.discover(wanted))
    finally:
        ctx.sim.devices = devices


def discover_filter(ctx: Context) -> Outcome:
    """Discovery of the first device only."""
    return _filtered(ctx, (str(ctx.sim.devices[0].get("ConnectorDeviceId")),))


def discover_unknown_filter(ctx: Context) -> Outcome:
    """Discovery of a device nobody has."""
    return _filtered(ctx, (UNKNOWN_DEVICE,))


def device_event(ctx: Context) -> Outcome:
    """Change a device at the sandbox vendor; its webhook must reach the service as a DEVICE_EVENT."""
    user_id, sandbox, relay = ctx.sim.user_id, ctx.env.sandbox, ctx.env.relay
    assert user_id is not None and relay is not None  # the case's needs
    device = vendor.poke_any(sandbox, user_id)
    if device is None:
        return Outcome([], "no device with an on/off state to change")
    before = len(relay.deliveries)
    events = ctx.sim.collect(
        ctx.sim.settings.wait_s, lambda es: any(e.operation == "DEVICE_EVENT" for e in es)
    )
    violations = checks.event_violations(events, ctx.env.account_id)
    violations += checks.user_violations(events, user_id)
    violations += checks.webhook_violations(relay.deliveries[before:], ctx.env.secrets)
    if not any(e.operation == "DEVICE_EVENT" and e.body.get("ConnectorDeviceId") == device for e in events):
        violations.append(
            sim_violation(
                "sim.missing-event",
                "events",
                f"no DEVICE_EVENT for {device} after its state changed at the vendor",
                "turn the vendor's state-change webhooks into DEVICE_EVENTs (contract §4.4)",
            )
        )
    calls = len(relay.deliveries) - before
    return Outcome(violations, f"device {device} changed; {len(events)} event(s), {calls} webhook call(s)")


def deactivate(ctx: Context) -> Outcome:
    """AWS.DeactivateUser; with OAuth at the sandbox, the user's tokens must be revoked (RFC 7009)."""
    if ctx.env.sandbox is not None:
        ctx.env.sandbox.wait_idle(2.0)  # earlier changes' webhooks are not "after deactivation"
    violations, evidence = found(ctx, ctx.sim.deactivate())
    credentials, sandbox = ctx.env.credentials, ctx.env.sandbox
    if credentials.kind == "oauth" and sandbox is not None and credentials.token:
        tokens = (credentials.token, ctx.env.refresh_tokens.get(credentials.token))
        alive = [t for t in tokens if t and vendor.active_token(sandbox, t)]
        if alive:
            violations.append(
                sim_violation(
                    "sim.token-not-revoked",
                    "vendor.tokens",
                    f"{len(alive)} of the user's tokens are still active",
                    "revoke the grant at the vendor (RFC 7009)",
                )
            )
    return Outcome(violations, evidence)


def after_deactivate(ctx: Context) -> Outcome:
    """No event may follow deactivation, even when a device changes at the vendor (contract.md §3.4)."""
    relay, sandbox = ctx.env.relay, ctx.env.sandbox
    poked, before = None, len(relay.deliveries) if relay is not None else 0
    if sandbox is not None and ctx.sim.user_id:
        poked = vendor.poke_any(sandbox, ctx.sim.user_id)
        sandbox.wait_idle(2.0)
    late = ctx.sim.collect(0.3)
    calls = len(relay.deliveries) - before if relay is not None else 0
    violations = [
        sim_violation(
            "sim.events-after-deactivate",
            f"events[{i}]",
            f"{e.operation} arrived after DeactivateUser",
            "stop sending events for a deactivated user",
        )
        for i, e in enumerate(late)
    ]
    changed = f" (device {poked} changed, {calls} webhook call(s))" if poked else ""
    return Outcome(violations, f"{len(late)} event(s) after deactivation{changed}")

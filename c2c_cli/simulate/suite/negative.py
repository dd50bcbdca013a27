"""Negative cases: requests the connector must refuse with a non-200 ACK and a message, not a crash.

Unknown operation, missing/unreadable/invalid/expired/revoked credentials, unknown device, malformed
endpoints, a cluster the device does not advertise (contract.md §2.2, §2.4).
"""

from __future__ import annotations

import secrets
from typing import Any

import c2c_cli.simulate.vendor as vendor
from c2c_cli.contract.builders import general_auth, oauth_auth
from c2c_cli.matter import parse_id
from c2c_cli.simulate.suite.commands import endpoints_of
from c2c_cli.simulate.suite.lifecycle import UNKNOWN_DEVICE
from c2c_cli.simulate.suite.model import Context, Outcome
from c2c_cli.simulate.suite.verdicts import refused

__all__ = [
    "expired_token",
    "foreign_cluster",
    "invalid_token",
    "malformed_endpoints",
    "missing_credentials",
    "revoked_token",
    "unknown_device",
    "unknown_operation",
    "unknown_secret",
]


def unknown_operation(ctx: Context) -> Outcome:
    """``AWS.FrobnicateDevices`` with valid credentials."""
    payload = {
        "operationName": "AWS.FrobnicateDevices",
        "operationVersion": "1.0",
        "connectorId": ctx.env.connector_id,
    }
    return refused(ctx, ctx.sim.raw({"header": {"auth": ctx.env.credentials.header()}, "payload": payload}))


def missing_credentials(ctx: Context) -> Outcome:
    """A discovery whose ``auth`` names the type but carries no token or secret."""
    kind = "OAuth2.0" if ctx.env.credentials.kind == "oauth" else "GeneralAuthorization"
    return refused(ctx, ctx.sim.discover(auth={"type": kind}))


def unknown_secret(ctx: Context) -> Outcome:
    """General Authorization: a Secrets Manager reference nobody can read."""
    region, account = ctx.env.emulator.region, ctx.env.account_id
    arn = f"arn:aws:secretsmanager:{region}:{account}:secret:c2c-missing-AbCdEf"
    auth = general_auth(arn, "00000000-0000-0000-0000-000000000000")
    return refused(ctx, ctx.sim.discover(auth=auth))


def invalid_token(ctx: Context) -> Outcome:
    """OAuth without a sandbox: a random token the vendor cannot know."""
    return refused(ctx, ctx.sim.discover(auth=oauth_auth("c2c-invalid-" + secrets.token_urlsafe(24))))


def expired_token(ctx: Context) -> Outcome:
    """A fresh sandbox token, presented after the sandbox's clock has passed its lifetime."""
    token = ctx.env.sandbox_token()
    shift = float(ctx.env.sandbox.settings.token_ttl) + 120.0
    ctx.env.clock_offset[0] += shift
    try:
        return refused(ctx, ctx.sim.discover(auth=oauth_auth(token)))
    finally:
        ctx.env.clock_offset[0] -= shift


def revoked_token(ctx: Context) -> Outcome:
    """A fresh sandbox token, revoked at the vendor first."""
    token = ctx.env.sandbox_token()
    vendor.revoke_token(ctx.env.sandbox, token)
    return refused(ctx, ctx.sim.discover(auth=oauth_auth(token)))


def _first_device(ctx: Context) -> str:
    return str(ctx.sim.devices[0].get("ConnectorDeviceId"))


def unknown_device(ctx: Context) -> Outcome:
    """OnOff.On for a device nobody has; an error StatusCode event instead of an error ACK is fine."""
    endpoints = endpoints_of("1", 0x0006, 0x01, {}, "list")
    return refused(ctx, ctx.sim.command(UNKNOWN_DEVICE, endpoints), event_ok=True)


def malformed_endpoints(ctx: Context) -> Outcome:
    """``clusters`` that is not a list."""
    return refused(ctx, ctx.sim.command(_first_device(ctx), [{"id": "1", "clusters": "not-a-list"}]))


def foreign_cluster(ctx: Context) -> Outcome:
    """A command of a cluster the first device does not advertise (DoorLock, else OnOff)."""
    device = ctx.sim.devices[0]
    have = {
        parse_id(c.get("id"))
        for e in (device.get("CapabilityReport") or {}).get("endpoints") or []
        for c in e.get("clusters") or []
    }
    cluster, command = (0x0101, 0x00) if 0x0101 not in have else (0x0006, 0x01)
    endpoints: list[dict[str, Any]] = endpoints_of("1", cluster, command, {}, "list")
    return refused(ctx, ctx.sim.command(_first_device(ctx), endpoints), event_ok=True)

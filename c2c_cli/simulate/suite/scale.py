"""Scale cases: a large vendor account, and a throttling vendor (contract.md §3.2 pagination, issue 16).

Both run against a sandbox of their own (one user with many devices, the suite's sandbox stays small for
the other cases): the case logs the user in the real way, points the connector's ``VENDOR_API_URL`` at
it, activates the user and discovers. A connector that cannot list the account inside one 2 s
invocation continues in ``Event`` invocations of itself (the emulator's Lambda Invoke runs them); the
simulator waits for the final page. Every vendor device of a kind the connector reports must arrive
exactly once, whatever the number of pages and invocations (``sim.devices-exactly-once``;
``sim.page-repeated`` names a page sent twice).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from c2c_cli.simulate.results import SimulationResult
from c2c_cli.simulate.rules import sim_violation
from c2c_cli.simulate.suite.model import Context, Outcome
from c2c_cli.simulate.suite.verdicts import found
from c2c_cli.violation import Violation

__all__ = ["LARGE_ACCOUNT", "THROTTLED_ACCOUNT", "THROTTLE_S", "large_account", "throttled_discovery"]

#: issue 16: "a case that discovers a large account (>= 5,000 devices) across invocations".
LARGE_ACCOUNT = 5_000
#: enough devices for several vendor pages while the vendor throttles.
THROTTLED_ACCOUNT = 500
#: how long the vendor answers ``GET /v1/devices`` with 429 + ``Retry-After: 1`` (a connector that waits
#: the Retry-After once is through; one that gives up is not).
THROTTLE_S = 0.8
SCALE_USER = "carol"
_SEED = 16  # not the suite sandbox's seed: other device ids than its users'


@contextlib.contextmanager
def _account(ctx: Context, devices: int) -> Iterator[tuple[Any, dict[str, Any]]]:
    """A sandbox whose one user owns ``devices`` devices; the connector's vendor while the block runs."""
    from c2c_cli.contract.builders import oauth_auth
    from c2c_cli.sandbox import SandboxSettings, start_sandbox
    from c2c_cli.simulate.logins import sandbox_login

    settings = SandboxSettings(
        port=0, users=(SCALE_USER,), devices_per_user=devices, seed=_SEED, auto_consent=SCALE_USER
    )
    env, sim = ctx.env.env, ctx.sim
    saved = (env.get("VENDOR_API_URL"), sim.user_id, list(sim.devices))
    with start_sandbox(settings) as sandbox:
        token, refresh = sandbox_login(sandbox, SCALE_USER)
        ctx.env.secrets += [token, refresh or ""]
        env["VENDOR_API_URL"] = sandbox.base_url
        try:
            yield sandbox, oauth_auth(token)
        finally:
            url, sim.user_id, sim.devices = saved
            if url is None:
                env.pop("VENDOR_API_URL", None)
            else:
                env["VENDOR_API_URL"] = url


def _discovered(result: SimulationResult) -> list[str]:
    return [
        str(d.get("ConnectorDeviceId"))
        for e in result.events
        if e.operation == "DEVICE_DISCOVERY"
        for d in e.body.get("Devices") or []
        if isinstance(d, dict)
    ]


def exactly_once(vendor_devices: list[dict[str, Any]], result: SimulationResult) -> list[Violation]:
    """Every vendor device of a kind the connector reports is discovered; none it does not have."""
    kinds = {str(d["id"]): str(d.get("kind")) for d in vendor_devices}
    reported = set(_discovered(result))
    supported = {kinds[d] for d in reported if d in kinds}
    missing = sorted(d for d, kind in kinds.items() if kind in supported and d not in reported)
    unknown = sorted(reported - set(kinds))
    out = []
    if kinds and not reported:
        out.append(
            sim_violation(
                "sim.devices-exactly-once",
                "events",
                f"none of the vendor's {len(kinds)} devices arrived (ACK {result.response_code})",
                "wait out a 429's Retry-After, or continue in an Event invocation of the function and "
                "retry the page there (contract §3.2)",
            )
        )
    if missing:
        out.append(
            sim_violation(
                "sim.devices-exactly-once",
                "events",
                f"{len(missing)} of the vendor's devices of the kinds reported never arrived (e.g. {missing[0]!r})",
                "keep discovering past one invocation until the vendor's last page (contract §3.2)",
            )
        )
    if unknown:
        out.append(
            sim_violation(
                "sim.devices-exactly-once",
                "events",
                f"{len(unknown)} discovered device(s) the vendor does not have (e.g. {unknown[0]!r})",
            )
        )
    return out


def _discover_account(ctx: Context, devices: int, throttle_s: float = 0.0) -> Outcome:
    with _account(ctx, devices) as (sandbox, auth):
        activated = ctx.sim.activate(auth)
        if activated.response_code != 200:
            return Outcome(list(activated.violations), f"AWS.ActivateUser answered {activated.response_code}")
        timer = None
        if throttle_s:
            sandbox.set_faults(endpoints={"/v1/devices": "429"})
            timer = threading.Timer(throttle_s, lambda: sandbox.set_faults(endpoints={}))
            timer.start()
        try:
            result = ctx.sim.discover(auth=auth)
        finally:
            if timer is not None:
                timer.cancel()
                sandbox.set_faults(endpoints={})
        vendor_devices = sandbox.devices_of(sandbox.user_id(SCALE_USER))
    violations, _ = found(ctx, result)
    violations += exactly_once(vendor_devices, result)
    d = result.discovery()
    evidence = (
        f"{len(vendor_devices)} vendor devices: {d['devices']} discovered ({d['devices_sent']} sent) in "
        f"{d['pages']} page(s) over {d['invocations']} invocation(s)"
        + (f", vendor throttled (429) for {throttle_s:g} s" if throttle_s else "")
    )
    return Outcome(violations, evidence)


def large_account(ctx: Context) -> Outcome:
    """An account of :data:`LARGE_ACCOUNT` devices, discovered across invocations, each device once."""
    return _discover_account(ctx, LARGE_ACCOUNT)


def throttled_discovery(ctx: Context) -> Outcome:
    """The vendor answers 429 with ``Retry-After`` for a while: every device still arrives exactly once."""
    return _discover_account(ctx, THROTTLED_ACCOUNT, THROTTLE_S)

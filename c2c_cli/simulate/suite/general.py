"""General Authorization cases: the wrong auth type, an unreadable secret, a rotated secret (contract §2.2).

The secrets are real: the simulator adds and rotates them in the local Secrets Manager (moto), where the
connector reads them with its own credentials; the rotation also issues a new API key at the sandbox
vendor, so the old key stops working and only a connector that reads the new version keeps working.
"""

from __future__ import annotations

import dataclasses
import secrets
from typing import Any

from c2c_cli.contract.builders import general_auth, oauth_auth
from c2c_cli.simulate.logins import moto_secret, put_moto_secret
from c2c_cli.simulate.results import SimulationResult
from c2c_cli.simulate.rules import sim_violation
from c2c_cli.simulate.suite.model import Context, Outcome
from c2c_cli.simulate.suite.verdicts import FOLLOW_UPS, found
from c2c_cli.violation import Violation

__all__ = ["rotated_secret", "unreadable_secret", "wrong_auth_type"]

_VERSION = "00000000-0000-0000-0000-000000000000"


def _message(result: SimulationResult) -> bool:
    ack = result.ack
    return isinstance(ack, dict) and bool((ack.get("payload") or {}).get("responseMessage"))


def _judge(
    ctx: Context, label: str, result: SimulationResult, rule: str, codes: tuple[int, ...] = ()
) -> list[Violation]:
    """The request must get a non-200 ACK (one of ``codes`` if given) with a responseMessage."""
    violations = [v for v in found(ctx, result).violations if v.rule not in FOLLOW_UPS]
    code, want = result.response_code, " or ".join(map(str, codes)) or "a 4xx/5xx"
    if code is None or code == 200 or (codes and code not in codes):
        got = "no ACK (raised or timed out)" if code is None else f"ACK {code}"
        message = f"{label}: {got}"
        violations.append(sim_violation(rule, "ack.header.responseCode", message, f"answer {want}"))
    elif not _message(result):
        violations.append(sim_violation(rule, "ack.payload.responseMessage", f"{label}: no message"))
    return violations


def wrong_auth_type(ctx: Context) -> Outcome:
    """An OAuth ``header.auth`` (a live sandbox token when there is one) and malformed secretsManager refs."""
    token = ctx.env.sandbox_token() if ctx.env.sandbox is not None else "c2c-" + secrets.token_urlsafe(24)
    arn = ctx.env.credentials.secret_arn or ""
    headers: dict[str, dict[str, Any]] = {
        "OAuth header.auth": oauth_auth(token),
        "secretsManager not an object": {"type": "GeneralAuthorization", "secretsManager": arn},
        "secretsManager without arn": {
            "type": "GeneralAuthorization",
            "secretsManager": {"versionId": _VERSION},
        },
        "the right secret with type OAuth2.0": {**general_auth(arn, ""), "type": "OAuth2.0"},
    }
    violations: list[Violation] = []
    for label, auth in headers.items():
        violations += _judge(ctx, label, ctx.sim.activate(auth=auth), "sim.auth-type-accepted")
    return Outcome(violations, f"{len(headers)} malformed header.auth sent")


def unreadable_secret(ctx: Context) -> Outcome:
    """A missing secret, another account's, and a readable one without the API key: 403 or 502 each."""
    emulator, creds = ctx.env.emulator, ctx.env.credentials
    arn = creds.secret_arn or ""
    missing = f"arn:aws:secretsmanager:{emulator.region}:{ctx.env.account_id}:secret:c2c-missing-AbCdEf"
    foreign = arn.replace(f":{ctx.env.account_id}:", ":999999999999:", 1)
    keyless_value = {"user_id": ctx.sim.user_id or "c2c-user", "note": "no API key here"}
    keyless = moto_secret(emulator, f"c2c/suite/keyless-{secrets.token_hex(4)}", keyless_value)
    refs = {
        "no such secret": (missing, _VERSION),
        "another account's secret": (foreign, creds.secret_version or ""),
        "a secret without the API key": keyless,
    }
    violations: list[Violation] = []
    for label, (ref, version) in refs.items():
        result = ctx.sim.discover(auth=general_auth(ref, version))
        violations += _judge(ctx, label, result, "sim.unreadable-secret", (403, 502))
    return Outcome(violations, f"{len(refs)} unreadable secrets sent")


def rotated_secret(ctx: Context) -> Outcome:
    """A new API key at the vendor, PutSecretValue in moto; the next warm discovery must use it."""
    env, sandbox = ctx.env, ctx.env.sandbox
    old = env.credentials
    new_key = sandbox.rotate_api_key()  # the old key stops working at the vendor
    env.secrets.append(new_key)
    value = {"api_key": new_key, "user_id": ctx.sim.user_id or sandbox.user_id("alice")}
    version = put_moto_secret(env.emulator, old.secret_arn or "", value)
    env.credentials = dataclasses.replace(old, secret_version=version)
    devices = list(ctx.sim.devices)
    try:
        result = ctx.sim.discover()
    finally:
        ctx.sim.devices = devices
    violations, evidence = found(ctx, result)
    cold = [a.number for a in result.attempts if a.cold]
    if result.response_code != 200:
        message = (
            f"after the rotation (versionId {version}) the discovery was answered {result.response_code}"
        )
        hint = "read the secret by (arn, versionId): a cache by arn alone keeps the revoked key"
        violations.append(sim_violation("sim.stale-secret", "ack.header.responseCode", message, hint))
    elif cold:
        message = f"the rotation cost a cold start (attempt {cold[0]})"
        violations.append(sim_violation("sim.stale-secret", "attempts", message, "keep the container warm"))
    return Outcome(violations, f"{evidence}, new versionId {version}, warm: {not cold}")

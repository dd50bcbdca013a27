"""The simulator's own rules (``sim.*``), in the same shape as :data:`c2c_cli.contract.RULES`.

Contract rules (``ack.*``, ``event.*``, ``correlation.*``, model shapes) and Matter rules (``matter.*``)
are reported with their own ids; these cover what only a simulator can see: time, retries, the events
that must follow an ACK, the vendor side, and the connector's log output.
"""

from __future__ import annotations

from c2c_cli.contract.rules import Rule
from c2c_cli.violation import ERROR, WARNING, Severity, Violation

__all__ = ["RULES", "SIM_RULES", "sim_violation"]

SIM_RULES: dict[str, Rule] = {
    "sim.budget-exceeded": Rule(ERROR, "each invocation ends within the service's 2 s budget", "§2.1"),
    "sim.slow": Rule(WARNING, "an invocation over 1 s leaves little headroom under the 2 s budget", "§2.1"),
    "sim.handler-raised": Rule(ERROR, "the handler returns an ACK instead of raising", "§2.1, §2.4"),
    "sim.invalid-ack": Rule(ERROR, "the handler returns a JSON object (the ACK)", "§2.3"),
    "sim.retried": Rule(WARNING, "the service retried the invocation after a failure", "§2.1, §9 #4"),
    "sim.missing-event": Rule(
        ERROR, "the events the operation requires arrive after a 200 ACK", "§3.2, §3.3"
    ),
    "sim.discovery-not-final": Rule(ERROR, "discovery ends with a 200 DEVICE_DISCOVERY event", "§3.2"),
    "sim.discovery-timed-out": Rule(
        ERROR,
        "a discovery continued across invocations still ends with its final page (else TIMED_OUT)",
        "§3.2",
    ),
    "sim.page-repeated": Rule(
        ERROR, "each DEVICE_DISCOVERY page is sent once: no device is re-sent in a later page", "§3.2, §2.1"
    ),
    "sim.continuation-failed": Rule(
        ERROR, "every Event invocation continuing a discovery succeeds within Lambda's retries", "§2.1, §3.2"
    ),
    "sim.devices-exactly-once": Rule(
        ERROR, "every vendor device of a kind the connector reports is discovered exactly once", "§3.2"
    ),
    "sim.concurrent-state": Rule(
        ERROR, "after concurrent commands each device is in the state its commands leave", "§3.3, §2.1"
    ),
    "sim.event-rejected": Rule(ERROR, "the service (emulator) accepts every event the connector sends", "§4"),
    "sim.event-signer": Rule(ERROR, "events are signed by the connector-registering account", "§4.1"),
    "sim.duplicate-apply": Rule(ERROR, "a retried SendCommand (same traceId) is applied once", "§2.1"),
    "sim.token-in-logs": Rule(ERROR, "no token or secret appears in the connector's log output", "§6.1 #10"),
    "sim.negative-not-rejected": Rule(
        ERROR, "an invalid request is answered with a non-200 responseCode and a message", "§2.2, §2.4"
    ),
    "sim.events-after-deactivate": Rule(ERROR, "no event for a user follows AWS.DeactivateUser", "§3.4"),
    "sim.token-not-revoked": Rule(ERROR, "AWS.DeactivateUser revokes the user's tokens (OAuth)", "§3.4"),
    "sim.command-rejected": Rule(
        WARNING, "a catalog-valid command of an advertised capability is accepted", "§3.3"
    ),
    "sim.no-devices": Rule(WARNING, "discovery found devices to exercise commands on", "§3.2"),
    "sim.auth-type-accepted": Rule(
        ERROR,
        "a General Authorization connector refuses an OAuth header.auth or a malformed secretsManager",
        "§2.2",
    ),
    "sim.unreadable-secret": Rule(
        ERROR, "a secret the connector cannot read or use is answered 403 or 502 with a message", "§2.2, §7.1"
    ),
    "sim.stale-secret": Rule(
        ERROR, "a rotated secret (new versionId) is used by the next warm invocation, no cold start", "§2.2"
    ),
}

#: the name every rule registry uses (``scripts/gen_docs.py`` reads it).
RULES = SIM_RULES


def sim_violation(
    rule: str, path: str, message: str, hint: str = "", *, severity: Severity | None = None
) -> Violation:
    """A violation of a simulator rule, with the rule's default severity."""
    return Violation(path, message, rule, severity or SIM_RULES[rule].severity, hint)

"""The conformance suite as data: every case of ``c2c test``, in the order the service drives a connector.

This table is the one place a new case goes: write ``run(ctx) -> Outcome`` in the module of its group
(``lifecycle``, ``commands``, ``negative``, ``robustness``) and add its row here. Order matters: cases
share one simulator, so ``lifecycle.activate`` and ``lifecycle.discover`` come first (``required``: they
run even when ``-k`` deselects them) and the deactivation comes last.
"""

from __future__ import annotations

import c2c_cli.simulate.suite.commands as commands
import c2c_cli.simulate.suite.concurrency as concurrency
import c2c_cli.simulate.suite.general as general
import c2c_cli.simulate.suite.lifecycle as lifecycle
import c2c_cli.simulate.suite.negative as negative
import c2c_cli.simulate.suite.robustness as robustness
import c2c_cli.simulate.suite.scale as scale
from c2c_cli.simulate.devices import onoff_endpoints
from c2c_cli.simulate.suite.model import Case, Context, Family, Need

__all__ = ["CASES"]


def _oauth(ctx: Context) -> bool:
    return ctx.env.credentials.kind == "oauth"


def _general(ctx: Context) -> bool:
    return ctx.env.credentials.kind == "general"


def _oauth_without_sandbox(ctx: Context) -> bool:
    return _oauth(ctx) and ctx.env.sandbox is None


DEVICES = Need("no device was discovered", lambda ctx: bool(ctx.sim.devices))
SANDBOX = Need("needs --sandbox", lambda ctx: ctx.env.sandbox is not None)
VENDOR_SIDE = Need("needs --sandbox to see the vendor side", SANDBOX.met)
ACCEPTED = Need("no command was accepted", lambda ctx: bool(ctx.accepted))
WEBHOOKS = Need(
    "needs --sandbox and a webhook entry point (connector.webhook)",
    lambda ctx: ctx.env.sandbox is not None and ctx.env.relay is not None,
)
ONOFF = Need("no discovered device has an OnOff endpoint", lambda ctx: bool(onoff_endpoints(ctx.sim.devices)))
USER = Need("no user was activated", lambda ctx: bool(ctx.sim.user_id))
LOCAL_SECRET = Need("needs the secret in the local Secrets Manager (--sandbox or --secret-file)",
                    lambda ctx: ctx.env.local_secret)  # fmt: skip

COMMAND_RULES = ("correlation.trace-id", "sim.missing-event", "sim.command-rejected")
SCALE_RULES = ("sim.discovery-timed-out", "sim.page-repeated", "sim.continuation-failed",
               "sim.devices-exactly-once")  # fmt: skip
NEGATIVE_RULES = ("sim.negative-not-rejected", "sim.handler-raised", "ack.error-message")

CASES: tuple[Case | Family, ...] = (
    Case("lifecycle.activate", "AWS.ActivateUser returns the user's id",
         ("ack.user-id-required", "ack.user-id-echoable", "sim.budget-exceeded", "sim.handler-raised"),
         lifecycle.activate, required=True),
    Case("lifecycle.discover", "AWS.DiscoverDevices reports every device, ending with a 200 page",
         ("sim.missing-event", "sim.discovery-not-final", "correlation.discovery-id", "correlation.user-id",
          "sim.discovery-timed-out", "sim.page-repeated", "sim.continuation-failed"),
         lifecycle.discover, required=True),
    Case("lifecycle.discover-filter", "discovery with connectorDeviceIdList reports only the listed devices",
         ("correlation.device-filter",), lifecycle.discover_filter, needs=(DEVICES,)),
    Case("lifecycle.discover-unknown-filter",
         "a filter naming no known device still ends the discovery with a 200 page",
         ("sim.discovery-not-final", "correlation.device-filter"), lifecycle.discover_unknown_filter,
         when=DEVICES.met),
    Family((Case("lifecycle.command.{device}.{command}{form}",
                 "a valid {command} ({shape} form) gets a response event with the traceId", COMMAND_RULES),),
           commands.each_command),
    Family((Case("lifecycle.multi-cluster-command.{device}",
                 "one SendCommand with commands for two clusters gets one response with the traceId",
                 ("correlation.trace-id", "sim.missing-event")),),
           commands.multi_cluster),
    Family((Case("lifecycle.read-state.{device}", "ReadState (0xff02) of {cluster} reports current values",
                 ("correlation.trace-id", "sim.missing-event")),
            Case("lifecycle.update-state.{device}.{cluster}.{attribute}",
                 "UpdateState (0xff01) of a writable {attribute} (its current value)", COMMAND_RULES)),
           commands.each_state),
    Case("robustness.duplicate-command", "a SendCommand delivered twice (service retry) is applied once",
         ("sim.duplicate-apply",), robustness.duplicate_command, needs=(VENDOR_SIDE, ACCEPTED)),
    Case("robustness.concurrent-commands",
         "concurrent SendCommands to several devices of one user and to one device: every response, the final state",
         ("correlation.trace-id", "sim.missing-event", "sim.concurrent-state", "sim.budget-exceeded"),
         concurrency.concurrent_commands, needs=(ONOFF,)),
    Case("scale.large-account",
         f"an account of {scale.LARGE_ACCOUNT} devices is discovered across invocations, each device once",
         SCALE_RULES, scale.large_account, needs=(SANDBOX,), when=_oauth),
    Case("robustness.throttled-discovery",
         "a vendor answering 429 + Retry-After still yields every device exactly once",
         SCALE_RULES, scale.throttled_discovery, needs=(SANDBOX,), when=_oauth),
    Case("negative.unknown-operation", "an unknown operationName is refused", NEGATIVE_RULES,
         negative.unknown_operation),
    Case("negative.missing-credentials", "a request without token/secret is refused", NEGATIVE_RULES,
         negative.missing_credentials),
    Case("negative.unknown-secret", "an unreadable Secrets Manager reference is refused", NEGATIVE_RULES,
         negative.unknown_secret, when=_general),
    Case("negative.wrong-auth-type",
         "an OAuth header.auth or a malformed secretsManager is refused by a General Authorization connector",
         ("sim.auth-type-accepted", "sim.handler-raised"), general.wrong_auth_type, when=_general),
    Case("negative.unreadable-secret",
         "a missing secret, another account's, one without the API key: 403 or 502, not 200 or a crash",
         ("sim.unreadable-secret", "sim.handler-raised"), general.unreadable_secret, needs=(LOCAL_SECRET,),
         when=_general),
    Case("lifecycle.rotated-secret",
         "a rotated secret (new API key, new versionId) is used by the next warm invocation",
         ("sim.stale-secret", "sim.handler-raised"), general.rotated_secret, needs=(SANDBOX, LOCAL_SECRET),
         when=_general),
    Case("negative.invalid-token", "a token the vendor rejects is refused", NEGATIVE_RULES,
         negative.invalid_token, when=_oauth_without_sandbox),
    Case("negative.expired-token", "an expired token is refused", NEGATIVE_RULES,
         negative.expired_token, needs=(SANDBOX,), when=_oauth),
    Case("negative.revoked-token", "a revoked token is refused", NEGATIVE_RULES,
         negative.revoked_token, needs=(SANDBOX,), when=_oauth),
    Case("negative.unknown-device", "a command for an unknown device is refused", NEGATIVE_RULES,
         negative.unknown_device),
    Case("negative.malformed-endpoints", "malformed endpoints are refused", NEGATIVE_RULES,
         negative.malformed_endpoints, needs=(DEVICES,)),
    Case("negative.unsupported-cluster", "a cluster the device does not advertise is refused", NEGATIVE_RULES,
         negative.foreign_cluster, needs=(DEVICES,)),
    Case("robustness.budget", "every invocation, cold and warm, ends within the 2 s budget",
         robustness.BUDGET_RULES, robustness.budget),
    Case("lifecycle.device-event", "a physical change reaches the service as a DEVICE_EVENT",
         ("sim.missing-event", "event.required-member", "sim.handler-raised"), lifecycle.device_event,
         needs=(WEBHOOKS, USER)),
    Case("robustness.webhook-function", "the webhook function handles every delivery quietly",
         ("sim.handler-raised", "sim.token-in-logs"), robustness.webhook_function,
         when=lambda ctx: ctx.env.relay is not None),
    Case("lifecycle.deactivate", "AWS.DeactivateUser succeeds and (OAuth) revokes the tokens",
         ("sim.token-not-revoked", "sim.handler-raised"), lifecycle.deactivate, required=True),
    Case("lifecycle.events-after-deactivate", "no event follows AWS.DeactivateUser",
         ("sim.events-after-deactivate",), lifecycle.after_deactivate),
)  # fmt: skip

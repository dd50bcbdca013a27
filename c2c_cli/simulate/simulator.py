"""Play the service against a connector: build the request, deliver it (with retries), capture, check.

Retries follow contract.md §2.1 / §9 #4 through the runtime's one loop (:mod:`c2c_cli.runtime.delivery`,
shared with the emulator): an exception or a timeout is an invocation failure and the identical request
is delivered again, up to 5 more times; a non-200 ACK is a reported failure and is not retried. Events are read from the emulator's log from just before the first attempt (they may precede
the ACK) until the operation's closing event arrives or ``wait_s`` runs out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import c2c_cli.simulate.checks as checks
from c2c_cli.redaction import redact, redact_request
from c2c_cli.runtime.delivery import Attempt, invoke_with_retries
from c2c_cli.runtime.loader import CallOutcome
from c2c_cli.runtime.targets import Target
from c2c_cli.simulate.capture import Expectation, arrivals_of, closes, wait_for_events
from c2c_cli.simulate.environment import Environment
from c2c_cli.simulate.messages import command_request, discovery_request, new_discovery_id, new_trace_id
from c2c_cli.simulate.pagination import continuations_of, pagination_violations
from c2c_cli.simulate.results import CapturedEvent, SimulationResult, Timings
from c2c_cli.simulate.settings import SimulationSettings
from c2c_cli.violation import Violation

__all__ = ["Delivery", "SimulationSettings", "Simulator", "response_code"]


@dataclass(frozen=True)
class Delivery:
    """One request delivered until it returned or the retries ran out."""

    request: dict[str, Any] = field(repr=False)
    attempts: tuple[Attempt, ...]
    outcome: CallOutcome | None
    events: tuple[CapturedEvent, ...]
    logs: str = field(repr=False)
    continuations: tuple[dict[str, Any], ...] = ()

    @property
    def ack(self) -> Any:
        """The returned ACK, None when no attempt returned."""
        return self.outcome.response if self.outcome is not None else None

    @property
    def response_code(self) -> Any:
        """``header.responseCode`` of the ACK."""
        return response_code(self.ack)


class Simulator:
    """A connector under simulation, remembering what the service would (user id, devices).

    Args:
        target: where the handler runs.
        environment: the running service side (emulator, credentials, connector env).
        settings: budget, retries, waiting, repeats.
    """

    def __init__(
        self, target: Target, environment: Environment, settings: SimulationSettings | None = None
    ) -> None:
        self.target = target
        self.environment = environment
        self.settings = settings or SimulationSettings()
        self.user_id: str | None = None
        self.devices: list[dict[str, Any]] = []
        self._seq = 0
        self._arrivals = arrivals_of(environment.emulator)
        #: the emulator's records of the connector's own Event invocations, by log sequence number
        self._async: dict[int, dict[str, Any]] = {}

    # -- the four operations ---------------------------------------------------------------------

    def activate(self, auth: dict[str, Any] | None = None) -> SimulationResult:
        """``AWS.ActivateUser``; remembers the returned ``userId``."""
        from c2c_cli.contract.builders import request

        result = self._repeat(
            "AWS.ActivateUser", lambda: (request("AWS.ActivateUser", self._auth(auth), self._cid), "")
        )
        payload = result.ack.get("payload") if isinstance(result.ack, dict) else None
        if (
            result.response_code == 200
            and isinstance(payload, dict)
            and isinstance(payload.get("userId"), str)
        ):
            self.user_id = payload["userId"]
        return _with_user(result, self.user_id)

    def discover(
        self, device_ids: tuple[str, ...] = (), auth: dict[str, Any] | None = None
    ) -> SimulationResult:
        """``AWS.DiscoverDevices``; remembers the reported devices."""

        def build() -> tuple[dict[str, Any], str]:
            discovery_id = new_discovery_id()
            self.environment.expect_discovery(discovery_id, device_ids)
            return discovery_request(self._auth(auth), self._cid, discovery_id, device_ids), discovery_id

        result = self._repeat("AWS.DiscoverDevices", build, device_ids=device_ids)
        found = [
            d for e in result.events if e.operation == "DEVICE_DISCOVERY" for d in e.body.get("Devices") or []
        ]
        if found or result.response_code == 200:
            self.devices = [d for d in found if isinstance(d, dict)]
        return _with_user(result, self.user_id)

    def command(
        self,
        device_id: str,
        endpoints: list[dict[str, Any]],
        trace_id: str | None = None,
        auth: dict[str, Any] | None = None,
    ) -> SimulationResult:
        """``AWS.SendCommand`` (a fresh ``traceId`` per repeat unless one is given)."""

        def build() -> tuple[dict[str, Any], str]:
            trace = trace_id or new_trace_id()
            return command_request(self._auth(auth), self._cid, device_id, trace, endpoints), trace

        return _with_user(self._repeat("AWS.SendCommand", build, device_id=device_id), self.user_id)

    def deactivate(self, auth: dict[str, Any] | None = None) -> SimulationResult:
        """``AWS.DeactivateUser``."""
        from c2c_cli.contract.builders import request

        build = lambda: (request("AWS.DeactivateUser", self._auth(auth), self._cid), "")  # noqa: E731
        return _with_user(self._repeat("AWS.DeactivateUser", build), self.user_id)

    def raw(self, request: dict[str, Any]) -> SimulationResult:
        """Deliver a request as given (``--event FILE``), checked as its ``operationName`` says."""
        raw = request.get("payload")
        payload: dict[str, Any] = raw if isinstance(raw, dict) else {}
        operation = str(payload.get("operationName") or "")
        correlation = str(payload.get("deviceDiscoveryId") or payload.get("traceId") or "")

        def build() -> tuple[dict[str, Any], str]:
            if operation == "AWS.DiscoverDevices" and correlation:
                self.environment.expect_discovery(correlation)  # (again) running for every repeat
            return request, correlation

        return self._repeat(operation, build, device_id=str(payload.get("connectorDeviceId") or ""))

    # -- machinery -------------------------------------------------------------------------------

    @property
    def _cid(self) -> str:
        return self.environment.connector_id

    def _auth(self, auth: dict[str, Any] | None) -> dict[str, Any]:
        return auth if auth is not None else self.environment.credentials.header()

    def deliver(self, request: dict[str, Any], operation: str, correlation: str = "") -> Delivery:
        """Invoke until the handler returns (at most 1 + retries times), then capture the events."""
        env, secrets = self.environment.env, self.environment.secrets
        invocation = invoke_with_retries(
            lambda budget_ms: self.target.invoke(request, env, budget_ms),
            self.settings.policy,
            redact=lambda text: redact(text, secrets),
        )
        outcome = invocation.outcome
        code = response_code(outcome.response) if outcome is not None else None
        expect = closes(operation, correlation) if code == 200 else (lambda _e: True)
        known = set(self._async)
        events: list[CapturedEvent] = []
        if self.settings.capture:
            events = self._wait(expect, continuing=operation == "AWS.DiscoverDevices" and code == 200)
        if events:
            self._seq = max(e.seq for e in events)
        fresh = [r for seq, r in sorted(self._async.items()) if seq not in known]
        mine = continuations_of(fresh, correlation) if operation == "AWS.DiscoverDevices" else fresh
        mine = [{**r, "logs": redact(str(r.get("logs") or ""), self.environment.secrets)} for r in mine]
        return Delivery(request, invocation.attempts, outcome, tuple(events), invocation.logs, tuple(mine))

    def _wait(self, expect: Expectation, *, continuing: bool) -> list[CapturedEvent]:
        """The operation's events; a discovery may go on in the connector's own Event invocations."""
        if not continuing:
            return wait_for_events(
                self._read, self._seq, expect, self.settings.wait_s, arrivals=self._arrivals
            )
        emulator = self.environment.emulator
        events = wait_for_events(
            self._read,
            self._seq,
            expect,
            self.settings.wait_s,
            arrivals=self._arrivals,
            busy=lambda: bool(emulator.invocations_pending()),
            max_wait_s=self.settings.discovery_wait_s,
        )
        # A continuation's record follows its last page, and a late (repeated) page is still the
        # discovery's: let the running ones finish (bounded), then read what they left.
        emulator.wait_invocations(self.settings.wait_s)
        after = max((e.seq for e in events), default=self._seq)
        return events + wait_for_events(self._read, after, lambda _e: True, 0.0)

    def collect(self, wait_s: float, until: Expectation | None = None) -> list[CapturedEvent]:
        """Events arriving (after the last captured one) within ``wait_s``, or until ``until(events)``."""
        done = until or (lambda _e: False)
        events = wait_for_events(self._read, self._seq, done, wait_s, arrivals=self._arrivals)
        if events:
            self._seq = max(e.seq for e in events)
        return events

    def _read(self, after: int) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = self.environment.emulator.events(self._cid, after)
        # The log also holds the emulator's own invocation records (it can drive connectors itself) and
        # those of the connector's Event invocations of itself (kept: they are the continuations).
        for r in records:
            if r.get("kind") == "invocation" and r.get("invocation_type") == "Event":
                self._async[int(r["seq"])] = r
        return [r for r in records if r.get("kind") != "invocation"]

    def _repeat(
        self,
        operation: str,
        build: Callable[[], tuple[dict[str, Any], str]],
        *,
        device_ids: tuple[str, ...] = (),
        device_id: str = "",
    ) -> SimulationResult:
        attempts: list[Attempt] = []
        violations: list[Violation] = []
        delivery: Delivery | None = None
        for _ in range(max(1, self.settings.repeat)):
            request, correlation = build()
            delivery = self.deliver(request, operation, correlation)
            attempts += delivery.attempts
            for v in self.check(delivery, operation, correlation, device_ids=device_ids, device_id=device_id):
                if v not in violations:
                    violations.append(v)
        assert delivery is not None
        return SimulationResult(
            operation=operation,
            request=redact_request(delivery.request),
            ack=delivery.ack,
            events=delivery.events,
            violations=tuple(violations),
            timings=Timings.of([a for a in attempts if a.outcome == "ok"]),
            attempts=tuple(attempts),
            logs=redact(delivery.logs, self.environment.secrets),
            continuations=delivery.continuations,
        )

    def check(
        self,
        delivery: Delivery,
        operation: str,
        correlation: str,
        *,
        device_ids: tuple[str, ...] = (),
        device_id: str = "",
    ) -> list[Violation]:
        """Every check of issue 7 §4 on one delivery."""
        events = list(delivery.events)
        found = checks.attempt_violations(list(delivery.attempts), self.settings.budget_ms)
        if delivery.outcome is not None:
            found += checks.ack_violations(delivery.ack, operation)
        found += checks.event_violations(events, self.environment.account_id)
        found += checks.user_violations(events, self.user_id)
        # A deployed function's events go to AWS, not to our emulator: only the ACK can be checked then.
        required = self.settings.capture and delivery.response_code == 200
        if required and operation == "AWS.DiscoverDevices":
            found += checks.discovery_violations(events, correlation, device_ids)
            found += pagination_violations(
                events, correlation, list(delivery.continuations), self.settings.discovery_wait_s
            )
        if required and operation == "AWS.SendCommand":
            found += checks.command_violations(events, correlation, device_id)
        found += checks.log_violations(delivery.logs, self.environment.secrets)
        return found


def response_code(ack: Any) -> Any:
    """``header.responseCode`` of an ACK, None when there is none."""
    if isinstance(ack, dict) and isinstance(ack.get("header"), dict):
        return ack["header"].get("responseCode")
    return None


def _with_user(result: SimulationResult, user_id: str | None) -> SimulationResult:
    from dataclasses import replace

    return replace(result, user_id=user_id)

"""The conformance cases (issue 7 §5), in the order the service would drive a connector over its life."""

from __future__ import annotations

from typing import Any

from c2c_cli.matter import format_id
from c2c_cli.simulate import checks, vendor
from c2c_cli.simulate.casebase import Found, endpoints_of, name_of, writable
from c2c_cli.simulate.conformance import CaseResult
from c2c_cli.simulate.devices import advertised_commands
from c2c_cli.simulate.messages import sample_fields
from c2c_cli.simulate.negatives import NegativeCases
from c2c_cli.simulate.robustness import RobustnessCases
from c2c_cli.simulate.rules import sim_violation

__all__ = ["ConformanceCases"]


def _two_clusters(
    accepted: list[tuple[str, list[dict[str, Any]]]],
) -> tuple[str, list[dict[str, Any]]] | None:
    """A device and ``endpoints`` joining two accepted commands of different clusters of one endpoint."""
    for device, first in accepted:
        for other_device, second in accepted:
            same_endpoint = first[0]["id"] == second[0]["id"]
            if (
                other_device == device
                and same_endpoint
                and first[0]["clusters"][0]["id"] != second[0]["clusters"][0]["id"]
            ):
                return device, [
                    {"id": first[0]["id"], "clusters": first[0]["clusters"] + second[0]["clusters"]}
                ]
    return None


class ConformanceCases(NegativeCases, RobustnessCases):
    """Runs every case on one simulator (``ConformanceCases(simulator, run).execute()``)."""

    def execute(self) -> list[CaseResult]:
        """All cases, lifecycle order."""
        self._activate()
        self._discover()
        self._filter()
        self._commands()
        self._multi_cluster()
        self._states()
        self._duplicate()
        self._negatives()
        self._budget()
        self._device_event()
        self._webhooks()
        self._deactivate()
        return self.run.results

    # -- lifecycle -------------------------------------------------------------------------------

    def _activate(self) -> None:
        rules = ("ack.user-id-required", "ack.user-id-echoable", "sim.budget-exceeded", "sim.handler-raised")
        self.run.run(
            "lifecycle.activate",
            "AWS.ActivateUser returns the user's id",
            rules,
            lambda: self._found(self.sim.activate()),
            required=True,
        )

    def _discover(self) -> None:
        rules = (
            "sim.missing-event",
            "sim.discovery-not-final",
            "correlation.discovery-id",
            "correlation.user-id",
        )

        def body() -> Found:
            found, evidence = self._found(self.sim.discover())
            if not self.sim.devices:
                found.append(sim_violation("sim.no-devices", "events", "discovery reported no device"))
            return found, f"{evidence}, {len(self.sim.devices)} device(s)"

        self.run.run(
            "lifecycle.discover",
            "AWS.DiscoverDevices reports every device, ending with a 200 page",
            rules,
            body,
            required=True,
        )

    def _filter(self) -> None:
        title, rules = (
            "discovery with connectorDeviceIdList reports only the listed devices",
            ("correlation.device-filter",),
        )
        if not self.sim.devices:
            self.run.skip("lifecycle.discover-filter", title, rules, "no device was discovered")
            return
        wanted = (str(self.sim.devices[0].get("ConnectorDeviceId")),)
        devices = list(self.sim.devices)
        self.run.run(
            "lifecycle.discover-filter", title, rules, lambda: self._found(self.sim.discover(wanted))
        )
        unknown = ("c2c-unknown-device-0000",)
        self.run.run(
            "lifecycle.discover-unknown-filter",
            "a filter naming no known device still ends the discovery with a 200 page",
            ("sim.discovery-not-final", "correlation.device-filter"),
            lambda: self._found(self.sim.discover(unknown)),
        )
        self.sim.devices = devices

    def _multi_cluster(self) -> None:
        """One SendCommand with commands for two clusters of a device (contract.md §3.3 simulator cases)."""
        title = "one SendCommand with commands for two clusters gets one response with the traceId"
        rules = ("correlation.trace-id", "sim.missing-event")
        found = _two_clusters(self.accepted)
        if found is None:
            self.run.skip(
                "lifecycle.multi-cluster-command", title, rules, "no device accepted commands on two clusters"
            )
            return
        device, endpoints = found
        body = lambda: self._accepted(self.sim.command(device, endpoints))  # noqa: E731
        self.run.run(f"lifecycle.multi-cluster-command.{device}", title, rules, body)

    def _commands(self) -> None:
        for index, device in enumerate(self.sim.devices):
            device_id = str(device.get("ConnectorDeviceId"))
            for n, (endpoint, cluster, command, current) in enumerate(advertised_commands(device)):
                shape = "map" if index == 0 and n == 0 else self.sim.settings.commands_shape
                self._command(device_id, endpoint, cluster, command, current, shape)

    def _command(
        self, device_id: str, endpoint: str, cluster: int, command: int, current: dict[int, Any], shape: str
    ) -> None:
        case_id = f"lifecycle.command.{device_id}.{name_of(cluster, command)}" + (
            ".map-form" if shape == "map" else ""
        )
        title = f"a valid {name_of(cluster, command)} ({shape} form) gets a response event with the traceId"
        rules = ("correlation.trace-id", "sim.missing-event", "sim.command-rejected")
        fields = sample_fields(cluster, command, current)
        if fields is None:
            self.run.skip(case_id, title, rules, "the command is not in the Matter catalog")
            return
        endpoints = endpoints_of(endpoint, cluster, command, fields, shape)

        def body() -> Found:
            result = self.sim.command(device_id, endpoints)
            if result.response_code == 200:
                self.accepted.append((device_id, endpoints))
            return self._accepted(result)

        self.run.run(case_id, title, rules, body)

    def _states(self) -> None:
        for device in self.sim.devices:
            device_id = str(device.get("ConnectorDeviceId"))
            report = (device.get("CapabilityReport") or {}).get("endpoints") or [{}]
            endpoint = report[0]
            clusters = endpoint.get("clusters") or []
            if not clusters:
                continue
            self._read_state(device_id, str(endpoint.get("id")), clusters[0])
            self._update_state(device_id, str(endpoint.get("id")), clusters)

    def _read_state(self, device_id: str, endpoint: str, cluster: dict[str, Any]) -> None:
        from c2c_cli.matter import parse_id

        cid = parse_id(cluster.get("id")) or 0
        fields = {
            format_id(parse_id(a.get("id")) or 0, "attribute"): None
            for a in cluster.get("attributes") or []
            if isinstance(a, dict)
        }
        endpoints = endpoints_of(endpoint, cid, 0xFF02, fields, self.sim.settings.commands_shape)
        rules = ("correlation.trace-id", "sim.missing-event")
        self.run.run(
            f"lifecycle.read-state.{device_id}",
            f"ReadState (0xff02) of {name_of(cid)} reports current values",
            rules,
            lambda: self._found(self.sim.command(device_id, endpoints)),
        )

    def _update_state(self, device_id: str, endpoint: str, clusters: list[dict[str, Any]]) -> None:
        found = writable(clusters)
        if found is None:
            return
        cid, aid, name, value = found
        fields = {format_id(aid, "attribute"): value}
        endpoints = endpoints_of(endpoint, cid, 0xFF01, fields, self.sim.settings.commands_shape)

        def body() -> Found:
            return self._accepted(self.sim.command(device_id, endpoints))

        case_id = f"lifecycle.update-state.{device_id}.{name_of(cid)}.{name}"
        rules = ("correlation.trace-id", "sim.missing-event", "sim.command-rejected")
        self.run.run(case_id, f"UpdateState (0xff01) of a writable {name} (its current value)", rules, body)

    # -- the end ---------------------------------------------------------------------------------

    def _device_event(self) -> None:
        case_id, title = "lifecycle.device-event", "a physical change reaches the service as a DEVICE_EVENT"
        rules = ("sim.missing-event", "event.required-member", "sim.handler-raised")
        if self.env.sandbox is None or self.env.relay is None:
            self.run.skip(
                case_id, title, rules, "needs --sandbox and a webhook entry point (connector.webhook)"
            )
            return
        if not self.sim.user_id:
            self.run.skip(case_id, title, rules, "no user was activated")
            return
        self.run.run(case_id, title, rules, self._device_event_body)

    def _device_event_body(self) -> Found:
        assert self.sim.user_id is not None
        device = vendor.poke_any(self.env.sandbox, self.sim.user_id)
        if device is None:
            return [], "no device with an on/off state to change"
        before = len(self.env.relay.deliveries)
        events = self.sim.collect(
            self.sim.settings.wait_s, lambda es: any(e.operation == "DEVICE_EVENT" for e in es)
        )
        found = checks.event_violations(events, self.env.account_id) + checks.user_violations(
            events, self.sim.user_id
        )
        found += checks.webhook_violations(self.env.relay.deliveries[before:], self.env.secrets)
        if not any(
            e.operation == "DEVICE_EVENT" and e.body.get("ConnectorDeviceId") == device for e in events
        ):
            found.append(
                sim_violation(
                    "sim.missing-event",
                    "events",
                    f"no DEVICE_EVENT for {device} after its state changed at the vendor",
                    "turn the vendor's state-change webhooks into DEVICE_EVENTs (contract §4.4)",
                )
            )
        return (
            found,
            f"device {device} changed; {len(events)} event(s), {len(self.env.relay.deliveries) - before} webhook call(s)",
        )

    def _deactivate(self) -> None:
        rules = ("sim.token-not-revoked", "sim.handler-raised")
        self.run.run(
            "lifecycle.deactivate",
            "AWS.DeactivateUser succeeds and (OAuth) revokes the tokens",
            rules,
            self._deactivate_body,
            required=True,
        )
        after = ("sim.events-after-deactivate",)
        self.run.run(
            "lifecycle.events-after-deactivate", "no event follows AWS.DeactivateUser", after, self._after
        )

    def _deactivate_body(self) -> Found:
        if self.env.sandbox is not None:
            self.env.sandbox.wait_idle(2.0)  # earlier changes' webhooks are not "after deactivation"
        found, evidence = self._found(self.sim.deactivate())
        credentials, sandbox = self.env.credentials, self.env.sandbox
        if credentials.kind == "oauth" and sandbox is not None and credentials.token:
            alive = [
                t
                for t in (credentials.token, self.env.refresh_tokens.get(credentials.token))
                if t and vendor.active_token(sandbox, t)
            ]
            if alive:
                found.append(
                    sim_violation(
                        "sim.token-not-revoked",
                        "vendor.tokens",
                        f"{len(alive)} of the user's tokens are still active",
                        "revoke the grant at the vendor (RFC 7009)",
                    )
                )
        return found, evidence

    def _after(self) -> Found:
        poked, before = None, len(self.env.relay.deliveries) if self.env.relay is not None else 0
        if self.env.sandbox is not None and self.sim.user_id:
            poked = vendor.poke_any(self.env.sandbox, self.sim.user_id)
            self.env.sandbox.wait_idle(2.0)
        late = self.sim.collect(0.3)
        calls = len(self.env.relay.deliveries) - before if self.env.relay is not None else 0
        found = [
            sim_violation(
                "sim.events-after-deactivate",
                f"events[{i}]",
                f"{e.operation} arrived after DeactivateUser",
                "stop sending events for a deactivated user",
            )
            for i, e in enumerate(late)
        ]
        changed = f" (device {poked} changed, {calls} webhook call(s))" if poked else ""
        return found, f"{len(late)} event(s) after deactivation{changed}"

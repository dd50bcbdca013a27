"""Negative cases: requests the connector must refuse with a non-200 ACK and a message, not a crash."""

from __future__ import annotations

import secrets
from typing import Any

from c2c_cli.contract.builders import general_auth, oauth_auth
from c2c_cli.simulate import vendor
from c2c_cli.simulate.casebase import CaseBase, Found, endpoints_of

__all__ = ["NegativeCases"]

_UNKNOWN_DEVICE = "c2c-unknown-device-0000"
_NEGATIVE_RULES = ("sim.negative-not-rejected", "sim.handler-raised", "ack.error-message")


class NegativeCases(CaseBase):
    """Unknown operation, missing/expired/revoked credentials, unknown device, bad endpoints, foreign cluster."""

    def _negatives(self) -> None:
        rules = _NEGATIVE_RULES
        self.run.run(
            "negative.unknown-operation",
            "an unknown operationName is refused",
            rules,
            lambda: self._refused(self.sim.raw(self._unknown_operation())),
        )
        self.run.run(
            "negative.missing-credentials",
            "a request without token/secret is refused",
            rules,
            lambda: self._refused(self.sim.discover(auth=self._missing_auth())),
        )
        self._bad_credentials()
        self._bad_commands()

    def _bad_commands(self) -> None:
        """Commands the connector cannot carry out: ``event_ok`` allows an error StatusCode event instead."""
        device = str(self.sim.devices[0].get("ConnectorDeviceId")) if self.sim.devices else None
        cases: list[tuple[str, str, str | None, Any, bool]] = [
            ("unknown-device", "a command for an unknown device is refused", _UNKNOWN_DEVICE,
             lambda: endpoints_of("1", 0x0006, 0x01, {}, "list"), True),
            ("malformed-endpoints", "malformed endpoints are refused", device,
             lambda: [{"id": "1", "clusters": "not-a-list"}], False),
            ("unsupported-cluster", "a cluster the device does not advertise is refused", device,
             self._foreign_cluster, True),
        ]  # fmt: skip
        for name, title, target, endpoints, event_ok in cases:
            if target is None:
                self.run.skip(f"negative.{name}", title, _NEGATIVE_RULES, "no device was discovered")
                continue

            def body(target: str = target, endpoints: Any = endpoints, event_ok: bool = event_ok) -> Found:
                return self._refused(self.sim.command(target, endpoints()), event_ok=event_ok)

            self.run.run(f"negative.{name}", title, _NEGATIVE_RULES, body)

    def _unknown_operation(self) -> dict[str, Any]:
        payload = {
            "operationName": "AWS.FrobnicateDevices",
            "operationVersion": "1.0",
            "connectorId": self.env.connector_id,
        }
        return {"header": {"auth": self.env.credentials.header()}, "payload": payload}

    def _missing_auth(self) -> dict[str, Any]:
        return (
            {"type": "OAuth2.0"} if self.env.credentials.kind == "oauth" else {"type": "GeneralAuthorization"}
        )

    def _foreign_cluster(self) -> list[dict[str, Any]]:
        from c2c_cli.matter import parse_id

        device = self.sim.devices[0]
        have = {
            parse_id(c.get("id"))
            for e in (device.get("CapabilityReport") or {}).get("endpoints") or []
            for c in e.get("clusters") or []
        }
        cluster, command = (0x0101, 0x00) if 0x0101 not in have else (0x0006, 0x01)
        return endpoints_of("1", cluster, command, {}, "list")

    def _bad_credentials(self) -> None:
        rules = _NEGATIVE_RULES
        if self.env.credentials.kind == "general":
            arn = f"arn:aws:secretsmanager:{self.env.emulator.region}:{self.env.account_id}:secret:c2c-missing-AbCdEf"
            auth = general_auth(arn, "00000000-0000-0000-0000-000000000000")
            self.run.run(
                "negative.unknown-secret",
                "an unreadable Secrets Manager reference is refused",
                rules,
                lambda: self._refused(self.sim.discover(auth=auth)),
            )
            return
        if self.env.sandbox is None:
            bogus = oauth_auth("c2c-invalid-" + secrets.token_urlsafe(24))
            self.run.run(
                "negative.invalid-token",
                "a token the vendor rejects is refused",
                rules,
                lambda: self._refused(self.sim.discover(auth=bogus)),
            )
            self.run.skip("negative.expired-token", "an expired token is refused", rules, "needs --sandbox")
            self.run.skip("negative.revoked-token", "a revoked token is refused", rules, "needs --sandbox")
            return
        self.run.run("negative.expired-token", "an expired token is refused", rules, self._expired)
        self.run.run("negative.revoked-token", "a revoked token is refused", rules, self._revoked)

    def _expired(self) -> Found:
        token = self.env.sandbox_token()
        shift = float(self.env.sandbox.settings.token_ttl) + 120.0
        self.env.clock_offset[0] += shift
        try:
            return self._refused(self.sim.discover(auth=oauth_auth(token)))
        finally:
            self.env.clock_offset[0] -= shift

    def _revoked(self) -> Found:
        token = self.env.sandbox_token()
        vendor.revoke_token(self.env.sandbox, token)
        return self._refused(self.sim.discover(auth=oauth_auth(token)))

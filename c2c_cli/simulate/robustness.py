"""Robustness cases: a retried SendCommand applied once, every invocation inside the budget."""

from __future__ import annotations

from c2c_cli.simulate import checks, vendor
from c2c_cli.simulate.casebase import FOLLOW_UPS, CaseBase, Found
from c2c_cli.simulate.messages import command_request, new_trace_id
from c2c_cli.simulate.rules import sim_violation

__all__ = ["RobustnessCases"]


class RobustnessCases(CaseBase):
    """The service retries (contract.md §2.1): idempotency and time."""

    def _duplicate(self) -> None:
        case_id, title, rules = (
            "robustness.duplicate-command",
            "a SendCommand delivered twice (service retry) is applied once",
            ("sim.duplicate-apply",),
        )
        if self.env.sandbox is None:
            self.run.skip(case_id, title, rules, "needs --sandbox to see the vendor side")
            return
        if not self.accepted:
            self.run.skip(case_id, title, rules, "no command was accepted")
            return
        self.run.run(case_id, title, rules, self._deliver_twice)

    def _deliver_twice(self) -> Found:
        sandbox = self.env.sandbox
        for device_id, endpoints in self.accepted:
            request = command_request(
                self.env.credentials.header(), self.env.connector_id, device_id, new_trace_id(), endpoints
            )
            before = vendor.command_count(sandbox, device_id)
            first = self.sim.deliver(request, "AWS.SendCommand", request["payload"]["traceId"])
            once = vendor.command_count(sandbox, device_id)
            if once == before:
                continue  # this command does not reach the vendor (e.g. a no-op): try another one
            second = self.sim.deliver(request, "AWS.SendCommand", request["payload"]["traceId"])
            twice = vendor.command_count(sandbox, device_id)
            found = [
                v
                for d in (first, second)
                for v in self.sim.check(
                    d, "AWS.SendCommand", request["payload"]["traceId"], device_id=device_id
                )
                if v.rule not in FOLLOW_UPS
            ]
            if twice > once:
                found.append(
                    sim_violation(
                        "sim.duplicate-apply",
                        "vendor.commands",
                        f"the same traceId reached the vendor {twice - before} times",
                        "use the traceId as an idempotency key at the vendor",
                    )
                )
            return found, f"device {device_id}: vendor commands {before} -> {once} -> {twice}"
        return [], "no accepted command reached the vendor"

    def _budget(self) -> None:
        rules = ("sim.budget-exceeded", "sim.slow")

        def body() -> Found:
            found = [v for r in self.seen for v in r.violations if v.rule in rules]
            cold = [a.duration_ms for r in self.seen for a in r.attempts if a.cold]
            warm = [a.duration_ms for r in self.seen for a in r.attempts if not a.cold]
            return (
                found,
                f"cold max {max(cold, default=0):.0f} ms, warm max {max(warm, default=0):.0f} ms over {len(warm) + len(cold)} invocation(s)",
            )

        self.run.run(
            "robustness.budget", "every invocation, cold and warm, ends within the 2 s budget", rules, body
        )

    def _webhooks(self) -> None:
        """Every delivery to the webhook function answered without an exception and without secrets in logs."""
        if self.env.relay is None:
            return
        relay = self.env.relay

        def body() -> Found:
            found = checks.webhook_violations(list(relay.deliveries), self.env.secrets)
            return found, f"{len(relay.deliveries)} webhook delivery(ies) so far"

        rules = ("sim.handler-raised", "sim.token-in-logs")
        self.run.run(
            "robustness.webhook-function", "the webhook function handles every delivery quietly", rules, body
        )

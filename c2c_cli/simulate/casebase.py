"""What every conformance case shares: the simulator, the run, and how a result becomes a verdict."""

from __future__ import annotations

from typing import Any

from c2c_cli.matter import format_id, load_catalog
from c2c_cli.simulate.conformance import SuiteRun
from c2c_cli.simulate.results import SimulationResult
from c2c_cli.simulate.rules import sim_violation
from c2c_cli.simulate.simulator import Simulator
from c2c_cli.violation import Violation

__all__ = ["FOLLOW_UPS", "CaseBase", "Found", "endpoints_of", "name_of", "writable"]

#: violations that only follow from a 200 ACK (missing events): meaningless for a refused request.
FOLLOW_UPS = ("sim.missing-event", "sim.discovery-not-final", "correlation.trace-id")
Found = tuple[list[Violation], str]


def _evidence(result: SimulationResult) -> str:
    slowest = max((a.duration_ms for a in result.attempts), default=0.0)
    return (
        f"ACK {result.response_code}, {len(result.events)} event(s), {len(result.attempts)} attempt(s), "
        f"slowest {slowest:.0f} ms"
    )


def endpoints_of(
    endpoint: str, cluster: int, command: int, fields: dict[str, Any], shape: str
) -> list[dict[str, Any]]:
    """``endpoints`` with one command, in the list or map form (contract.md §5.4)."""
    key = format_id(command, "command")
    commands: Any = {key: fields} if shape == "map" else [{key: fields}]
    return [{"id": endpoint, "clusters": [{"id": format_id(cluster, "cluster"), "commands": commands}]}]


def writable(clusters: list[dict[str, Any]]) -> tuple[int, int, str, Any] | None:
    """The first attribute with a value that the catalog says is writable: (cluster, attribute, name, value)."""
    from c2c_cli.matter import parse_id

    for cluster in clusters:
        spec = load_catalog().cluster(parse_id(cluster.get("id")) or -1)
        for attribute in cluster.get("attributes") or []:
            aid = parse_id(attribute.get("id")) if isinstance(attribute, dict) else None
            known = spec.attribute(aid) if spec is not None and aid is not None else None
            if spec is not None and known is not None and known.writable and "value" in attribute:
                return spec.id, known.id, known.name, attribute["value"]
    return None


def name_of(cluster: int, command: int | None = None) -> str:
    """``OnOff`` or ``OnOff.Toggle`` from the catalog (hex ids when unknown)."""
    found = load_catalog().cluster(cluster)
    cname = found.name if found else format_id(cluster, "cluster")
    if command is None:
        return cname
    spec = found.command(command) if found else None
    return f"{cname}.{spec.name if spec else format_id(command, 'command')}"


class CaseBase:
    """The state the cases share.

    Args:
        simulator: a ready simulator (fresh: nothing activated yet).
        run: collects the results and applies ``-k``.
    """

    def __init__(self, simulator: Simulator, run: SuiteRun) -> None:
        self.sim = simulator
        self.run = run
        self.env = simulator.environment
        self.seen: list[SimulationResult] = []
        self.accepted: list[tuple[str, list[dict[str, Any]]]] = []

    # -- helpers ---------------------------------------------------------------------------------

    def _found(self, result: SimulationResult) -> Found:
        self.seen.append(result)
        if result.attempts and all(a.outcome == "timeout" for a in result.attempts):
            self.run.dead = "the connector did not answer any attempt in time"
        return list(result.violations), _evidence(result)

    def _accepted(self, result: SimulationResult) -> Found:
        """A valid command: a non-200 answer is a warning (the device may refuse it in its state)."""
        found, evidence = self._found(result)
        if result.response_code not in (None, 200):
            message = f"a catalog-valid command was answered {result.response_code}"
            found.append(sim_violation("sim.command-rejected", "ack.header.responseCode", message))
        return found, evidence

    def _refused(self, result: SimulationResult, *, event_ok: bool = False) -> Found:
        """A negative case: a non-200 ACK with a message (or, where allowed, an error StatusCode event)."""
        found, evidence = self._found(result)
        found = [v for v in found if v.rule not in FOLLOW_UPS]
        code, ack = result.response_code, result.ack
        error_event = any(int(e.body.get("StatusCode") or 200) >= 400 for e in result.events)
        if code == 200 and not (event_ok and error_event):
            found.append(
                sim_violation(
                    "sim.negative-not-rejected",
                    "ack.header.responseCode",
                    "the invalid request was answered 200",
                    "answer with a 4xx responseCode and a responseMessage",
                )
            )
        elif code not in (None, 200) and not (
            isinstance(ack, dict) and (ack.get("payload") or {}).get("responseMessage")
        ):
            found.append(
                sim_violation(
                    "sim.negative-not-rejected",
                    "ack.payload.responseMessage",
                    f"the {code} ACK has no responseMessage",
                    "say what was wrong",
                )
            )
        return found, evidence

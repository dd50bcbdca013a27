"""What a conformance case is: a row of the table (:data:`~c2c_cli.simulate.suite.table.CASES`).

A :class:`Case` is data (id, title, rules, what it needs) plus one plain function ``run(ctx) -> Outcome``.
A :class:`Family` stands for cases only known at run time (one per discovered device or advertised
command): its templates carry ``{placeholders}`` in id and title, and its ``expand`` yields the cases,
each a template bound to its values and its run function.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from c2c_cli.violation import Violation

if TYPE_CHECKING:
    from c2c_cli.simulate.environment import Environment
    from c2c_cli.simulate.results import SimulationResult
    from c2c_cli.simulate.simulator import Simulator

__all__ = ["Case", "Context", "Family", "Need", "Outcome", "Run", "always", "unmet"]


class Outcome(NamedTuple):
    """What a case found: its violations (errors fail it) and one line of evidence."""

    violations: list[Violation]
    evidence: str


@dataclass
class Context:
    """The state the cases share while the suite runs (``ctx``).

    Attributes:
        sim: a ready simulator (fresh: nothing activated yet).
        seen: every operation's result so far (the budget case sums them up).
        accepted: (device, endpoints) of every command answered 200 (later cases reuse them).
        dead: why the connector counts as gone (every attempt timed out); later cases are skipped.
    """

    sim: Simulator
    seen: list[SimulationResult] = field(default_factory=list)
    accepted: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    dead: str = ""

    @property
    def env(self) -> Environment:
        """The service side: emulator, sandbox, credentials, webhook relay."""
        return self.sim.environment


Run = Callable[[Context], Outcome]


@dataclass(frozen=True)
class Need:
    """A precondition: unmet, the case is reported as skipped with ``reason`` (it does not run)."""

    reason: str
    met: Callable[[Context], bool]


def always(_ctx: Context) -> bool:
    """The default ``when``: the case applies to every connector."""
    return True


def unmet(reason: str) -> Need:
    """A need known to fail (e.g. a command the Matter catalog does not describe)."""
    return Need(reason, lambda _ctx: False)


def _template(_ctx: Context) -> Outcome:
    raise RuntimeError("a family's template runs only once bound (Case.bind)")


@dataclass(frozen=True)
class Case:
    """One conformance case.

    Attributes:
        id: stable id (``-k`` matches it); a family's template holds ``{placeholders}``.
        title: what the case proves.
        rules: the rule ids the case checks.
        run: the case itself; returns what it found.
        needs: preconditions, checked in order; the first unmet one skips the case.
        when: whether the case exists for this connector at all (no row otherwise, e.g. OAuth-only cases).
        required: runs even when ``-k`` deselects it, because later cases need its effect (not reported).
    """

    id: str
    title: str
    rules: tuple[str, ...]
    run: Run = _template
    needs: tuple[Need, ...] = ()
    when: Callable[[Context], bool] = always
    required: bool = False

    def bind(self, run: Run, labels: Mapping[str, str], *, needs: tuple[Need, ...] = ()) -> Case:
        """This template with its placeholders filled from ``labels``: one case of a family."""
        return dataclasses.replace(
            self, id=self.id.format_map(labels), title=self.title.format_map(labels), run=run, needs=needs
        )

    def skipped(self, reason: str, labels: Mapping[str, str] | None = None) -> Case:
        """A case of this template that cannot run; without labels its id stops before the placeholders."""
        if labels is not None:
            return self.bind(_template, labels, needs=(unmet(reason),))
        return dataclasses.replace(self, id=self.id.split(".{", 1)[0], needs=(unmet(reason),))


@dataclass(frozen=True)
class Family:
    """Cases found at run time: ``expand(ctx, *templates)`` yields them (bound templates)."""

    templates: tuple[Case, ...]
    expand: Callable[..., Iterable[Case]]

    def cases(self, ctx: Context) -> Iterable[Case]:
        """The cases for this run, produced lazily (earlier cases' effects are visible)."""
        return self.expand(ctx, *self.templates)

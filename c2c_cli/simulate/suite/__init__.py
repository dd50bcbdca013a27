"""suite: the conformance suite of ``c2c test``, as data.

How it works: :data:`~c2c_cli.simulate.suite.table.CASES` is a table of
:class:`~c2c_cli.simulate.suite.model.Case` rows (id, title, rules, needs, run) in the order the service
drives a connector over its life: activate → discover (and with filters) → every advertised command of
every device with catalog values (one in map form) → ReadState and UpdateState → the same SendCommand
delivered twice → negative requests the connector must refuse with a non-200 ``responseCode`` and a
message → a budget summary → a physical change → deactivate → no events afterwards. Each ``run(ctx)`` is
a plain function (``lifecycle``, ``commands``, ``negative``, ``robustness``) returning an
:class:`~c2c_cli.simulate.suite.model.Outcome`; ``verdicts`` turns an operation's result into one.
Cases that depend on what discovery found are a :class:`~c2c_cli.simulate.suite.model.Family` (templates
with ``{placeholders}``). ``runner`` runs the table on one simulator (``-k`` selects by substring or glob;
a connector that hangs on every attempt stops the suite: later cases are skipped); ``report`` holds the
results (``--json``) and ``junit`` writes them as JUnit XML.
"""

from __future__ import annotations

from c2c_cli.simulate.suite.model import Case, Context, Family, Need, Outcome
from c2c_cli.simulate.suite.report import CaseResult, SuiteResult, matches
from c2c_cli.simulate.suite.runner import run_cases, run_conformance
from c2c_cli.simulate.suite.table import CASES

__all__ = [
    "CASES",
    "Case",
    "CaseResult",
    "Context",
    "Family",
    "Need",
    "Outcome",
    "SuiteResult",
    "matches",
    "run_cases",
    "run_conformance",
]

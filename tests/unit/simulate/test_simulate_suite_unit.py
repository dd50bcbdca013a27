"""The suite as data: running the table (-k, needs, when, dead connectors, families), the table itself, JUnit XML."""

import xml.etree.ElementTree as ET

import pytest

from c2c_cli.contract import RULES as CONTRACT_RULES
from c2c_cli.errors import UsageError
from c2c_cli.matter import RULES as MATTER_RULES
from c2c_cli.simulate.rules import SIM_RULES
from c2c_cli.simulate.suite import CASES, Case, Context, Family, Need, Outcome, matches, run_cases
from c2c_cli.simulate.suite.junit import junit_xml
from c2c_cli.simulate.suite.report import CaseResult, SuiteResult
from c2c_cli.simulate.suite.runner import check_patterns
from c2c_cli.violation import Violation

ERROR = Violation("attempts[0]", "late", "sim.budget-exceeded")


def _ctx() -> Context:
    return Context(sim=None)  # the fake cases below never touch the simulator


def _case(case_id: str, ran: list[str], found: list[Violation] | None = None, **kw) -> Case:
    def run(ctx: Context) -> Outcome:
        ran.append(case_id)
        return Outcome(list(found or []), "ok")

    return Case(case_id, "t", (), run, **kw)


def _statuses(results: list[CaseResult]) -> list[tuple[str, str]]:
    return [(r.case_id, r.status) for r in results]


def test_matches_substring_or_glob() -> None:
    assert matches("negative.unknown-device", ())
    assert matches("negative.unknown-device", ("negative",))
    assert matches("lifecycle.command.d1.OnOff.On", ("lifecycle.command.*.On",))
    assert not matches("lifecycle.discover", ("negative",))


def test_deselected_required_case_runs_but_is_not_reported() -> None:
    ran: list[str] = []
    table = [_case("lifecycle.activate", ran, required=True), _case("lifecycle.discover", ran)]
    assert run_cases(table, _ctx(), ("negative",)) == []
    assert ran == ["lifecycle.activate"]


def test_cases_after_a_dead_connector_are_skipped_but_unmet_needs_say_why() -> None:
    ran: list[str] = []

    def hang(ctx: Context) -> Outcome:
        ctx.dead = "the connector did not answer"
        return Outcome([ERROR], "timeout")

    never = Need("no device was discovered", lambda ctx: False)
    table = [Case("lifecycle.activate", "t", (), hang), _case("a.b", ran), _case("a.c", ran, needs=(never,))]
    results = run_cases(table, _ctx())
    assert _statuses(results) == [("lifecycle.activate", "fail"), ("a.b", "skip"), ("a.c", "skip")]
    assert [r.evidence for r in results[1:]] == [
        "skipped: the connector did not answer",
        "skipped: no device was discovered",
    ]
    assert ran == []


def test_a_case_that_does_not_apply_leaves_no_row() -> None:
    ran: list[str] = []
    results = run_cases([_case("negative.unknown-secret", ran, when=lambda ctx: False)], _ctx())
    assert results == [] and ran == []


def test_a_family_is_expanded_when_reached_and_sees_earlier_effects() -> None:
    def accept(ctx: Context) -> Outcome:
        ctx.accepted.append(("d1", []))
        return Outcome([], "accepted")

    def per_accepted(ctx: Context, template: Case):
        if not ctx.accepted:
            yield template.skipped("nothing accepted")
        for device, _ in ctx.accepted:
            yield template.bind(lambda c: Outcome([], "again"), {"device": device})

    family = Family((Case("x.again.{device}", "again on {device}", ()),), per_accepted)
    assert _statuses(run_cases([family], _ctx())) == [("x.again", "skip")]
    results = run_cases([Case("x.accept", "t", (), accept), family], _ctx())
    assert _statuses(results) == [("x.accept", "pass"), ("x.again.d1", "pass")]
    assert results[1].title == "again on d1"


def test_a_pattern_that_matches_no_case_is_a_usage_error() -> None:
    results = [CaseResult("negative.unknown-device", "t", (), "pass")]
    check_patterns(("negative",), results)
    with pytest.raises(UsageError, match="'negatve' matched no case") as caught:
        check_patterns(("negative", "negatve"), results)
    assert "--json" in (caught.value.hint or "")


def test_table_ids_are_unique_and_rules_are_known() -> None:
    templates = [t for e in CASES for t in (e.templates if isinstance(e, Family) else (e,))]
    ids = [t.id for t in templates]
    assert len(ids) == len(set(ids))
    known = CONTRACT_RULES.keys() | SIM_RULES.keys() | MATTER_RULES.keys()
    assert [r for t in templates for r in t.rules if r not in known] == []
    assert [t.id for t in templates if t.required] == [
        "lifecycle.activate",
        "lifecycle.discover",
        "lifecycle.deactivate",
    ]


def test_junit_xml_has_one_testcase_per_case() -> None:
    failing = CaseResult(
        "negative.unknown-device",
        "t",
        (),
        "fail",
        (Violation("ack", "was 200", "sim.negative-not-rejected"),),
    )
    result = SuiteResult(
        (CaseResult("lifecycle.activate", "t", (), "pass"), failing, CaseResult("robustness.duplicate-command", "t", (), "skip", (), "needs --sandbox")),
        "/p", "subprocess", "oauth", False, 1234.0,
    )  # fmt: skip
    root = ET.fromstring(junit_xml(result))
    assert root.get("tests") == "3" and root.get("failures") == "1" and root.get("skipped") == "1"
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert cases["negative.unknown-device"].find("failure").get("type") == "sim.negative-not-rejected"
    assert cases["robustness.duplicate-command"].find("skipped") is not None
    assert result.failed_rules() == ["sim.negative-not-rejected"]
    assert not result.ok

"""Suite bookkeeping: -k selection, skips after a dead connector, JUnit XML."""

import xml.etree.ElementTree as ET

from c2c_cli.simulate.conformance import CaseResult, SuiteResult, SuiteRun, matches
from c2c_cli.simulate.junit import junit_xml
from c2c_cli.violation import Violation


def test_matches_substring_or_glob() -> None:
    assert matches("negative.unknown-device", ())
    assert matches("negative.unknown-device", ("negative",))
    assert matches("lifecycle.command.d1.OnOff.On", ("lifecycle.command.*.On",))
    assert not matches("lifecycle.discover", ("negative",))


def test_deselected_required_case_runs_but_is_not_reported() -> None:
    run = SuiteRun(("negative",))
    ran: list[str] = []
    run.run("lifecycle.activate", "t", (), lambda: (ran.append("a"), ([], "ok"))[1], required=True)
    run.run("lifecycle.discover", "t", (), lambda: (ran.append("d"), ([], "ok"))[1])
    assert ran == ["a"]
    assert run.results == []


def test_cases_after_a_dead_connector_are_skipped() -> None:
    run = SuiteRun()
    error = Violation("attempts[0]", "late", "sim.budget-exceeded")
    run.run("lifecycle.activate", "t", (), lambda: ([error], "timeout"))
    run.dead = "the connector did not answer"
    run.run("lifecycle.discover", "t", (), lambda: ([], "ok"))
    assert [(c.case_id, c.status) for c in run.results] == [
        ("lifecycle.activate", "fail"),
        ("lifecycle.discover", "skip"),
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

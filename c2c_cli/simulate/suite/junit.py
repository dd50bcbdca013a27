"""JUnit XML for CI (the schema Jenkins, GitLab and GitHub reporters read): one testcase per case."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from c2c_cli.errors import UsageError
from c2c_cli.simulate.suite.report import SuiteResult

__all__ = ["junit_xml", "write_junit"]


def junit_xml(result: SuiteResult) -> str:
    """The suite as a JUnit XML document; a failure's message lists its error violations."""
    counts = result.counts()
    suite = ET.Element(
        "testsuite",
        name="c2c conformance",
        tests=str(len(result.cases)),
        failures=str(counts["fail"]),
        skipped=str(counts["skip"]),
        errors="0",
        time=f"{result.duration_ms / 1000:.3f}",
    )
    for case in result.cases:
        element = ET.SubElement(
            suite,
            "testcase",
            classname=f"c2c.{case.group}",
            name=case.case_id,
            time=f"{case.duration_ms / 1000:.3f}",
        )
        errors = [v for v in case.violations if v.severity == "error"]
        if case.status == "fail":
            message = "; ".join(f"{v.rule}: {v.message}" for v in errors)
            failure = ET.SubElement(
                element, "failure", message=message[:1000], type=errors[0].rule if errors else "fail"
            )
            failure.text = "\n".join(f"[{v.rule}] {v.path}: {v.message} ({v.hint})" for v in errors)
        elif case.status == "skip":
            ET.SubElement(element, "skipped", message=case.evidence)
        ET.SubElement(element, "system-out").text = f"{case.title}\n{case.evidence}"
    text: str = ET.tostring(suite, encoding="unicode", xml_declaration=True)
    return text


def write_junit(path: Path, result: SuiteResult) -> None:
    """Write :func:`junit_xml` to ``path``."""
    try:
        path.write_text(junit_xml(result) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None

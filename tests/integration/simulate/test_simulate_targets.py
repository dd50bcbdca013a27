"""Targets with real handlers: the subprocess worker (cold/warm, kill at the deadline) and in-process."""

from collections.abc import Callable
from pathlib import Path

import pytest

from c2c_cli.runtime.targets import InProcessTarget, SubprocessTarget, TargetSpec

ECHO = """
import os, time
calls = []

def handler(event, context):
    calls.append(1)
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("boom"):
        raise RuntimeError("boom")
    if not event.get("sleep"):
        print("printed by the handler")
    return {"calls": len(calls), "remaining": context.get_remaining_time_in_millis(), "env": os.environ.get("SIM_VAR")}
"""


def _spec(project: Path) -> TargetSpec:
    return TargetSpec(project, "app:handler", "fn", "arn:aws:lambda:us-east-1:123456789012:function:fn")


@pytest.fixture
def worker(handler_project: Callable[[str], Path]):
    target = SubprocessTarget(_spec(handler_project(ECHO)))
    yield target
    target.close()


def test_subprocess_keeps_module_state_between_calls(worker: SubprocessTarget) -> None:
    first = worker.invoke({}, {"SIM_VAR": "x"}, 2000)
    second = worker.invoke({}, {}, 2000)
    assert (first.outcome, first.cold, first.response["calls"], first.response["env"]) == ("ok", True, 1, "x")
    assert (second.cold, second.response["calls"], second.response["env"]) == (False, 2, None)
    assert 0 < first.response["remaining"] <= 2000
    assert "printed by the handler" in first.logs


def test_subprocess_kills_a_hung_handler_and_starts_cold(worker: SubprocessTarget) -> None:
    worker.invoke({}, {}, 2000)
    hung = worker.invoke({"sleep": 5}, {}, 300)
    assert hung.outcome == "timeout"
    after = worker.invoke({}, {}, 2000)
    assert after.cold and after.response["calls"] == 1


def test_subprocess_reports_exceptions(worker: SubprocessTarget) -> None:
    outcome = worker.invoke({"boom": True}, {}, 2000)
    assert outcome.outcome == "raised"
    assert outcome.error == "RuntimeError: boom"


def test_in_process_abandons_a_hung_handler(handler_project: Callable[[str], Path]) -> None:
    target = InProcessTarget(_spec(handler_project(ECHO)))
    assert target.invoke({"sleep": 1}, {}, 100).outcome == "timeout"
    assert target.invoke({}, {}, 2000).outcome == "ok"

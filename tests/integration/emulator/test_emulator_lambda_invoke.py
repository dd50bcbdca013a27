"""Lambda ``Invoke`` on the emulator (issue 16): a real boto3 lambda client, a running emulator, a fixture
function (tests/fixtures/self_invoke) that self-invokes through ``AWS_ENDPOINT_URL_LAMBDA``."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config

from c2c_cli.emulator import Emulator, EmulatorSettings, start_emulator

FIXTURE = Path(__file__).parents[2] / "fixtures" / "self_invoke"
HANDLER = "self_invoke:lambda_handler"
pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    settings = EmulatorSettings(
        port=0, db=":memory:", with_moto=False, invocation_budget_ms=2000, async_retry_delays=(0.05, 0.05)
    )
    with start_emulator(settings) as emulator:
        yield emulator


def lambda_client(emulator: Emulator, secret: str | None = None) -> Any:
    return boto3.client(
        "lambda",
        endpoint_url=emulator.endpoint_url,
        region_name=emulator.region,
        aws_access_key_id=emulator.account.access_key_id,
        aws_secret_access_key=secret or emulator.account.secret_access_key,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


@pytest.fixture
def function(emu: Emulator) -> str:
    name = f"selfie-{uuid.uuid4().hex[:8]}"
    emu.attach_connector(name, FIXTURE, handler=HANDLER, webhook_handler=None, deploy=False)
    return name


def lines(path: Path, count: int, timeout: float = 30.0) -> list[dict[str, Any]]:
    """The records in ``path`` once it has ``count`` lines (or what is there at the timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text().splitlines()) >= count:
            break
        time.sleep(0.05)
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def async_records(emu: Emulator, until: Callable[[list[dict[str, Any]]], bool]) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    found: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        found = [r for r in emu.events() if r.get("invocation_type") == "Event"]
        if until(found):
            break
        time.sleep(0.05)
    return found


def test_request_response_returns_the_handlers_value(emu: Emulator, function: str) -> None:
    answer = lambda_client(emu).invoke(FunctionName=function, Payload=json.dumps({"echo": [1, "two"]}))
    assert answer["StatusCode"] == 200
    assert "FunctionError" not in answer
    assert json.loads(answer["Payload"].read()) == {"echo": [1, "two"], "function": function}


def test_an_arn_names_the_function_too(emu: Emulator, function: str) -> None:
    arn = f"arn:aws:lambda:{emu.region}:{emu.account.account_id}:function:{function}"
    answer = lambda_client(emu).invoke(FunctionName=arn, Payload=b'{"echo": 7}')
    assert json.loads(answer["Payload"].read())["echo"] == 7


def test_a_raising_handler_is_a_function_error(emu: Emulator, function: str, tmp_path: Path) -> None:
    payload = {"fail_until": 99, "record": str(tmp_path / "r")}
    answer = lambda_client(emu).invoke(FunctionName=function, Payload=json.dumps(payload))
    assert answer["StatusCode"] == 200
    assert answer["FunctionError"] == "Unhandled"
    error = json.loads(answer["Payload"].read())
    assert error["errorType"] == "RuntimeError"
    assert "failing on purpose" in error["errorMessage"]
    assert len(lines(tmp_path / "r", 1)) == 1  # RequestResponse is not retried


def test_dry_run_is_204(emu: Emulator, function: str) -> None:
    answer = lambda_client(emu).invoke(FunctionName=function, InvocationType="DryRun")
    assert answer["StatusCode"] == 204


def test_unknown_function_is_resource_not_found(emu: Emulator) -> None:
    client = lambda_client(emu)
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.invoke(FunctionName="no-such-function", Payload=b"{}")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert "no-such-function" in caught.value.response["Error"]["Message"]


def test_a_wrong_secret_is_refused(emu: Emulator, function: str) -> None:
    client = lambda_client(emu, secret="not-the-secret-key-of-this-account-0000")
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client.invoke(FunctionName=function, Payload=b"{}")
    assert caught.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_a_payload_that_is_not_json_is_refused(emu: Emulator, function: str) -> None:
    client = lambda_client(emu)
    with pytest.raises(client.exceptions.InvalidRequestContentException):
        client.invoke(FunctionName=function, Payload=b"{not json")


def test_event_answers_202_and_runs_later(emu: Emulator, function: str, tmp_path: Path) -> None:
    record = tmp_path / "r"
    answer = lambda_client(emu).invoke(
        FunctionName=function, InvocationType="Event", Payload=json.dumps({"record": str(record), "chain": 0})
    )
    assert answer["StatusCode"] == 202
    assert answer["Payload"].read() == b""
    assert len(lines(record, 1)) == 1


def test_a_self_invoking_chain_runs_every_link(emu: Emulator, function: str, tmp_path: Path) -> None:
    """The worker's own boto3 client finds the endpoint through AWS_ENDPOINT_URL_LAMBDA."""
    record = tmp_path / "r"
    lambda_client(emu).invoke(
        FunctionName=function, InvocationType="Event", Payload=json.dumps({"record": str(record), "chain": 3})
    )
    assert [r["n"] for r in lines(record, 4)] == [3, 2, 1, 0]
    mine = async_records(emu, lambda rs: len([r for r in rs if r["function"] == function]) >= 4)
    mine = [r for r in mine if r["function"] == function]
    assert len(mine) == 4 and all(r["verdict"] == "ok" and r["kind"] == "invocation" for r in mine)


def test_a_failing_event_is_retried_twice(emu: Emulator, function: str, tmp_path: Path) -> None:
    record = tmp_path / "r"
    payload = {"record": str(record), "fail_until": 3, "header": {"auth": {"token": "tok-secret-1234"}}}
    lambda_client(emu).invoke(FunctionName=function, InvocationType="Event", Payload=json.dumps(payload))
    assert len(lines(record, 3)) == 3
    found = async_records(emu, lambda rs: any(r["request"].get("record") == str(record) for r in rs))
    (mine,) = [r for r in found if r["request"].get("record") == str(record)]
    assert mine["verdict"] == "ok"
    assert [a["outcome"] for a in mine["attempts"]] == ["raised", "raised", "ok"]
    assert mine["retries"] == 2
    # the token is in the request, the handler's output and the exception: never in the record
    assert "tok-secret-1234" not in json.dumps(mine)
    assert mine["request"]["header"]["auth"]["token"] == "[REDACTED]"


def test_an_event_that_always_fails_stops_after_three_attempts(
    emu: Emulator, function: str, tmp_path: Path
) -> None:
    record = tmp_path / "r"
    payload = {"record": str(record), "fail_until": 99}
    lambda_client(emu).invoke(FunctionName=function, InvocationType="Event", Payload=json.dumps(payload))
    found = async_records(emu, lambda rs: any(r["request"].get("record") == str(record) for r in rs))
    (mine,) = [r for r in found if r["request"].get("record") == str(record)]
    assert mine["verdict"] == "failed" and mine["error_code"] == "InvocationFailed"
    assert len(mine["attempts"]) == 3
    assert len(lines(record, 3)) == 3


def test_duplicate_rate_delivers_an_event_twice(tmp_path: Path) -> None:
    settings = EmulatorSettings(port=0, db=":memory:", with_moto=False, async_duplicate_rate=1.0, seed=1)
    with start_emulator(settings) as emulator:
        emulator.attach_connector("dup", FIXTURE, handler=HANDLER, webhook_handler=None, deploy=False)
        record = tmp_path / "r"
        lambda_client(emulator).invoke(
            FunctionName="dup", InvocationType="Event", Payload=json.dumps({"record": str(record)})
        )
        assert len(lines(record, 2)) == 2
        found = async_records(emulator, lambda rs: len(rs) >= 2)
        assert sorted(r["duplicate"] for r in found) == [False, True]


def test_every_invoke_is_in_the_request_log(emu: Emulator, function: str) -> None:
    lambda_client(emu).invoke(FunctionName=function, InvocationType="DryRun")
    records = [r for r in emu.requests() if r.get("operation") == "Lambda.Invoke"]
    assert records and records[-1]["http_status"] == 204 and records[-1]["path"].endswith("/invocations")


def _concurrently(emulator: Emulator, function: str, record: Path, calls: int) -> list[dict[str, Any]]:
    from concurrent.futures import ThreadPoolExecutor

    payload = json.dumps({"record": str(record), "sleep_s": 0.4})
    with ThreadPoolExecutor(calls) as pool:
        answers = list(
            pool.map(
                lambda _: lambda_client(emulator).invoke(FunctionName=function, Payload=payload), range(calls)
            )
        )
    assert all(a["StatusCode"] == 200 and "FunctionError" not in a for a in answers)
    return lines(record, calls)


def test_concurrent_invocations_run_in_separate_worker_processes(
    emu: Emulator, function: str, tmp_path: Path
) -> None:
    found = _concurrently(emu, function, tmp_path / "r", 4)
    assert len({r["pid"] for r in found}) == 4  # the default --concurrency: 4 execution environments
    # a call that overlaps none runs in the warmest worker again
    again = _concurrently(emu, function, tmp_path / "s", 1)
    assert again[0]["pid"] in {r["pid"] for r in found}


def test_concurrency_bounds_the_workers(tmp_path: Path) -> None:
    with start_emulator(EmulatorSettings(port=0, db=":memory:", with_moto=False, concurrency=2)) as emulator:
        emulator.attach_connector("two", FIXTURE, handler=HANDLER, webhook_handler=None, deploy=False)
        found = _concurrently(emulator, "two", tmp_path / "r", 4)
        assert len({r["pid"] for r in found}) == 2


def test_a_synchronous_self_invoke_runs_in_another_worker(
    emu: Emulator, function: str, tmp_path: Path
) -> None:
    """With one worker busy, a RequestResponse Invoke from the handler gets a second one (no deadlock)."""
    record = tmp_path / "r"
    payload = {"record": str(record), "invoke_sync": {"echo": "inner", "record": str(record)}}
    answer = lambda_client(emu).invoke(FunctionName=function, Payload=json.dumps(payload))
    body = json.loads(answer["Payload"].read())
    assert body["inner"] == {"echo": "inner", "function": function}
    assert len({r["pid"] for r in lines(record, 2)}) == 2

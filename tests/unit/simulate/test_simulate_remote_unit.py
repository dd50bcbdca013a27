"""The deployed-Lambda target with a fake Lambda client (the real one is boto3's, built in c2c_cli.aws)."""

import base64
import io
import json

from c2c_cli.simulate.remote import LambdaTarget


class FakeLambda:
    def __init__(self, payload: object, function_error: str | None = None) -> None:
        self.payload, self.function_error, self.calls = payload, function_error, []

    def invoke(self, **params: object) -> dict:
        self.calls.append(params)
        response = {
            "StatusCode": 200,
            "Payload": io.BytesIO(json.dumps(self.payload).encode()),
            "LogResult": base64.b64encode(b"START RequestId: 1\nhello from the function\n").decode(),
        }
        if self.function_error:
            response["FunctionError"] = self.function_error
        return response


def test_invoke_returns_the_ack_and_the_log_tail() -> None:
    fake = FakeLambda({"header": {"responseCode": 200}, "payload": {}})
    target = LambdaTarget("acme", None, None, client=fake)
    first = target.invoke({"payload": {"operationName": "AWS.ActivateUser"}}, {}, 2000)
    second = target.invoke({}, {}, 2000)
    assert first.outcome == "ok" and first.response["header"]["responseCode"] == 200
    assert first.cold and not second.cold
    assert "hello from the function" in first.logs
    assert fake.calls[0]["FunctionName"] == "acme" and fake.calls[0]["LogType"] == "Tail"
    assert json.loads(fake.calls[0]["Payload"]) == {"payload": {"operationName": "AWS.ActivateUser"}}


def test_function_error_is_raised_outcome() -> None:
    target = LambdaTarget("acme", None, None, client=FakeLambda({"errorMessage": "boom"}, "Unhandled"))
    outcome = target.invoke({}, {}, 2000)
    assert outcome.outcome == "raised"
    assert outcome.error.startswith("Unhandled")

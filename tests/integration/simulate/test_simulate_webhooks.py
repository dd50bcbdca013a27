"""The local Function URL: a POST becomes a payload-2.0 event for the project's webhook entry point."""

from collections.abc import Callable
from pathlib import Path

import requests

from c2c_cli.runtime.targets import InProcessTarget, TargetSpec
from c2c_cli.simulate.webhooks import WebhookRelay, find_webhook_entry

APP = """
import json
seen = []

def handler(event, context):
    return {"statusCode": 200, "body": "main"}

def webhook(event, context):
    seen.append(json.loads(event["body"]))
    return {"statusCode": 202, "headers": {"X-Seen": str(len(seen))}, "body": event["requestContext"]["http"]["method"]}
"""


def test_posts_reach_the_webhook_entry_in_the_handlers_container(
    handler_project: Callable[[str], Path],
) -> None:
    target = InProcessTarget(
        TargetSpec(handler_project(APP), "app:handler", "fn", "arn:aws:lambda:us-east-1:1:function:fn")
    )
    relay = WebhookRelay(target, "app:webhook", {}).start()
    try:
        first = requests.post(relay.url, json={"n": 1}, timeout=5)
        second = requests.post(relay.url, json={"n": 2}, timeout=5)
    finally:
        relay.stop()
    assert (first.status_code, first.text, first.headers["X-Seen"]) == (202, "POST", "1")
    assert second.headers["X-Seen"] == "2"  # module state persists, as in one container
    assert [d.outcome for d in relay.deliveries] == ["ok", "ok"]


def test_webhook_entry_is_found_in_template_layout(tmp_path: Path) -> None:
    (tmp_path / "connector").mkdir()
    assert find_webhook_entry(tmp_path) is None
    (tmp_path / "connector" / "webhook.py").write_text("def lambda_handler(event, context):\n    return {}\n")
    assert find_webhook_entry(tmp_path) == "connector.webhook:lambda_handler"


ECHO = """
import json

def handler(event, context):
    return {}

def webhook(event, context):
    return {"statusCode": 200, "body": json.dumps(event)}
"""


def test_the_event_carries_the_raw_path_query_and_headers(handler_project: Callable[[str], Path]) -> None:
    target = InProcessTarget(
        TargetSpec(handler_project(ECHO), "app:handler", "fn", "arn:aws:lambda:us-east-1:1:function:fn")
    )
    relay = WebhookRelay(target, "app:webhook", {}).start()
    try:
        assert relay.url.startswith("http://127.0.0.1:")
        answer = requests.post(
            f"{relay.url}hooks/a%2Fb?x=1&y=%20", data=b"\xff", headers={"X-Sig": "s"}, timeout=5
        )
        refused = requests.get(relay.url, timeout=5)
    finally:
        relay.stop()
    event = answer.json()
    assert (event["rawPath"], event["rawQueryString"]) == ("/hooks/a%2Fb", "x=1&y=%20")
    assert event["headers"]["x-sig"] == "s" and event["isBase64Encoded"] is True
    assert refused.status_code == 405 and len(relay.deliveries) == 1


def test_a_webhook_module_that_does_not_load_is_a_failed_delivery(
    handler_project: Callable[[str], Path],
) -> None:
    project = handler_project(APP)
    (project / "hook.py").write_text("def webhook(event, context)\n    return {}\n")
    target = InProcessTarget(
        TargetSpec(project, "app:handler", "fn", "arn:aws:lambda:us-east-1:1:function:fn")
    )
    relay = WebhookRelay(target, "hook:webhook", {}).start()
    try:
        answer = requests.post(relay.url, json={"n": 1}, timeout=5)
    finally:
        relay.stop()
    assert answer.status_code == 502
    assert [d.outcome for d in relay.deliveries] == ["crashed"]
    assert relay.deliveries[0].error.startswith("handler failed to load: hook.py:1: SyntaxError")

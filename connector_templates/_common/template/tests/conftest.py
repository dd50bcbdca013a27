"""Fixtures: a fake vendor on 127.0.0.1, captured events, a Lambda context, and ``invoke``.

With ``C2C_CAPTURE_DIR`` set, every ACK and every event the connector produces is also written there as
``<n>.<kind>.json`` (e.g. ``0003.event.device-discovery.json``), so ``c2c validate --strict --kind <kind>``
can check each one. Tests whose output is a documented warning by design opt out with
``@pytest.mark.no_capture``.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from connector import continuation, events, handler, store
from tests.authkit import AuthKit
from tests.fake_vendor import FakeVendor, FakeVendorServer

USER = "user-0001"
CONNECTOR_ID = "c2cConnector01"
_counter = itertools.count(1)
_capture_lock = threading.Lock()
_ACK_KINDS = {"AWS.ActivateUser": "activate-user.response"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "no_capture: keep this test's output out of C2C_CAPTURE_DIR")


class LambdaContext:
    """The parts of the Lambda context the connector reads."""

    def __init__(self, budget_ms: int = 2000) -> None:
        self._end = time.monotonic() + budget_ms / 1000
        self.function_name = "test-connector"
        self.aws_request_id = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._end - time.monotonic()) * 1000))


class Capture:
    """Writes documents to ``C2C_CAPTURE_DIR`` when set and enabled."""

    def __init__(self, enabled: bool) -> None:
        directory = os.environ.get("C2C_CAPTURE_DIR")
        self.directory = Path(directory) if directory and enabled else None

    def write(self, kind: str, document: dict[str, Any]) -> None:
        if self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        with _capture_lock:
            name = f"{next(_counter):04d}.{kind}.json"
        (self.directory / name).write_text(json.dumps(document, indent=2, sort_keys=True), encoding="utf-8")


@pytest.fixture(scope="session")
def vendor_server():
    server = FakeVendorServer()
    yield server
    server.stop()


@pytest.fixture
def capture(request: pytest.FixtureRequest) -> Capture:
    return Capture(enabled=request.node.get_closest_marker("no_capture") is None)


@pytest.fixture
def fake(vendor_server: FakeVendorServer, monkeypatch: pytest.MonkeyPatch) -> FakeVendor:
    fake = vendor_server.reset()
    monkeypatch.setenv("VENDOR_API_URL", fake.url)
    monkeypatch.setenv("VENDOR_CLIENT_ID", fake.client[0])
    monkeypatch.setenv("VENDOR_CLIENT_SECRET", fake.client[1])
    monkeypatch.delenv("WEBHOOK_URL", raising=False)
    monkeypatch.delenv("VENDOR_WEBHOOK_SECRET", raising=False)
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    store.set_store(store.MemoryStore())
    yield fake
    store.set_store(None)


@pytest.fixture
def sent(capture: Capture) -> list[dict[str, Any]]:
    """Every event the connector sends (boto3 keyword form, ``ConnectorId`` included)."""
    captured: list[dict[str, Any]] = []

    def sender(**params: Any) -> None:
        captured.append(params)
        body = {k: v for k, v in params.items() if k != "ConnectorId"}  # a path parameter, not body
        capture.write("event." + params["Operation"].lower().replace("_", "-"), body)

    events.set_sender(sender)
    yield captured
    events.set_sender(None)


@pytest.fixture
def auth(fake: FakeVendor) -> AuthKit:
    """Credentials for :data:`USER` that the fake vendor accepts."""
    return AuthKit(fake, USER)


def request(operation: str, auth_header: dict[str, Any], **payload: Any) -> dict[str, Any]:
    """An invocation envelope (contract §2.2)."""
    version = "1.0.0" if operation == "AWS.ActivateUser" else "1.0"
    body = {"operationName": operation, "operationVersion": version, "connectorId": CONNECTOR_ID, **payload}
    return {"header": {"auth": auth_header}, "payload": body}


@pytest.fixture
def invoke(auth: AuthKit, sent: list[dict[str, Any]], capture: Capture):
    """``invoke("AWS.DiscoverDevices", deviceDiscoveryId=...)`` -> the ACK (captured)."""

    def run(operation: str, *, header: dict[str, Any] | None = None, budget_ms: int = 2000, **payload: Any):
        response = handler.lambda_handler(
            request(operation, header or auth.header, **payload), LambdaContext(budget_ms)
        )
        capture.write(_ACK_KINDS.get(operation, "response"), response)
        return response

    return run


@pytest.fixture
def raw_invoke(sent: list[dict[str, Any]], capture: Capture):
    """Invoke with any event (malformed ones included) -> the ACK (captured as a generic response)."""

    def run(event: Any) -> dict[str, Any]:
        response = handler.lambda_handler(event, LambdaContext())
        capture.write("response", response)
        return response

    return run


@pytest.fixture(scope="session")
def moto_endpoint():
    """A moto server on 127.0.0.1 (an ephemeral port) for the DynamoDB state table."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def dynamodb_store(moto_endpoint: str) -> store.DynamoDBStore:
    """A :class:`store.DynamoDBStore` on a fresh copy of template.yaml's ``StateTable`` in moto."""
    from tests.state_table import create_state_table, dynamodb_client

    client = dynamodb_client(moto_endpoint)
    return store.DynamoDBStore(create_state_table(client), client)


@pytest.fixture
def continuations():
    """The continuations the connector queues for itself (Lambda ``InvocationType="Event"``), in order."""
    queued: list[dict[str, Any]] = []
    continuation.set_invoker(queued.append)
    yield queued
    continuation.set_invoker(None)


def run_continuation(event: dict[str, Any], budget_ms: int = 2000) -> dict[str, Any]:
    """Run one queued continuation as Lambda would (its own budget); its (ignored) return value."""
    return handler.lambda_handler(json.loads(json.dumps(event)), LambdaContext(budget_ms))

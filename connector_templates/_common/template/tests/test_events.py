"""SendConnectorEvent plumbing: chunking, message safety, and the boto3 client."""

from __future__ import annotations

import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from connector import events


def test_chunks_hold_at_most_the_limit():
    sizes = [len(c) for c in events.chunks([{"ConnectorDeviceId": str(i)} for i in range(250)])]

    assert sizes == [100, 100, 50]


def test_no_devices_is_one_empty_final_chunk():
    assert list(events.chunks([])) == [[]]


def test_chunks_also_respect_the_byte_limit():
    big = [{"ConnectorDeviceId": str(i), "DeviceMetadata": {"pad": "x" * 60_000}} for i in range(7)]

    assert all(sum(len(str(d)) for d in chunk) <= events.MAX_EVENT_BYTES for chunk in events.chunks(big))


@pytest.mark.parametrize("text", ["it's done: 5/5", '"quoted"', "", "a" * 400])
def test_messages_fit_the_model_pattern(text):
    message = events.message(text)

    assert re.fullmatch(r"[\sa-zA-Z0-9_.,@-]{1,256}", message)


def test_the_boto3_client_honours_the_endpoint_override(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setattr(events, "_client", None)

    client = events._boto3_client()

    assert client.meta.endpoint_url == "http://127.0.0.1:9"
    assert events._boto3_client() is client  # one client per container


@pytest.fixture
def unanswering_service(monkeypatch):
    """A local endpoint that takes each request and answers only after the client's read timeout."""
    received: list[str] = []

    class Slow(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append(self.path)
            time.sleep(2.5)  # longer than the client's 1.5 s read timeout
            try:
                self.send_response(202)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")
            except OSError:
                pass  # the client gave up waiting, as it should

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setattr(events, "_client", None)
    monkeypatch.setattr(events, "_sender", None)
    yield received
    server.shutdown()
    server.server_close()


def test_an_unanswered_event_is_sent_once_and_reported_as_maybe_delivered(unanswering_service):
    event = events.discovery("c2c-connector-1", "user-1", "d1", [], 200)

    with pytest.raises(events.OutcomeUnknown) as raised:
        events.send(event)

    assert raised.value.code == 504
    assert len(unanswering_service) == 1  # no retry after the request went out: it may have arrived

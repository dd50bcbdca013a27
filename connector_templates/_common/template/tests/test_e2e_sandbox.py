"""End to end against a running ``c2c sandbox`` (skipped unless ``C2C_SANDBOX_URL`` is set).

Environment: ``C2C_SANDBOX_URL``, ``C2C_SANDBOX_USER_ID`` and the credentials of the template
(``C2C_SANDBOX_TOKEN`` for OAuth 2.0, ``C2C_SANDBOX_API_KEY`` for General Authorization), plus
``C2C_SANDBOX_CLIENT_ID`` / ``C2C_SANDBOX_CLIENT_SECRET`` for token revocation. The webhook function runs
behind a tiny local HTTP server standing in for its Function URL.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from connector import auth, handler, store, webhook
from tests.authkit import sandbox_header, sandbox_secret
from tests.conftest import LambdaContext, request

URL = os.environ.get("C2C_SANDBOX_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="set C2C_SANDBOX_URL (and credentials) to run against a c2c sandbox")


class _FunctionUrl(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        return

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        event = {"headers": dict(self.headers.items()), "body": body, "isBase64Encoded": False}
        reply = webhook.lambda_handler(event, None)
        data = reply["body"].encode()
        self.send_response(reply["statusCode"])
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def function_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FunctionUrl)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def sandbox(monkeypatch, function_url, capture):
    header = sandbox_header(dict(os.environ))
    if header is None:
        pytest.skip("no sandbox credentials for this template")
    monkeypatch.setenv("VENDOR_API_URL", URL)
    monkeypatch.setenv("WEBHOOK_URL", function_url)
    for name in ("CLIENT_ID", "CLIENT_SECRET"):
        if os.environ.get(f"C2C_SANDBOX_{name}"):
            monkeypatch.setenv(f"VENDOR_{name}", os.environ[f"C2C_SANDBOX_{name}"])
    store.set_store(store.MemoryStore())

    def invoke(operation, **payload):
        response = handler.lambda_handler(request(operation, header, **payload), LambdaContext())
        capture.write("activate-user.response" if operation == "AWS.ActivateUser" else "response", response)
        return response

    yield invoke
    store.set_store(None)


def _wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_the_whole_lifecycle_against_the_sandbox(sandbox, sent, caplog):
    user_id = os.environ.get("C2C_SANDBOX_USER_ID")
    with caplog.at_level(logging.DEBUG, logger="connector"):
        activated = sandbox("AWS.ActivateUser")
        assert activated["header"]["responseCode"] == 200
        assert user_id is None or activated["payload"]["userId"] == user_id

        assert sandbox("AWS.DiscoverDevices", deviceDiscoveryId="e2e0001")["header"]["responseCode"] == 200
        discovered = [d for e in sent if e["Operation"] == "DEVICE_DISCOVERY" for d in e["Devices"]]
        assert sent[-1]["StatusCode"] == 200 and discovered

        light = next(d for d in discovered if d["DeviceMetadata"]["kind"] in ("on_off_light", "dimmable_light", "plug"))
        endpoints = [{"id": "1", "clusters": [{"id": "0x0006", "commands": [{"0x02": {}}]}]}]
        response = sandbox(
            "AWS.SendCommand", connectorDeviceId=light["ConnectorDeviceId"], traceId="e2e-trace-1", endpoints=endpoints
        )
        assert response["header"]["responseCode"] == 200
        assert _wait_for(lambda: any(e.get("TraceId") == "e2e-trace-1" for e in sent))
        assert _wait_for(lambda: any(e["Operation"] == "DEVICE_EVENT" for e in sent)), "no webhook event arrived"

        assert sandbox("AWS.DeactivateUser")["header"]["responseCode"] == 200

    assert sandbox_secret(dict(os.environ)) not in caplog.text
    if auth.AUTH_TYPE == "OAuth2.0":  # the token must be dead at the vendor (revoked, RFC 7009)
        me = requests.get(
            f"{URL}/v1/me", headers={"Authorization": f"Bearer {os.environ['C2C_SANDBOX_TOKEN']}"}, timeout=5
        )
        assert me.status_code == 401, json.dumps(me.json())

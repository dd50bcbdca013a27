"""A generated connector's discovery continuing across processes: each invocation a fresh Python process
(like a Lambda execution environment), the continuation queued through boto3's real Lambda client
(``lambda.invoke(..., InvocationType="Event")`` against a local stand-in for Lambda's Invoke API), the
progress in template.yaml's state table in the emulator's moto server, the events in the emulator.

Every queued Event is delivered twice (Lambda's at-least-once delivery); the emulator must still see
each device once and one final page.
"""

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.emulator import EmulatorSettings, start_emulator

pytestmark = [pytest.mark.timeout(300)]
runner = CliRunner()
# One invocation: a fresh interpreter, the handler called with a Lambda-like context (budget, name).
RUNNER = """
import json, logging, sys, time
from connector.handler import lambda_handler

logging.basicConfig(level=logging.INFO)

class Context:
    function_name = "acme"
    aws_request_id = "00000000-0000-0000-0000-000000000000"
    def __init__(self):
        self.end = time.monotonic() + 10
    def get_remaining_time_in_millis(self):
        return int((self.end - time.monotonic()) * 1000)

print(json.dumps(lambda_handler(json.load(sys.stdin), Context())))
"""


class _Lambda(BaseHTTPRequestHandler):
    """``POST /2015-03-31/functions/{name}/invocations``: queue the Event, answer 202 (nothing runs here)."""

    queued: list[tuple[str, str, dict]]

    def log_message(self, format, *args):
        return

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        kind = self.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        self.queued.append((self.path, kind, json.loads(body)))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def lambda_endpoint():
    queued: list[tuple[str, str, dict]] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (_Lambda,), {"queued": queued}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", queued
    server.shutdown()
    server.server_close()


def _invoke(project: Path, env: dict[str, str], event: dict, logs: list[str]) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", RUNNER],
        cwd=project,
        env=env,
        input=json.dumps(event),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    logs.append(run.stderr)
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_a_discovery_continues_in_other_processes_and_sends_each_page_once(
    tmp_path, sandbox_env, clean_env, lambda_endpoint
):
    made = runner.invoke(
        app, ["init", str(tmp_path / "acme"), "--template", "oauth2", "--no-input", "--json"]
    )
    project = Path(json.loads(made.stdout)["path"])
    lambda_url, queued = lambda_endpoint

    with start_emulator(EmulatorSettings(port=0, db=":memory:", strict_events=False)) as emulator:
        arn = f"arn:aws:lambda:{emulator.region}:{emulator.account.account_id}:function:acme"
        connector_id = emulator.create_connector("acme", arn)
        discovery_id = emulator.open_discovery(connector_id)
        env = {
            **clean_env,
            **emulator.client_env(),
            **emulator.state_tables(project, "acme"),
            "AWS_ENDPOINT_URL_LAMBDA": lambda_url,
            "AWS_LAMBDA_FUNCTION_NAME": "acme",
            "VENDOR_API_URL": sandbox_env["C2C_SANDBOX_URL"],
            "VENDOR_PAGE_SIZE": "3",  # 11 devices: 4 vendor pages
            "MAX_PAGES_PER_INVOCATION": "1",
            "INVOCATION_BUDGET_MS": "10000",  # the pages per invocation are the knob here, not the clock
            "DISCOVERY_FIRST_ACK_MS": "10000",  # nor the first ACK's early hand-over (a loaded machine)
        }
        request = {
            "header": {"auth": {"type": "OAuth2.0", "token": sandbox_env["C2C_SANDBOX_TOKEN"]}},
            "payload": {
                "operationName": "AWS.DiscoverDevices",
                "operationVersion": "1.0",
                "connectorId": connector_id,
                "deviceDiscoveryId": discovery_id,
            },
        }

        logs: list[str] = []
        first = _invoke(project, env, request, logs)
        delivered = 0
        while queued:
            path, kind, event = queued.pop(0)
            assert (path, kind) == ("/2015-03-31/functions/acme/invocations", "Event")
            assert event["header"] == request["header"] and event["payload"] == request["payload"]
            for _ in range(2):  # at-least-once: the same Event twice, each in its own process
                _invoke(project, env, event, logs)
                delivered += 1
        records = emulator.events(connector_id)
        service = boto3.client(
            "iot-managed-integrations",
            endpoint_url=emulator.endpoint_url,
            region_name=emulator.region,
            aws_access_key_id=emulator.account.access_key_id,
            aws_secret_access_key=emulator.account.secret_access_key,
        )
        status = service.get_device_discovery(Identifier=discovery_id)["Status"]

    assert first["header"]["responseCode"] == 200
    assert "continues asynchronously" in first["payload"]["responseMessage"]
    assert delivered == 6  # 3 continuations, each delivered twice
    pages = [r["body"] for r in records if r.get("operation") == "DEVICE_DISCOVERY"]
    assert [p["StatusCode"] for p in pages] == [300, 300, 300, 200]
    devices = [d["ConnectorDeviceId"] for p in pages for d in p["Devices"]]
    assert len(devices) == len(set(devices)) == 11
    assert all(r["verdict"] == "accepted" for r in records if r.get("operation") == "DEVICE_DISCOVERY")
    assert status == "SUCCEEDED"
    assert '"operation": "AWS.DiscoverDevices"' in "".join(logs)  # the invocations did log
    assert sandbox_env["C2C_SANDBOX_TOKEN"] not in "".join(logs)

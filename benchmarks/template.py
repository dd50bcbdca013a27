"""Cold import time and warm per-invocation overhead of a generated connector's handler.

Renders a template into a temporary directory, then:

- cold import: ``import connector.handler`` in N fresh interpreters (median / p95 ms), and which heavy
  modules that import pulled in (it must pull in neither boto3 nor requests);
- first invocation: import + one DiscoverDevices in a fresh interpreter (requests is imported here);
- warm overhead: each operation invoked M times in-process against a zero-latency vendor (a requests
  transport adapter answering from memory) and a no-op event sender, so only the connector's own work is
  timed (median / p95 µs).

Usage: ``.venv/bin/python benchmarks/template.py [--template oauth2] [--cold 15] [--warm 2000]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from c2c_cli.scaffold import render_project

_COLD = """
import sys, time
if sys.argv[1:] == ["runtime"]:  # what the Lambda Python runtime has loaded before the handler module
    import json, logging, re, traceback, typing
t = time.perf_counter()
import connector.handler
elapsed = time.perf_counter() - t
heavy = sorted(m for m in ("requests", "boto3", "botocore", "urllib3") if m in sys.modules)
print(elapsed, ",".join(heavy))
"""

_FIRST = """
import time
t = time.perf_counter()
import connector.handler
from benchmark_support import install, request
install()
connector.handler.lambda_handler(request("AWS.DiscoverDevices", deviceDiscoveryId="bench1"), None)
print(time.perf_counter() - t)
"""

# Imported by the generated project's interpreter: a zero-latency vendor and a no-op event sender.
_SUPPORT = """
import base64, json
import requests
from requests.adapters import BaseAdapter
from connector import auth, events, secrets, store, vendor
from tests.fake_vendor import STATES

USER = "user-0001"
DEVICES = [
    {"id": f"dev-{i:05d}", "name": f"Bench {kind} {i}", "kind": kind, "owner_user_id": USER,
     "manufacturer": "Sandbox Inc.", "model": "SBX", "firmware": "1.0.0", "online": True, "state": dict(state)}
    for i, (kind, state) in enumerate(STATES.items())
]
_b64 = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")
TOKEN = f"{_b64({'alg': 'HS256'})}.{_b64({'sub': USER})}.sig"
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-AbCdEf"
if auth.AUTH_TYPE == "OAuth2.0":
    HEADER = {"type": "OAuth2.0", "token": TOKEN}
else:
    HEADER = {"type": "GeneralAuthorization", "secretsManager": {"arn": ARN, "versionId": "v1"}}


class Secrets:
    def get_secret_value(self, **kwargs):
        return {"SecretString": json.dumps({"api_key": "sbx_bench_api_key", "user_id": USER})}


class ZeroLatency(BaseAdapter):
    def send(self, request, **kwargs):
        path = request.path_url.split("?")[0]
        if path == "/v1/devices":
            status, body = 200, {"devices": DEVICES, "next_cursor": None}
        elif path.startswith("/v1/devices/") and request.method == "POST":
            status, body = 202, {"command_id": "cmd-1", "status": "accepted"}
        elif path.startswith("/v1/devices/"):
            status, body = 200, DEVICES[0]
        elif path.startswith("/v1/commands/"):
            status, body = 200, {"command_id": "cmd-1", "status": "applied"}
        else:
            status, body = 200, {}
        response = requests.Response()
        response.status_code, response._content = status, json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        response.url, response.request = request.url, request
        return response

    def close(self):
        pass


def install():
    import os

    os.environ.setdefault("VENDOR_CLIENT_ID", "bench-client")
    os.environ.setdefault("VENDOR_CLIENT_SECRET", "bench-client-secret")
    session = requests.Session()
    session.mount("http://", ZeroLatency())
    session.mount("https://", ZeroLatency())
    vendor.set_session(session)
    events.set_sender(lambda **params: None)
    store.set_store(store.MemoryStore())
    secrets.set_client(Secrets())


def request(operation, **payload):
    version = "1.0.0" if operation == "AWS.ActivateUser" else "1.0"
    return {"header": {"auth": HEADER},
            "payload": {"operationName": operation, "operationVersion": version, "connectorId": "bench", **payload}}
"""

_OPERATIONS: dict[str, dict[str, Any]] = {
    "AWS.ActivateUser": {},
    "AWS.DiscoverDevices (11 devices)": {"deviceDiscoveryId": "bench1"},
    "AWS.SendCommand (OnOff On)": {
        "connectorDeviceId": "dev-00000",
        "traceId": "bench-trace",
        "endpoints": [{"id": "1", "clusters": [{"id": "0x0006", "commands": [{"0x01": {}}]}]}],
    },
    "AWS.DeactivateUser": {},
    "malformed request": {},
}


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def _cold_import(project: Path, runs: int, *args: str) -> tuple[list[float], set[str]]:
    times, heavy = [], set()
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", _COLD, *args], cwd=project, capture_output=True, text=True, check=True
        ).stdout.split()
        times.append(float(output[0]) * 1000)
        heavy.update(filter(None, output[1].split(",")) if len(output) > 1 else ())
    return times, heavy


def _cold(project: Path, runs: int) -> None:
    times, heavy = _cold_import(project, runs)
    median, p95 = _percentiles(times)
    print(
        f"cold import connector.handler: median {median:.1f} ms, p95 {p95:.1f} ms ({runs} fresh interpreters)"
    )
    print(f"  heavy modules imported by it: {', '.join(sorted(heavy)) or 'none'}")
    median, p95 = _percentiles(_cold_import(project, runs, "runtime")[0])
    print(
        f"  with json/logging/re/traceback/typing preloaded (as in the Lambda runtime): median {median:.1f} ms"
    )
    firsts = [
        float(
            subprocess.run(
                [sys.executable, "-c", _FIRST], cwd=project, capture_output=True, text=True, check=True
            ).stdout
        )
        * 1000
        for _ in range(max(3, runs // 3))
    ]
    print(
        f"cold import + first DiscoverDevices (imports requests): median {statistics.median(firsts):.1f} ms"
    )


def _warm(project: Path, runs: int) -> None:
    sys.path.insert(0, str(project))
    import benchmark_support as support  # type: ignore[import-not-found]
    import connector.handler as handler  # type: ignore[import-not-found]

    support.install()
    for label, payload in _OPERATIONS.items():
        operation = label.split(" ")[0]
        event = support.request(operation, **payload) if operation.startswith("AWS.") else {"payload": {}}
        handler.lambda_handler(event, None)  # warm-up
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            response = handler.lambda_handler(event, None)
            samples.append((time.perf_counter() - started) * 1e6)
        median, p95 = _percentiles(samples)
        code = response["header"]["responseCode"]
        print(f"warm {label:36s} median {median:8.0f} µs  p95 {p95:8.0f} µs  (ACK {code}, {runs} runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", default="oauth2")
    parser.add_argument("--cold", type=int, default=15, help="fresh interpreters for the cold import")
    parser.add_argument("--warm", type=int, default=2000, help="invocations per operation")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "bench-connector"
        render_project(args.template, project, name="bench-connector")
        (project / "benchmark_support.py").write_text(_SUPPORT, encoding="utf-8")
        print(f"template {args.template}, Python {sys.version.split()[0]}")
        _cold(project, args.cold)
        _warm(project, args.warm)  # the INFO log line is built and filtered, then dropped (no handler)


if __name__ == "__main__":
    main()

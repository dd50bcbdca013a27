"""Emulator throughput: accepted SendConnectorEvent requests per second, SigV4 verified, strict validation.

Real boto3 clients (one per thread) against ``c2c emulator start --no-moto --db :memory:`` running in its
own process (so client and server do not share a GIL; ``--in-process`` runs it in this process instead);
each request is a strict-valid DEVICE_EVENT. Prints requests/s with 1 and 8 client threads, p50/p99 of
the client-observed latency, and the server-side median handling time from the request log.

Run: .venv/bin/python benchmarks/emulator.py [--requests N] [--in-process]   (prints numbers only)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from types import SimpleNamespace

import boto3
from botocore.config import Config

from c2c_cli.emulator import EmulatorClient, EmulatorSettings, locate, start_emulator

EVENT = {
    "Operation": "DEVICE_EVENT",
    "OperationVersion": "1.0",
    "StatusCode": 200,
    "UserId": "user-1",
    "ConnectorDeviceId": "lamp-1",
    "TraceId": "trace-1",
    "MatterEndpoint": {"id": "1", "clusters": [{"id": "0x0006", "attributes": {"0x0000": True}}]},
}


@contextlib.contextmanager
def _subprocess_emulator():
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "C2C_HOME": home}
        cmd = [
            sys.executable,
            "-m",
            "c2c_cli",
            "emulator",
            "start",
            "--json",
            "--no-moto",
            "--db",
            ":memory:",
        ]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        try:
            info = json.loads(proc.stdout.readline())
            os.environ["C2C_HOME"] = home
            yield SimpleNamespace(**info, admin=locate(info["endpoint_url"]))
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)


@contextlib.contextmanager
def _in_process_emulator():
    with start_emulator(EmulatorSettings(with_moto=False, db=":memory:")) as emu:
        yield SimpleNamespace(**emu.info, admin=EmulatorClient(emu.endpoint_url, emu.admin_token))


def _client(emu):
    return boto3.client(
        "iot-managed-integrations",
        endpoint_url=emu.endpoint_url,
        region_name=emu.region,
        aws_access_key_id=emu.access_key_id,
        aws_secret_access_key=emu.secret_access_key,
        config=Config(retries={"total_max_attempts": 1}, max_pool_connections=16),
    )


def run(emu, connector_id: str, threads: int, total: int) -> tuple[float, list[float]]:
    per_thread = total // threads
    latencies: list[float] = []
    lock = threading.Lock()
    clients = [_client(emu) for _ in range(threads)]
    for c in clients:  # warm: endpoint resolution, connection, validator caches
        c.send_connector_event(ConnectorId=connector_id, **EVENT)

    def work(client) -> None:
        mine = []
        for _ in range(per_thread):
            start = time.perf_counter()
            out = client.send_connector_event(ConnectorId=connector_id, **EVENT)
            mine.append(time.perf_counter() - start)
            assert out["ResponseMetadata"]["HTTPStatusCode"] == 202
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=work, args=(c,)) for c in clients]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - start
    return len(latencies) / elapsed, latencies


def _requests(admin, after: int = 0) -> list[dict]:
    out: list[dict] = []
    while True:
        page = admin._call("GET", "/_emulator/requests", {"after": after, "limit": 1000})["requests"]
        if not page:
            return out
        out += page
        after = page[-1]["seq"]


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--in-process", action="store_true", help="run the emulator in this process")
    args = parser.parse_args()
    with _in_process_emulator() if args.in_process else _subprocess_emulator() as emu:
        cid = _client(emu).create_cloud_connector(Name="bench", EndpointConfig={"lambda": {"arn": "bench"}})[
            "Id"
        ]
        mode = "in-process" if args.in_process else "separate process"
        print(f"emulator: {mode}; SigV4 verified; strict validation; every request accepted (202)")
        print(
            f"{'threads':>8} {'requests':>9} {'accepted/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'server p50 ms':>14}"
        )
        for threads in (1, 8):
            seen = max([r["seq"] for r in _requests(emu.admin)] or [0])
            rate, latencies = run(emu, cid, threads, args.requests)
            server = [
                r["duration_ms"] for r in _requests(emu.admin, seen) if r["operation"] == "SendConnectorEvent"
            ]
            print(
                f"{threads:>8} {len(latencies):>9} {rate:>11.0f} {_pct(latencies, 0.5):>8.2f} "
                f"{_pct(latencies, 0.99):>8.2f} {statistics.median(server):>14.2f}"
            )


if __name__ == "__main__":
    main()

"""Emulator throughput: accepted SendConnectorEvent requests per second, SigV4 verified, strict validation.

Real boto3 clients (one per thread) against ``c2c emulator start --no-moto`` running in its own process
(so client and server do not share a GIL; ``--in-process`` runs it in this process instead); each
request is a strict-valid DEVICE_EVENT, stored in the emulator's sqlite file (``--db``, WAL).

Default mode: requests/s with 1 and 8 client threads, p50/p99 of the client-observed latency, and the
server-side median handling time from the request log.

``--compare`` (issue 15): the same 4-thread boto3 load against the emulator and against a bare stdlib
HTTP server that answers ``{}`` (``http.server.ThreadingHTTPServer``, HTTP/1.1 keep-alive, the body read
by Content-Length), each in its own process, in alternating rounds; prints the median rate of each and
the ratio emulator / bare (goal ≥ 0.8). ``--json`` prints that result as one JSON object.

Run: .venv/bin/python benchmarks/emulator.py [--requests N] [--in-process]
     .venv/bin/python benchmarks/emulator.py --compare [--rounds 5] [--requests 800] [--threads 4] [--json]

Importable (``benchmarks/compare.py``): :func:`compare` returns the same dict ``--json`` prints;
:func:`subprocess_emulator`, :func:`bare_server` and :func:`load` are its pieces.
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
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

EVENT = {
    "Operation": "DEVICE_EVENT",
    "OperationVersion": "1.0",
    "StatusCode": 200,
    "UserId": "user-1",
    "ConnectorDeviceId": "lamp-1",
    "TraceId": "trace-1",
    "MatterEndpoint": {"id": "1", "clusters": [{"id": "0x0006", "attributes": {"0x0000": True}}]},
}
# The bare server accepts any signature: the client signs with these test values.
_BARE_KEYS = {
    "access_key_id": "AKIAC2CBAREBENCH0001",
    "secret_access_key": "bare-bench-secret",
    "region": "us-east-1",
}


# -- the yardstick: a bare stdlib server answering {} -----------------------------------------------


class _BareHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as botocore's connection pool expects
    # A fair yardstick: the answer leaves in one write (http.server flushes after do_POST) and without
    # Nagle's delay. Unbuffered, the headers and the body go out as two small segments and the second
    # waits for the client's delayed ACK (~40 ms), which would make the bare server absurdly slow.
    wbufsize = -1
    disable_nagle_algorithm = True

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_DELETE = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve_bare() -> None:
    """Run the bare server on a free port of 127.0.0.1 until killed; the first stdout line is its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BareHandler)
    server.daemon_threads = True
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


@contextlib.contextmanager
def bare_server() -> Iterator[SimpleNamespace]:
    """The bare server in its own process: ``endpoint_url`` plus test credentials."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--bare-server"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        yield SimpleNamespace(endpoint_url=proc.stdout.readline().strip(), pid=proc.pid, **_BARE_KEYS)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# -- the emulator -----------------------------------------------------------------------------------


@contextlib.contextmanager
def subprocess_emulator(db: str | None = None) -> Iterator[SimpleNamespace]:
    """``c2c emulator start --json --no-moto`` in its own process (its own ``C2C_HOME``).

    Args:
        db: the ``--db`` value; default a fresh file in the temporary ``C2C_HOME`` (WAL, stored).
    """
    from c2c_cli.emulator import locate

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "C2C_HOME": home}
        cmd = [sys.executable, "-m", "c2c_cli", "emulator", "start", "--json", "--no-moto"]
        cmd += ["--db", db or str(Path(home) / "emulator.db")]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        previous = os.environ.get("C2C_HOME")
        try:
            assert proc.stdout is not None
            info = json.loads(proc.stdout.readline())
            os.environ["C2C_HOME"] = home
            yield SimpleNamespace(**info, pid=proc.pid, admin=locate(info["endpoint_url"]))
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
            if previous is None:
                os.environ.pop("C2C_HOME", None)
            else:
                os.environ["C2C_HOME"] = previous


@contextlib.contextmanager
def _in_process_emulator() -> Iterator[SimpleNamespace]:
    from c2c_cli.emulator import EmulatorClient, EmulatorSettings, start_emulator

    with start_emulator(EmulatorSettings(with_moto=False, db=":memory:")) as emu:
        yield SimpleNamespace(**emu.info, admin=EmulatorClient(emu.endpoint_url, emu.admin_token))


# -- the load ---------------------------------------------------------------------------------------


def client(target: Any) -> Any:
    """A boto3 iot-managed-integrations client for ``target`` (no retries: every request counts once)."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "iot-managed-integrations",
        endpoint_url=target.endpoint_url,
        region_name=target.region,
        aws_access_key_id=target.access_key_id,
        aws_secret_access_key=target.secret_access_key,
        config=Config(retries={"total_max_attempts": 1}, max_pool_connections=16),
    )


def load(target: Any, connector_id: str, threads: int, total: int) -> tuple[float, list[float]]:
    """``total`` SendConnectorEvent calls from ``threads`` boto3 clients (one per thread).

    Returns:
        ``(accepted requests per second, client-observed latencies in seconds)``.
    """
    per_thread = total // threads
    latencies: list[float] = []
    lock = threading.Lock()
    clients = [client(target) for _ in range(threads)]
    for c in clients:  # warm: endpoint resolution, connection, validator caches
        c.send_connector_event(ConnectorId=connector_id, **EVENT)

    def work(c: Any) -> None:
        mine = []
        for _ in range(per_thread):
            start = time.perf_counter()
            out = c.send_connector_event(ConnectorId=connector_id, **EVENT)
            mine.append(time.perf_counter() - start)
            assert out["ResponseMetadata"]["HTTPStatusCode"] in (200, 202)
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux ``/proc``; 0.0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured_load(target: Any, connector_id: str, threads: int, total: int) -> dict[str, float]:
    """:func:`load` plus the CPU it cost: ms per request in the server process and in this (client) one."""
    server, client_cpu = cpu_seconds(target.pid), time.process_time()
    rate, latencies = load(target, connector_id, threads, total)
    n = len(latencies)
    return {
        "per_s": rate,
        "server_cpu_ms": (cpu_seconds(target.pid) - server) * 1000 / n,
        "client_cpu_ms": (time.process_time() - client_cpu) * 1000 / n,
    }


def _connector(emu: Any) -> str:
    made = client(emu).create_cloud_connector(Name="bench", EndpointConfig={"lambda": {"arn": "bench"}})
    return str(made["Id"])


def compare(rounds: int = 5, requests: int = 800, threads: int = 4, db: str | None = None) -> dict[str, Any]:
    """The emulator against the bare server, same load, alternating rounds (which one goes first flips).

    Returns:
        ``emulator_per_s`` / ``bare_per_s`` (medians), ``ratio`` (median of the paired rounds'
        emulator / bare), the median CPU ms per request of each server process and of the client, the
        ``cpu_ratio`` (client + bare server) / (client + emulator): the throughput ratio to expect when
        the load is CPU-bound, which other processes on a shared machine disturb much less than the
        rates), each round, and the settings.
    """
    runs: list[tuple[dict[str, float], dict[str, float]]] = []
    with subprocess_emulator(db) as emu, bare_server() as bare:
        cid = _connector(emu)
        load(emu, cid, threads, threads * 20)  # warm both processes once
        load(bare, cid, threads, threads * 20)
        for n in range(rounds):
            order = [(emu, 0), (bare, 1)] if n % 2 == 0 else [(bare, 1), (emu, 0)]
            got: list[dict[str, float]] = [{}, {}]
            for target, slot in order:
                got[slot] = measured_load(target, cid, threads, requests)
            runs.append((got[0], got[1]))

    def med(side: int, key: str) -> float:
        return statistics.median(r[side][key] for r in runs)

    client = statistics.median(r[s]["client_cpu_ms"] for r in runs for s in (0, 1))
    emu_cpu, bare_cpu = med(0, "server_cpu_ms"), med(1, "server_cpu_ms")
    return {
        "emulator_per_s": round(med(0, "per_s"), 1),
        "bare_per_s": round(med(1, "per_s"), 1),
        "ratio": round(statistics.median(e["per_s"] / b["per_s"] for e, b in runs), 3),
        "emulator_cpu_ms_per_request": round(emu_cpu, 3),
        "bare_cpu_ms_per_request": round(bare_cpu, 3),
        "client_cpu_ms_per_request": round(client, 3),
        "cpu_ratio": round((client + bare_cpu) / (client + emu_cpu), 3),
        "goal_ratio": 0.8,
        "rounds": [
            {
                "emulator_per_s": round(e["per_s"], 1),
                "bare_per_s": round(b["per_s"], 1),
                "emulator_cpu_ms": round(e["server_cpu_ms"], 3),
                "bare_cpu_ms": round(b["server_cpu_ms"], 3),
            }
            for e, b in runs
        ],
        "threads": threads,
        "requests_per_round": requests,
    }


# -- the default report -----------------------------------------------------------------------------


def _requests(admin: Any, after: int = 0) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        page = admin._call("GET", "/_emulator/requests", {"after": after, "limit": 1000})["requests"]
        if not page:
            return out
        out += page
        after = page[-1]["seq"]


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


def _report(in_process: bool, requests: int) -> None:
    with _in_process_emulator() if in_process else subprocess_emulator() as emu:
        cid = _connector(emu)
        mode = "in-process" if in_process else "separate process"
        print(f"emulator: {mode}; SigV4 verified; strict validation; every request accepted (202)")
        print(
            f"{'threads':>8} {'requests':>9} {'accepted/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'server p50 ms':>14}"
        )
        for threads in (1, 8):
            seen = max([r["seq"] for r in _requests(emu.admin)] or [0])
            rate, latencies = load(emu, cid, threads, requests)
            server = [
                r["duration_ms"] for r in _requests(emu.admin, seen) if r["operation"] == "SendConnectorEvent"
            ]
            print(
                f"{threads:>8} {len(latencies):>9} {rate:>11.0f} {_pct(latencies, 0.5):>8.2f} "
                f"{_pct(latencies, 0.99):>8.2f} {statistics.median(server):>14.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=800, help="requests per measurement (all threads)")
    parser.add_argument("--in-process", action="store_true", help="run the emulator in this process")
    parser.add_argument("--compare", action="store_true", help="emulator vs a bare stdlib server, same load")
    parser.add_argument("--rounds", type=int, default=5, help="--compare: alternating rounds")
    parser.add_argument("--threads", type=int, default=4, help="--compare: client threads")
    parser.add_argument("--db", help="--compare: the emulator's --db (default: a fresh file)")
    parser.add_argument("--json", action="store_true", help="--compare: print one JSON object")
    parser.add_argument("--bare-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        serve_bare()
        return
    if not args.compare:
        _report(args.in_process, args.requests)
        return
    result = compare(args.rounds, args.requests, args.threads, args.db)
    if args.json:
        print(json.dumps(result, sort_keys=True))
        return
    print(
        f"SendConnectorEvent, {args.threads} boto3 threads, {args.rounds} alternating rounds of {args.requests}"
    )
    print(
        f"{'round':>6} {'emulator/s':>11} {'bare/s':>9} {'ratio':>7} {'emu cpu ms':>11} {'bare cpu ms':>12}"
    )
    for n, r in enumerate(result["rounds"], 1):
        ratio = r["emulator_per_s"] / r["bare_per_s"]
        print(
            f"{n:>6} {r['emulator_per_s']:>11.0f} {r['bare_per_s']:>9.0f} {ratio:>7.2f} "
            f"{r['emulator_cpu_ms']:>11.2f} {r['bare_cpu_ms']:>12.2f}"
        )
    print(
        f"{'median':>6} {result['emulator_per_s']:>11.0f} {result['bare_per_s']:>9.0f} {result['ratio']:>7.2f} "
        f"{result['emulator_cpu_ms_per_request']:>11.2f} {result['bare_cpu_ms_per_request']:>12.2f}"
        f"   (goal: ratio >= {result['goal_ratio']})"
    )
    print(
        f"client CPU {result['client_cpu_ms_per_request']:.2f} ms/request; CPU-bound ratio "
        f"(client + bare) / (client + emulator) = {result['cpu_ratio']:.2f}"
    )


if __name__ == "__main__":
    main()

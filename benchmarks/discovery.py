"""Discovering a large vendor account end to end (issue 16, "Numbers to reach"). Prints numbers; asserts nothing.

Default mode: a sandbox with ``--devices N`` devices (one user, default 20,000), a ``c2c init`` project
(fresh, or ``--connector DIR``), ``c2c emulator start --connector DIR`` (with moto), ``c2c register``, then a
plain boto3 customer script in its own process: CreateAccountAssociation → the end user consents (the
sandbox's ``--auto-consent``) → StartDeviceDiscovery → GetDeviceDiscovery until it leaves RUNNING →
ListDiscoveredDevices until ``NextToken`` is absent. Printed: the wall time of each step and in total
(CreateAccountAssociation to the last page), the discovery's status, pages of ListDiscoveredDevices, distinct
devices, duplicates, missing ones, the connector's invocations and DEVICE_DISCOVERY events, and the peak RSS
(VmHWM) of every process: sandbox, emulator and each of its children (workers), the customer script.
Goal (issue 16): SUCCEEDED, N distinct devices, each once, in ≤ 60 s for 20,000 devices on 2 cores.

``--simulate``: ``c2c simulate discover --sandbox --sandbox-devices N --json`` in the project, one run: wall
time, the ACK, invocations, DEVICE_DISCOVERY pages, distinct and duplicate devices, and the peak RSS of that
process and of each of its children (issue 16: 100,000 devices must finish).

Run: .venv/bin/python benchmarks/discovery.py [--devices 20000] [--connector DIR] [--page-size N] [--json]
     .venv/bin/python benchmarks/discovery.py --simulate [--devices 100000] [--json]
     (extra emulator flags: --emulator-arg=--concurrency --emulator-arg=4)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PYTHON = sys.executable
ME = str(Path(__file__).resolve())


# -- processes and their memory ---------------------------------------------------------------------


def _status(pid: int) -> dict[str, str]:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def _label(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    words = [a.decode(errors="replace") for a in argv if a]
    return " ".join(Path(w).name if i == 0 else w for i, w in enumerate(words[:6]))[:80]


class Peaks:
    """Samples VmHWM (peak RSS) of some processes and all their descendants until stopped."""

    def __init__(self, interval: float = 0.2) -> None:
        self.roots: dict[int, str] = {}
        self.peak_kb: dict[int, int] = {}
        self.names: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(interval,), daemon=True)
        self._thread.start()

    def watch(self, pid: int, role: str) -> None:
        """Sample ``pid`` (and its descendants) under ``role``."""
        self.roots[pid] = role

    def _sample(self, pid: int, role: str) -> None:
        hwm = _status(pid).get("VmHWM", "").split()
        if hwm:
            self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), int(hwm[0]))
            self.names.setdefault(pid, role)
        for child in _children(pid):
            self.names.setdefault(child, f"{role} child: {_label(child)}")
            self._sample(child, self.names[child])

    def _loop(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.sample()

    def sample(self) -> None:
        """Sample every watched tree now."""
        for pid, role in list(self.roots.items()):
            self._sample(pid, role)

    def stop(self) -> list[dict[str, Any]]:
        """Stop sampling; every process seen, its role and its peak RSS in MB."""
        self.sample()
        self._stop.set()
        return [
            {"pid": pid, "process": self.names[pid], "peak_rss_mb": round(kb / 1024, 1)}
            for pid, kb in self.peak_kb.items()
        ]


@contextlib.contextmanager
def _server(argv: list[str], env: dict[str, str], peaks: Peaks, role: str) -> Iterator[dict[str, Any]]:
    """A ``c2c ... start --json`` server in its own process; yields its first stdout line (JSON)."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None and proc.stderr is not None
        line = proc.stdout.readline()
        if not line.startswith("{"):
            raise SystemExit(f"{role} did not start: {proc.stderr.read()[-2000:]}")
        peaks.watch(proc.pid, role)
        yield {**json.loads(line), "pid": proc.pid}
    finally:
        peaks.sample()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


def _c2c(
    args: list[str], env: dict[str, str], cwd: str | None = None, timeout: float = 300
) -> dict[str, Any]:
    done = subprocess.run(
        [PYTHON, "-m", "c2c_cli", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise SystemExit(f"c2c {' '.join(args[:2])} failed ({done.returncode}): {done.stderr[-2000:]}")
    parsed: dict[str, Any] = json.loads(done.stdout)
    return parsed


def _base_env(home: Path) -> dict[str, str]:
    """This environment without any AWS setting (test keys only), with its own C2C_HOME."""
    (home / "aws-empty").write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        C2C_HOME=str(home),
        AWS_CONFIG_FILE=str(home / "aws-empty"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "aws-empty"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


def _project(tmp: Path, connector: str | None) -> tuple[Path, int]:
    """The project to attach and the sandbox port its c2c.yaml expects (0: any, a fresh project follows it)."""
    if connector:
        import yaml

        config = yaml.safe_load((Path(connector) / "c2c.yaml").read_text())
        port = urlsplit(config["oauth"]["token_url"]).port or 80
        return Path(connector).resolve(), port
    return tmp / "acme", 0


# -- the customer: a plain boto3 script (run in its own process) ------------------------------------


def customer(destination_id: str, page_size: int, timeout: float) -> dict[str, Any]:
    """CreateAccountAssociation → consent → StartDeviceDiscovery → wait → ListDiscoveredDevices pages."""
    import resource

    import boto3
    import requests

    client = boto3.client("iot-managed-integrations")  # endpoint, keys and region from the environment
    marks = {"start": time.perf_counter()}
    created = client.create_account_association(ConnectorDestinationId=destination_id)
    url = created["OAuthAuthorizationUrl"]
    while url.startswith("http://127.0.0.1"):  # the end user's browser: sandbox consent → service callback
        url = requests.get(url, allow_redirects=False, timeout=60).headers.get("Location", "")
    aid, state = created["AccountAssociationId"], ""
    deadline = time.monotonic() + timeout
    while state != "ASSOCIATION_SUCCEEDED" and time.monotonic() < deadline:
        state = client.get_account_association(AccountAssociationId=aid)["AssociationState"]
        if state in ("ASSOCIATION_FAILED", "REFRESH_TOKEN_EXPIRED"):
            break
        time.sleep(0.05)
    marks["linked"] = time.perf_counter()
    did = client.start_device_discovery(DiscoveryType="CLOUD", AccountAssociationId=aid)["Id"]
    status = "RUNNING"
    while status == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.1)
        status = client.get_device_discovery(Identifier=did)["Status"]
    marks["discovered"] = time.perf_counter()
    ids, pages, token = [], 0, None
    while True:
        page = client.list_discovered_devices(
            Identifier=did,
            **({"NextToken": token} if token else {}),
            **({"MaxResults": page_size} if page_size else {}),
        )
        pages += 1
        ids += [d["ConnectorDeviceId"] for d in page["Items"]]
        token = page.get("NextToken")
        if not token:
            break
    marks["listed"] = time.perf_counter()
    return {
        "association_state": state,
        "discovery_id": did,
        "status": status,
        "list_pages": pages,
        "items": len(ids),
        "distinct_devices": len(set(ids)),
        "duplicates": len(ids) - len(set(ids)),
        "link_s": round(marks["linked"] - marks["start"], 3),
        "discovery_s": round(marks["discovered"] - marks["linked"], 3),
        "list_s": round(marks["listed"] - marks["discovered"], 3),
        "wall_s": round(marks["listed"] - marks["start"], 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


# -- default mode: sandbox + emulator + register + the customer --------------------------------------


def _emulator_env(info: dict[str, Any], env: dict[str, str]) -> dict[str, str]:
    return {
        **env,
        "AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS": info["endpoint_url"],
        "AWS_ENDPOINT_URL": info["aws_endpoint_url"],
        "AWS_ACCESS_KEY_ID": info["access_key_id"],
        "AWS_SECRET_ACCESS_KEY": info["secret_access_key"],
        "AWS_DEFAULT_REGION": info["region"],
        "AWS_REGION": info["region"],
    }


def _connector_log(env: dict[str, str], url: str, discovery_id: str) -> dict[str, int]:
    """Invocations of AWS.DiscoverDevices, Lambda ``Invoke`` requests (continuations), DEVICE_DISCOVERY events."""
    from c2c_cli.emulator import locate

    os.environ["C2C_HOME"] = env["C2C_HOME"]
    admin = locate(url)
    records, after = [], 0
    while page := admin.events(after=after):
        records += page
        after = page[-1]["seq"]
    requests_log, after = [], 0
    while page := admin.requests(after=after):
        requests_log += page
        after = page[-1]["seq"]
    pages = [
        r
        for r in records
        if r.get("operation") == "DEVICE_DISCOVERY"
        and r.get("body", {}).get("DeviceDiscoveryId") == discovery_id
    ]
    invocations = [
        r for r in records if r.get("kind") == "invocation" and r.get("operation") == "AWS.DiscoverDevices"
    ]
    first = invocations[0] if invocations else {}
    return {
        "invocations": len(invocations),
        "first_ack": first.get("http_status"),
        "first_problem": (first.get("error_message") or "")[:300] or None,
        "continuation_invokes": sum(1 for r in requests_log if str(r.get("path")).endswith("/invocations")),
        "discovery_events": len(pages),
        "discovery_events_rejected": sum(1 for r in pages if r.get("verdict") != "accepted"),
    }


def run_customer_flow(args: argparse.Namespace) -> dict[str, Any]:
    """The default mode's measurement; the dict ``--json`` prints."""
    peaks, started = Peaks(), time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="c2c-bench-discovery-") as raw:
        tmp = Path(raw)
        env = _base_env(tmp)
        project, port = _project(tmp, args.connector)
        sandbox_argv = [PYTHON, "-m", "c2c_cli", "sandbox", "start", "--json", "--port", str(port)]
        sandbox_argv += ["--db", ":memory:", "--devices", str(args.devices), "--users", "alice"]
        sandbox_argv += ["--auto-consent", "alice"]
        with _server(sandbox_argv, env, peaks, "sandbox") as sb:
            if not args.connector:
                _c2c(["init", str(project), "--no-input", "--vendor-url", sb["base_url"], "--json"], env)
            emulator_argv = [PYTHON, "-m", "c2c_cli", "emulator", "start", "--json"]
            emulator_argv += ["--db", str(tmp / "emulator.db"), "--connector", str(project)]
            emulator_argv += ["--connector-env", f"VENDOR_API_URL={sb['base_url']}"]
            emulator_argv += ["--connector-env", f"VENDOR_CLIENT_ID={sb['client_id']}", *args.emulator_arg]
            with _server(emulator_argv, env, peaks, "emulator") as emu:
                aws_env = {**_emulator_env(emu, env), "VENDOR_CLIENT_SECRET": sb["client_secret"]}
                state = _c2c(["register", "--project", str(project), "--yes", "--json"], aws_env)["state"]
                setup = time.perf_counter() - started  # servers up, project attached and registered
                argv = [PYTHON, ME, "--customer", state["destination_id"], "--page-size", str(args.page_size)]
                argv += ["--timeout", str(args.timeout)]
                done = subprocess.run(
                    argv, env=aws_env, capture_output=True, text=True, timeout=args.timeout * 2
                )
                if done.returncode != 0:
                    raise SystemExit(f"the customer script failed: {done.stderr[-3000:]}")
                result = json.loads(done.stdout)
                result.update(_connector_log(env, emu["endpoint_url"], result["discovery_id"]))
    processes = peaks.stop()
    processes.append(
        {"pid": None, "process": "customer script (boto3)", "peak_rss_mb": result.pop("peak_rss_mb")}
    )
    return {
        "mode": "customer",
        "devices": args.devices,
        "missing": args.devices - result["distinct_devices"],
        **result,
        "page_size": args.page_size or "service default",
        "setup_s": round(setup, 3),
        "processes": processes,
        "goal": "SUCCEEDED, every device exactly once, wall_s <= 60 for 20,000 devices (2 cores)",
        "command": " ".join(["benchmarks/discovery.py", *sys.argv[1:]]),
    }


# -- --simulate: c2c simulate discover --sandbox -------------------------------------------------------


def run_simulate(args: argparse.Namespace) -> dict[str, Any]:
    """``c2c simulate discover --sandbox --sandbox-devices N --json`` once, with its process tree's memory."""
    peaks = Peaks()
    with tempfile.TemporaryDirectory(prefix="c2c-bench-simulate-") as raw:
        tmp = Path(raw)
        env = _base_env(tmp)
        project = Path(args.connector).resolve() if args.connector else tmp / "acme"
        if not args.connector:
            _c2c(["init", str(project), "--no-input", "--json"], env)
        argv = [PYTHON, "-m", "c2c_cli", "simulate", "discover", "--sandbox"]
        argv += [
            "--sandbox-devices",
            str(args.devices),
            "--wait",
            str(args.timeout),
            "--json",
            *args.simulate_arg,
        ]
        started = time.perf_counter()
        proc = subprocess.Popen(
            argv, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        peaks.watch(proc.pid, "c2c simulate discover")
        out, err = proc.communicate(timeout=args.timeout * 2)
        wall = time.perf_counter() - started
    data = json.loads(out) if out.strip().startswith("{") else {}
    events = [e for e in data.get("events", []) if e.get("body", {}).get("Operation") == "DEVICE_DISCOVERY"]
    ids = [d["ConnectorDeviceId"] for e in events for d in e["body"].get("Devices") or []]
    # `c2c simulate discover --json` reports its own summary once continuations exist ("discovery"); before
    # that, one invocation per attempt.
    summary = data.get("discovery") if isinstance(data.get("discovery"), dict) else {}
    continuations = data.get("continuations") if isinstance(data.get("continuations"), list) else []
    invocations = summary.get("invocations") or (1 + len(continuations) if continuations else None)
    return {
        "mode": "simulate",
        "devices": args.devices,
        "exit_code": proc.returncode,
        "wall_s": round(wall, 3),
        "ack": (data.get("ack") or {}).get("header", {}).get("responseCode"),
        "ok": data.get("ok"),
        "invocations": invocations or len(data.get("attempts", [])),
        "duplicate_deliveries": summary.get("duplicate_deliveries"),
        "pages": len(events),
        "final_status_codes": [e["body"].get("StatusCode") for e in events[-1:]],
        "distinct_devices": len(set(ids)),
        "duplicates": len(ids) - len(set(ids)),
        "missing": args.devices - len(set(ids)),
        "violations": sorted({v.get("rule", "?") for v in data.get("violations", [])}),
        "stderr_tail": re.sub(r"\s+", " ", err[-300:]).strip(),
        "processes": peaks.stop(),
        "goal": "finishes for 100,000 devices",
        "command": " ".join(["benchmarks/discovery.py", *sys.argv[1:]]),
    }


# -- output --------------------------------------------------------------------------------------------


def _print(result: dict[str, Any]) -> None:
    print(f"$ {result['command']}")
    for key, value in result.items():
        if key not in ("processes", "command"):
            print(f"{key:>28}  {value}")
    print(f"{'peak RSS':>28}")
    for p in result["processes"]:
        print(f"{p['peak_rss_mb']:>24.1f} MB  {p['process']} (pid {p['pid']})")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--devices", type=int, default=None, help="sandbox devices (20,000; --simulate 100,000)"
    )
    parser.add_argument("--connector", help="an existing c2c init project (default: a fresh one)")
    parser.add_argument(
        "--page-size", type=int, default=0, help="MaxResults of each page (0: the service's default)"
    )
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the discovery")
    parser.add_argument(
        "--simulate", action="store_true", help="measure c2c simulate discover --sandbox instead"
    )
    parser.add_argument("--emulator-arg", action="append", default=[], help="extra c2c emulator start flag")
    parser.add_argument(
        "--simulate-arg", action="append", default=[], help="extra c2c simulate discover flag"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--customer", metavar="DESTINATION_ID", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.customer:
        print(json.dumps(customer(args.customer, args.page_size, args.timeout)))
        return
    if args.devices is None:
        args.devices = 100_000 if args.simulate else 20_000
    result = run_simulate(args) if args.simulate else run_customer_flow(args)
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
    else:
        _print(result)


if __name__ == "__main__":
    main()

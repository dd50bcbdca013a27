"""The first-five-minutes numbers in one table, each with the command that reproduces it.

Run: make bench   (or .venv/bin/python benchmarks/run.py [--markdown]). Prints numbers; asserts nothing.
Whole-process figures are medians of several runs on whatever machine runs this (see docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
C2C = str(Path(sys.executable).parent / "c2c")
#: issue 15's start-up goals, as fractions of the yardstick `sam --help`
STARTUP_GOALS = {"--help": 0.8, "validate --help": 1.0, "--version": 0.3}


def median_ms(argv: list[str], runs: int, warmup: int = 1, check: bool = False, **kwargs: Any) -> float:
    """The median wall time of ``runs`` whole-process runs of ``argv`` in ms (after ``warmup`` uncounted runs).

    ``check`` fails on a non-zero exit (off by default: ``c2c`` with no arguments exits 2 by design).
    benchmarks/compare.py imports this function.
    """
    times = []
    for n in range(warmup + runs):
        started = time.perf_counter()
        subprocess.run(argv, check=check, capture_output=True, **kwargs)
        if n >= warmup:
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _median_seconds(argv: list[str], runs: int, **kwargs: Any) -> float:
    return median_ms(argv, runs, check=True, **kwargs) / 1000


def startup_rows(runs: int = 9, c2c: str = C2C) -> list[tuple[str, str, str]]:
    """c2c --help, validate --help and --version (whole process), each with its ratio to `sam --help`."""
    sam = shutil.which("sam")
    sam_ms = median_ms([sam, "--help"], runs) if sam else None
    rows = []
    for args, goal in STARTUP_GOALS.items():
        value = median_ms([c2c, *args.split()], runs)
        ratio = f" = {value / sam_ms:.2f}x sam --help (goal <= {goal}x)" if sam_ms else ""
        rows.append((f"c2c {args} (whole process)", f"{value:.0f} ms{ratio}", f"c2c {args}"))
    if sam_ms:
        rows.append(("sam --help (whole process, the yardstick)", f"{sam_ms:.0f} ms", "sam --help"))
    return rows


def _cli_rows(tmp: Path) -> list[tuple[str, str, str]]:
    event = tmp / "discovery-1000.json"
    event.write_text(
        subprocess.check_output(
            [C2C, "events", "new", "event.device-discovery", "--devices", "1000"], text=True
        )
    )
    subprocess.run([C2C, "init", str(tmp / "bench"), "--no-input", "--json"], check=True, capture_output=True)
    env_home = {"C2C_HOME": str(tmp / "home"), "PATH": str(Path(sys.executable).parent)}
    simulate = [
        C2C,
        "simulate",
        "discover",
        "--project",
        str(tmp / "bench"),
        "--sandbox",
        "--sandbox-devices",
        "1000",
        "--json",
    ]
    return [
        *startup_rows(),
        (
            "c2c validate, 1,000-device DEVICE_DISCOVERY (whole process)",
            f"{_median_seconds([C2C, 'validate', str(event)], 5) * 1000:.0f} ms",
            "c2c events new event.device-discovery --devices 1000 > e.json && c2c validate e.json",
        ),
        (
            "c2c simulate discover, template connector, sandbox with 1,000 devices (whole process)",
            f"{_median_seconds(simulate, 3, env=env_home):.2f} s",
            "c2c init bench --no-input && c2c simulate discover --project bench --sandbox --sandbox-devices 1000",
        ),
    ]


def _emulator_row(total: int = 400) -> tuple[str, str, str]:
    import boto3
    from botocore.config import Config

    from c2c_cli.contract.samples import new_sample
    from c2c_cli.emulator import EmulatorSettings, start_emulator

    event = new_sample("event.device-event")
    with start_emulator(EmulatorSettings(port=0, db=":memory:", with_moto=False)) as emu:
        connector = emu.create_connector("bench", "arn:aws:lambda:us-east-1:123456789012:function:bench")
        client = boto3.client(
            "iot-managed-integrations",
            endpoint_url=emu.endpoint_url,
            region_name=emu.region,
            aws_access_key_id=emu.account.access_key_id,
            aws_secret_access_key=emu.account.secret_access_key,
            config=Config(retries={"total_max_attempts": 1}),
        )
        client.send_connector_event(ConnectorId=connector, **event)
        started = time.perf_counter()
        for _ in range(total):
            client.send_connector_event(ConnectorId=connector, **event)
        rate = total / (time.perf_counter() - started)
    return (
        "emulator SendConnectorEvent, SigV4 verified, strict validation (1 boto3 thread, in-process)",
        f"{rate:.0f} req/s",
        "python benchmarks/emulator.py  (1 and 8 threads, p50/p99)",
    )


def _template_row() -> tuple[str, str, str]:
    output = subprocess.check_output(
        [sys.executable, str(ROOT / "benchmarks" / "template.py"), "--cold", "3", "--warm", "500"], text=True
    )
    found = re.search(r"warm AWS\.SendCommand.*?median\s+(\d+) µs", output)
    value = f"{found.group(1)} µs" if found else "n/a"
    return (
        "template handler warm overhead, AWS.SendCommand (zero-latency vendor)",
        value,
        "python benchmarks/template.py",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--startup", action="store_true", help="only the start-up rows (issue 15)")
    args = parser.parse_args()
    if args.startup:
        rows = startup_rows()
    else:
        with tempfile.TemporaryDirectory() as tmp:
            rows = [*_cli_rows(Path(tmp)), _emulator_row(), _template_row()]
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}, {_cpus()} CPUs"
    if args.markdown:
        print(f"Machine: {machine}\n\n| benchmark | value | reproduce |\n| --- | --- | --- |")
        for name, value, command in rows:
            print(f"| {name} | {value} | `{command}` |")
        return
    print(f"machine: {machine}")
    width = max(len(r[0]) for r in rows)
    for name, value, command in rows:
        print(f"{name:{width}}  {value:>10}   {command}")
    print(json.dumps({name: value for name, value, _ in rows}))


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    main()

"""Every row of the speed table (docs/performance.md), side by side with its yardstick, in one run.

Run: .venv/bin/python benchmarks/compare.py [--json] [--rows startup,validate,memory,emulator,simulate]

Prints numbers and ratios; asserts nothing (performance targets are never test assertions). The yardsticks
(AWS SAM CLI for start-up, fastjsonschema for validation) are installed into a throw-away virtual
environment, ``benchmarks/.yardsticks/`` (git-ignored), the first time they are needed; ``--yardsticks DIR``
points elsewhere. Pairs are run in turn (A B A B ...) and each ratio is the median of the per-pair ratios,
so a machine whose speed drifts during the run still gives a fair ratio.

| row | c2c | yardstick | goal |
|---|---|---|---|
| startup  | ``c2c --help``, ``c2c validate --help``, ``c2c --version`` | ``sam --help`` | ≤ 0.8×, ≤ 1.0×, ≤ 0.3× |
| validate | 10,000-device DEVICE_DISCOVERY, every error + Matter lint (devices/s) | fastjsonschema, first error | ≥ 2× |
| memory   | peak RSS validating a ~60 MB, 130,000-device event | 2 × its parsed JSON | < 1× |
| emulator | boto3 SendConnectorEvent, 4 threads, SigV4 + strict + stored (events/s) | bare HTTP server | ≥ 0.8× |
| simulate | ``c2c simulate`` overhead per operation over a bare handler call | — | ≤ 10 ms |
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
BIN = Path(sys.executable).parent
C2C = str(BIN / "c2c")
YARDSTICK_PACKAGES = ("aws-sam-cli", "fastjsonschema")
ROWS = ("startup", "validate", "memory", "emulator", "simulate")


def yardstick_venv(where: Path) -> Path:
    """The throw-away venv holding the yardsticks, created (and filled) when absent; returns its bin/."""
    bin_dir = where / "bin"
    if not (bin_dir / "sam").exists() or not _has_module(bin_dir / "python", "fastjsonschema"):
        print(
            f"installing the yardsticks ({', '.join(YARDSTICK_PACKAGES)}) into {where} ...", file=sys.stderr
        )
        subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
        subprocess.run(
            [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", *YARDSTICK_PACKAGES], check=True
        )
    return bin_dir


def _has_module(python: Path, module: str) -> bool:
    if not python.exists():
        return False
    return subprocess.run([str(python), "-c", f"import {module}"], capture_output=True).returncode == 0


def _once(argv: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def paired(a: list[str], b: list[str], pairs: int, env: dict[str, str] | None = None) -> dict[str, float]:
    """Whole-process wall times of ``a`` and ``b`` run in turn: medians (ms) and the median pair ratio."""
    _once(a, env), _once(b, env)  # warm the page cache and bytecode of both
    times_a, times_b = [], []
    for _ in range(pairs):
        times_a.append(_once(a, env))
        times_b.append(_once(b, env))
    ratios = [x / y for x, y in zip(times_a, times_b, strict=True)]
    return {
        "ms": statistics.median(times_a) * 1000,
        "yardstick_ms": statistics.median(times_b) * 1000,
        "ratio": statistics.median(ratios),
    }


def startup_rows(yard: Path, pairs: int) -> list[dict[str, Any]]:
    """``c2c --help``, ``c2c validate --help``, ``c2c --version`` against ``sam --help``."""
    sam = [str(yard / "sam"), "--help"]
    # SAM asks once whether it may send telemetry; the variable keeps it quiet and offline. Both sides
    # run with their bytecode cached, as an installed CLI does (PYTHONDONTWRITEBYTECODE would recompile
    # c2c's editable sources on every run).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["SAM_CLI_TELEMETRY"] = "0"
    rows = []
    for argv, goal in ((["--help"], 0.8), (["validate", "--help"], 1.0), (["--version"], 0.3)):
        figures = paired([C2C, *argv], sam, pairs, env)
        rows.append(
            {
                "row": "startup",
                "measure": f"c2c {' '.join(argv)}",
                "value": f"{figures['ms']:.0f} ms",
                "yardstick": f"sam --help {figures['yardstick_ms']:.0f} ms",
                "ratio": figures["ratio"],
                "goal": f"<= {goal}x",
                "met": figures["ratio"] <= goal,
            }
        )
    return rows


def _json_of(argv: list[str]) -> dict[str, Any]:
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def validate_row(yard: Path, rounds: int) -> dict[str, Any]:
    """In-process devices/s: c2c (every error + Matter lint) against fastjsonschema (first error only)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(BENCH / "validate.py"), "--write-inputs", tmp], check=True)
        ours, theirs = [], []
        for _ in range(rounds):
            ours.append(
                _json_of(
                    [sys.executable, str(BENCH / "validate.py"), "--rate-of", f"{tmp}/event.json", "--json"]
                )
            )
            theirs.append(
                _json_of(
                    [
                        str(yard / "python"),
                        str(BENCH / "fastjsonschema_rate.py"),
                        f"{tmp}/schema.json",
                        f"{tmp}/event.json",
                        "--json",
                    ]
                )
            )
    ratios = [o["devices_per_s"] / t["devices_per_s"] for o, t in zip(ours, theirs, strict=True)]
    rate = statistics.median(o["devices_per_s"] for o in ours)
    ratio = statistics.median(ratios)
    return {
        "row": "validate",
        "measure": f"validate a {ours[0]['devices']:,}-device DEVICE_DISCOVERY in-process, every error + Matter lint",
        "value": f"{rate:,.0f} devices/s",
        "yardstick": f"fastjsonschema {statistics.median(t['devices_per_s'] for t in theirs):,.0f} devices/s",
        "ratio": ratio,
        "goal": ">= 2x",
        "met": ratio >= 2,
    }


def memory_row() -> dict[str, Any]:
    """Peak RSS of ``c2c validate`` on a ~60 MB, 130,000-device event against twice its parsed JSON."""
    figures = _json_of([sys.executable, str(BENCH / "validate.py"), "--memory", "--json"])
    ratio = figures["peak_rss_mb"] / (2 * figures["parsed_mb"])
    return {
        "row": "memory",
        "measure": f"validate a {figures['file_mb']:.0f} MB, {figures['devices']:,}-device event: peak RSS",
        "value": f"{figures['peak_rss_mb']:.0f} MB",
        "yardstick": f"2 x parsed JSON ({figures['parsed_mb']:.0f} MB)",
        "ratio": ratio,
        "goal": "< 1x",
        "met": ratio < 1,
    }


def emulator_row() -> dict[str, Any]:
    """boto3 SendConnectorEvent from 4 threads: the emulator against a bare HTTP server answering ``{}``."""
    figures = _json_of([sys.executable, str(BENCH / "emulator.py"), "--compare", "--json"])
    return {
        "row": "emulator",
        "measure": "boto3 SendConnectorEvent, 4 threads (SigV4 verified, strict validation, stored)",
        "value": f"{figures['emulator_per_s']:,.0f} events/s",
        "yardstick": f"bare HTTP server {figures['bare_per_s']:,.0f} events/s",
        "ratio": figures["ratio"],
        "goal": ">= 0.8x",
        "met": figures["ratio"] >= 0.8,
    }


def simulate_row() -> dict[str, Any]:
    """What ``c2c simulate`` adds to each operation over calling the handler bare."""
    figures = _json_of([sys.executable, str(BENCH / "simulate.py"), "--overhead-only", "--json"])
    ms = figures["overhead_ms"]
    return {
        "row": "simulate",
        "measure": "c2c simulate overhead per operation over a bare handler call",
        "value": f"{ms:.1f} ms",
        "yardstick": f"bare call {figures['bare_ms']:.1f} ms",
        "ratio": None,
        "goal": "<= 10 ms",
        "met": ms <= 10,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--rows", default=",".join(ROWS), help=f"comma-separated subset of {', '.join(ROWS)}")
    parser.add_argument("--pairs", type=int, default=15, help="start-up pairs per measure")
    parser.add_argument("--rounds", type=int, default=5, help="validation rounds (each a fresh process)")
    parser.add_argument("--yardsticks", type=Path, default=BENCH / ".yardsticks", help="the yardsticks' venv")
    args = parser.parse_args()
    wanted = [r.strip() for r in args.rows.split(",") if r.strip()]
    unknown = sorted(set(wanted) - set(ROWS))
    if unknown:
        parser.error(f"unknown rows: {', '.join(unknown)}")
    yard = yardstick_venv(args.yardsticks) if {"startup", "validate"} & set(wanted) else Path()
    rows: list[dict[str, Any]] = []
    for name in wanted:
        print(f"measuring {name} ...", file=sys.stderr)
        if name == "startup":
            rows += startup_rows(yard, args.pairs)
        elif name == "validate":
            rows.append(validate_row(yard, args.rounds))
        elif name == "memory":
            rows.append(memory_row())
        elif name == "emulator":
            rows.append(emulator_row())
        else:
            rows.append(simulate_row())
    if args.json:
        print(json.dumps({"machine": _machine(), "rows": rows}, indent=2))
        return
    print(f"machine: {_machine()}")
    print("| measure | c2c | yardstick | ratio | goal | met |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}x"
        print(
            f"| {r['measure']} | {r['value']} | {r['yardstick']} | {ratio} | {r['goal']} | {'yes' if r['met'] else 'NO'} |"
        )


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} CPUs, CPython {platform.python_version()}, {platform.system()}"


if __name__ == "__main__":
    main()

"""``c2c test`` with each target: the worker interpreter (default) vs ``--in-process``, whole process.

Runs ``python -m c2c_cli test --sandbox`` on the unbroken mutation fixture (tests/fixtures/broken/correct,
37 cases) with and without ``--in-process``, alternating A B A B so a drifting machine affects both
alike, and prints the median wall and CPU seconds (this process's children: c2c and its worker) of each
and their ratio. Prints numbers; asserts nothing.

Usage: ``.venv/bin/python benchmarks/targets.py [--runs 5]``
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "broken" / "correct"
TARGETS = {"subprocess (default)": [], "in-process": ["--in-process"]}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_once(flags: list[str]) -> tuple[float, float]:
    argv = [sys.executable, "-m", "c2c_cli", "test", "-p", str(PROJECT), "--sandbox", *flags]
    cpu, started = _children_cpu(), time.perf_counter()
    subprocess.run(argv, capture_output=True, check=False, timeout=300)
    return time.perf_counter() - started, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in TARGETS}
    for flags in TARGETS.values():
        _run_once(flags)  # warm-up: file caches, .pyc
    for _ in range(args.runs):
        for name, flags in TARGETS.items():
            figures[name].append(_run_once(flags))
    for name, runs in figures.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"c2c test --sandbox, {name}: wall {wall:.2f} s, cpu {cpu:.2f} s (median of {args.runs})")
    (a, b) = (figures["in-process"], figures["subprocess (default)"])
    ratios = [x[0] / y[0] for x, y in zip(a, b, strict=True)]
    print(f"in-process / subprocess wall, median of pairs: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()

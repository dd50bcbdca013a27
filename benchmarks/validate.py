"""Validation throughput: devices validated per second in one DEVICE_DISCOVERY event, and catalog load time.

Run: .venv/bin/python benchmarks/validate.py   (prints numbers; no assertions)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from c2c_cli.contract import validate_document
from c2c_cli.contract.builders import discovery_event
from c2c_cli.contract.samples import sample_devices

CATALOG_PROBE = (
    "import time; t = time.perf_counter(); from c2c_cli.matter import load_catalog; load_catalog(); "
    "print((time.perf_counter() - t) * 1000)"
)


def devices_per_second(count: int, repeat: int) -> tuple[float, int]:
    event = discovery_event("bench1", "user-0001", sample_devices(count))
    validate_document(event)  # warm caches (validator build, catalog)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        report = validate_document(event)
        times.append(time.perf_counter() - start)
    return count / statistics.median(times), len(report.violations)


def catalog_load_ms(repeat: int = 5) -> float:
    runs = [
        float(subprocess.check_output([sys.executable, "-c", CATALOG_PROBE], text=True))
        for _ in range(repeat)
    ]
    return statistics.median(runs)


def main() -> None:
    print(f"{'benchmark':44} {'value':>12}")
    for count, repeat in ((1_000, 5), (10_000, 3)):
        rate, violations = devices_per_second(count, repeat)
        print(
            f"{f'validate DEVICE_DISCOVERY, {count:,} devices':44} {rate:>10,.0f}/s  ({violations} violations)"
        )
    print(f"{'catalog load (cold process, median of 5)':44} {catalog_load_ms():>10.1f} ms")


if __name__ == "__main__":
    main()

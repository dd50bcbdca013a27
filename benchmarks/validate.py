"""Validation throughput and memory: devices validated per second in one DEVICE_DISCOVERY event, peak RSS.

Run: .venv/bin/python benchmarks/validate.py   (prints numbers; no assertions)

The interface ``benchmarks/compare.py`` calls:

- ``--write-inputs DIR`` writes ``DIR/event.json`` (a 10,000-device DEVICE_DISCOVERY, the repeated device
  models of ``c2c events new event.device-discovery --devices 10000``) and ``DIR/schema.json`` (the JSON
  Schema of the same body shape, for fastjsonschema: the model's ``SendConnectorEventRequest`` without the
  ``ConnectorId`` path parameter).
- ``--rate-of FILE --json``: in-process devices/s of ``validate_document`` (every error and the Matter lint),
  one warm-up then the median (``devices_per_s``) and best of a few repetitions.
- ``--memory --json``: peak RSS of ``c2c validate`` on a 130,000-device event against the size of its parsed
  JSON. "Size of its parsed JSON" is defined as the RSS growth of a fresh process that only reads and parses
  the file (``read_json``, the reader ``c2c validate`` uses), measured after the text is released; the peak
  is the ``ru_maxrss`` of a separate fresh ``c2c validate FILE --json`` process (read, parse, validate,
  print), so interpreter start-up and the JSON text held during parsing count against it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from rates import devices_per_s

from c2c_cli.contract import read_json, validate_document
from c2c_cli.contract.model import model
from c2c_cli.contract.samples import new_sample

CATALOG_PROBE = (
    "import time; t = time.perf_counter(); from c2c_cli.matter import load_catalog; load_catalog(); "
    "print((time.perf_counter() - t) * 1000)"
)
# RSS growth of reading + parsing FILE alone (MB), in a fresh process.
PARSE_PROBE = """
import gc, sys
from c2c_cli.contract import read_json

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * {page} / 1e6

before = rss()
doc, _ = read_json(sys.argv[1])
gc.collect()
print(rss() - before)
"""
C2C = str(Path(sys.executable).parent / "c2c")
RATE_DEVICES, MEMORY_DEVICES, REPEAT = 10_000, 130_000, 5


def discovery(devices: int) -> dict[str, Any]:
    """The body ``c2c events new event.device-discovery --devices N`` prints."""
    return new_sample("event.device-discovery", devices=devices)


def body_schema() -> dict[str, Any]:
    """The model's SendConnectorEventRequest as one JSON Schema document, for the body form of a file."""
    defs = model()["$defs"]
    root = dict(defs["SendConnectorEventRequest"])
    root["required"] = [name for name in root["required"] if name != "ConnectorId"]
    return {"$defs": defs, **root}


def write_inputs(where: Path, devices: int = RATE_DEVICES) -> None:
    """``event.json`` and ``schema.json`` for both sides of the validation row."""
    where.mkdir(parents=True, exist_ok=True)
    (where / "event.json").write_text(json.dumps(discovery(devices), indent=2))
    (where / "schema.json").write_text(json.dumps(body_schema()))


def rate_of(path: Path, repeat: int = REPEAT) -> dict[str, Any]:
    """Median and best devices/s of validate_document on one file (after one warm-up)."""
    doc, _ = read_json(path)
    figures, report = devices_per_s(lambda: validate_document(doc), len(doc["Devices"]), repeat)
    return {
        **figures,
        "violations": len(report.violations),
    }


def memory(devices: int = MEMORY_DEVICES) -> dict[str, Any]:
    """Peak RSS of ``c2c validate`` on a ``devices``-device event, and the RSS its parsed JSON takes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "event.json"
        path.write_text(json.dumps(discovery(devices)))
        probe = PARSE_PROBE.format(page=os.sysconf("SC_PAGE_SIZE"))
        parsed = float(subprocess.check_output([sys.executable, "-c", probe, str(path)], text=True))
        child = subprocess.Popen([C2C, "validate", str(path), "--json"], stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode not in (0, 3):
            raise RuntimeError(f"c2c validate exited {child.returncode}")
        return {
            "peak_rss_mb": usage.ru_maxrss / 1000,  # Linux reports KiB; MB like parsed_mb (near enough)
            "parsed_mb": parsed,
            "file_mb": path.stat().st_size / 1e6,
            "devices": devices,
        }


def catalog_load_ms(repeat: int = 5) -> float:
    """Median cold-process catalogue load time."""
    runs = [
        float(subprocess.check_output([sys.executable, "-c", CATALOG_PROBE], text=True))
        for _ in range(repeat)
    ]
    return statistics.median(runs)


def table() -> None:
    """The human table (the plain run)."""
    print(f"{'benchmark':44} {'value':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for count in (1_000, RATE_DEVICES):
            path = Path(tmp) / f"{count}.json"
            path.write_text(json.dumps(discovery(count)))
            figures = rate_of(path)
            name = f"validate DEVICE_DISCOVERY, {count:,} devices"
            print(f"{name:44} {figures['devices_per_s']:>10,.0f}/s  ({figures['violations']} violations)")
    print(f"{'catalog load (cold process, median of 5)':44} {catalog_load_ms():>10.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write-inputs", type=Path, metavar="DIR", help="write event.json and schema.json")
    parser.add_argument("--rate-of", type=Path, metavar="FILE", help="devices/s validating FILE in-process")
    parser.add_argument("--memory", action="store_true", help="peak RSS of c2c validate vs the parsed JSON")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.write_inputs:
        write_inputs(args.write_inputs)
        return
    if not (args.rate_of or args.memory):
        table()
        return
    figures = rate_of(args.rate_of) if args.rate_of else memory()
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(", ".join(f"{key} {value:,.1f}" for key, value in figures.items()))


if __name__ == "__main__":
    main()

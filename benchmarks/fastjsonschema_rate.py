"""The validation yardstick: devices/s of fastjsonschema on the event that ``validate.py --write-inputs`` wrote.

Run: python benchmarks/fastjsonschema_rate.py SCHEMA EVENT [--json]   (prints numbers; no assertions)

Runs from the yardsticks' throw-away venv (``benchmarks/compare.py`` makes it), so it imports nothing of c2c:
only the standard library and fastjsonschema. fastjsonschema stops at the first error and has no Matter
lint; on the valid event it still walks every value. The same statistics as ``validate.py --rate-of``: one
warm-up, then the median (``devices_per_s``) and best of a few repetitions.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import fastjsonschema
from rates import devices_per_s

REPEAT = 5


def rate(schema: dict[str, Any], event: dict[str, Any], repeat: int = REPEAT) -> dict[str, Any]:
    """Median and best devices/s of one compiled fastjsonschema validator over ``event``."""
    validate = fastjsonschema.compile(schema)
    figures, _ = devices_per_s(lambda: validate(event), len(event["Devices"]), repeat)
    return {
        **figures,
        "validator": f"fastjsonschema {fastjsonschema.VERSION}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("schema", type=Path)
    parser.add_argument("event", type=Path)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = rate(json.loads(args.schema.read_text()), json.loads(args.event.read_text()))
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"fastjsonschema, {figures['devices']:,} devices: {figures['devices_per_s']:,.0f} devices/s")


if __name__ == "__main__":
    main()

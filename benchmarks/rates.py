"""Devices per second of one validator call, shared by ``validate.py`` and ``fastjsonschema_rate.py``.

Standard library only: ``fastjsonschema_rate.py`` runs from the yardsticks' venv, which has no c2c.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def devices_per_s(run: Callable[[], Any], devices: int, repeat: int) -> tuple[dict[str, Any], Any]:
    """One warm-up call of ``run``, then ``repeat`` timed calls: median and best devices/s, and the last result."""
    result = run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    figures = {
        "devices_per_s": devices / statistics.median(times),
        "best_devices_per_s": devices / min(times),
        "devices": devices,
        "repeat": repeat,
    }
    return figures, result

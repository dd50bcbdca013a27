"""Settings every test shares: the same environment under ``pytest -n N`` (pytest-xdist) as in one process.

pytest-xdist starts its workers with ``COLUMNS=80`` (execnet's view of the controller's terminal); a
serial run has no ``COLUMNS``, so c2c draws piped tables 160 columns wide (``cli/output.py``). Tests that
care about the width set ``COLUMNS`` themselves with ``monkeypatch``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)


@dataclass(frozen=True)
class Waits:
    """How long fault tests let things take; each from an environment variable, for slow or loaded machines.

    Attributes:
        budget_ms: the invocation budget of emulators whose tests wait for timeouts and retries
            (``C2C_TEST_BUDGET_MS``, default 800: six timed-out attempts cost about 5 s).
        discovery_timeout_s: how soon a discovery without its final event is ``TIMED_OUT``
            (``C2C_TEST_DISCOVERY_TIMEOUT_S``, default 1.5).
        slack_ms: scheduling noise allowed on top of each bounded duration (``C2C_TEST_SLACK_MS``, 1500).
        scale: multiplies every poll deadline (``C2C_TEST_WAIT_SCALE``, default 1).
    """

    budget_ms: int
    discovery_timeout_s: float
    slack_ms: int
    scale: float

    def deadline(self, seconds: float) -> float:
        """A poll deadline of ``seconds`` on this machine."""
        return seconds * self.scale


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    try:
        value = float(raw) if raw else default
    except ValueError:
        raise pytest.UsageError(f"{name}={raw!r} is not a number") from None
    if value <= 0:
        raise pytest.UsageError(f"{name} must be positive, got {raw}")
    return value


@pytest.fixture(scope="session")
def waits() -> Waits:
    """The fault tests' budgets, timeouts and slack (see :class:`Waits`)."""
    return Waits(
        budget_ms=int(_number("C2C_TEST_BUDGET_MS", 800)),
        discovery_timeout_s=_number("C2C_TEST_DISCOVERY_TIMEOUT_S", 1.5),
        slack_ms=int(_number("C2C_TEST_SLACK_MS", 1500)),
        scale=_number("C2C_TEST_WAIT_SCALE", 1.0),
    )

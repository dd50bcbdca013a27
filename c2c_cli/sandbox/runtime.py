"""The state one running sandbox shares between its Flask views, the worker and the Python API."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from c2c_cli.sandbox.settings import SandboxSettings
from c2c_cli.sandbox.store import Store

__all__ = ["FaultState", "Runtime"]


@dataclass
class FaultState:
    """Fault injection that can change while the server runs (admin endpoint, ``Sandbox.set_faults``)."""

    latency_ms: int = 0
    error_rate: float = 0.0
    endpoints: dict[str, str] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def roll(self) -> float:
        """A seeded random number in [0, 1) (thread-safe)."""
        with self.lock:
            return self.rng.random()

    def as_dict(self) -> dict[str, Any]:
        """The current faults as JSON."""
        return {
            "latency_ms": self.latency_ms,
            "error_rate": self.error_rate,
            "endpoints": dict(self.endpoints),
        }

    def update(self, changes: Mapping[str, Any]) -> None:
        """Apply a partial update (keys of :meth:`as_dict`)."""
        if "latency_ms" in changes:
            self.latency_ms = int(changes["latency_ms"])
        if "error_rate" in changes:
            self.error_rate = float(changes["error_rate"])
        if "endpoints" in changes:
            self.endpoints = {str(k): str(v) for k, v in dict(changes["endpoints"]).items()}


@dataclass
class Runtime:
    """One sandbox's shared state; ``base_url`` is set once the server has bound its port."""

    settings: SandboxSettings
    store: Store
    signing_key: str
    admin_key: str
    faults: FaultState
    base_url: str = ""
    # Set by the worker once it runs (typed loosely: the worker imports this module).
    notify: Callable[[Any], None] = lambda _change: None
    submit: Callable[[str], None] = lambda _command_id: None

    def now(self) -> float:
        """Epoch seconds from the settings' clock."""
        return self.settings.clock()

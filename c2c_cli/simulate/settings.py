"""How the simulated service behaves: budget, retries, waiting, repeats (``c2c simulate`` options)."""

from __future__ import annotations

from dataclasses import dataclass

from c2c_cli.errors import UsageError
from c2c_cli.runtime.context import SERVICE_BUDGET_MS
from c2c_cli.runtime.delivery import SERVICE_RETRIES, RetryPolicy

__all__ = ["SimulationSettings"]


@dataclass(frozen=True)
class SimulationSettings:
    """How the service behaves.

    Attributes:
        budget_ms: per-invocation limit (contract.md §2.1: 2000).
        retries: deliveries after a failed one (contract.md §2.1: up to 5).
        wait_s: how long to wait for the events an operation requires.
        repeat: run each operation this many times (timings p50/p95).
        commands_shape: ``list`` (documented) or ``map`` form of ``commands`` (contract.md §5.4).
        capture: read the emulator's event log (off for a deployed Lambda, whose events go to AWS).
        discovery_wait_s: how long a discovery may take while the connector continues it in
            ``Event`` invocations of itself (contract.md §3.2); the emulator's discovery then times out.
        concurrency: how many invocations ``c2c test`` makes at once (each in its own worker process).
    """

    budget_ms: int = SERVICE_BUDGET_MS
    retries: int = SERVICE_RETRIES
    wait_s: float = 5.0
    repeat: int = 1
    commands_shape: str = "list"
    capture: bool = True
    discovery_wait_s: float = 120.0
    concurrency: int = 4

    def __post_init__(self) -> None:
        # Validated here, not in the CLI, so every caller (CLI, pytest plugin, scripts) gets the same error.
        if self.commands_shape not in ("list", "map"):
            raise UsageError(f"--commands-shape must be list or map (got {self.commands_shape!r})")
        if not 0 <= self.retries <= SERVICE_RETRIES:
            raise UsageError(f"--retries must be 0 to {SERVICE_RETRIES} (got {self.retries})")
        if self.concurrency < 1:
            raise UsageError(f"--concurrency must be at least 1 (got {self.concurrency})")
        if self.budget_ms <= 0 or self.repeat < 1 or self.wait_s < 0 or self.discovery_wait_s <= 0:
            raise UsageError(
                "the budget and --repeat must be positive (so must --discovery-wait) and --wait not negative"
            )

    @property
    def policy(self) -> RetryPolicy:
        """The invocation policy (contract.md §2.1) these settings give."""
        return RetryPolicy(self.budget_ms, self.retries)

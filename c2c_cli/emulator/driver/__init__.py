"""The emulator's middle layer: running the connector the way the service does (contract.md §2).

``invoker`` runs a function's code in a worker process (budget, retries, the event-log record);
``functions`` finds that code (an attached project or moto's zip); ``credentials`` keeps an
association's OAuth tokens fresh; ``lifecycle`` ties them together and applies accepted connector
events through the handler registry the operations layer gives it. Imports only ``emulator.http``.
"""

from __future__ import annotations

__all__: list[str] = []

"""The emulator's top layer: the managed-integrations operations and the running emulator.

One module per resource; ``table`` builds both handler tables (API operations and connector
events) in one place; ``service`` is the backend the HTTP layer serves; ``emulator`` starts it all.
"""

from __future__ import annotations

__all__: list[str] = []

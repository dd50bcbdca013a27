"""The two handler tables, built in one place: API operations, and the connector events they react to.

``HANDLERS`` maps a model operation name to the function that answers it (the HTTP layer routes to it
through ``Service.dispatch``); ``EVENT_HANDLERS`` maps the ``Operation`` of an accepted
``SendConnectorEvent`` to the function that applies it, and is handed to the driver's ``Lifecycle``.
"""

from __future__ import annotations

from c2c_cli.emulator.driver.lifecycle import EventHandler
from c2c_cli.emulator.operations.associations import HANDLERS as ASSOCIATION_HANDLERS
from c2c_cli.emulator.operations.commands import HANDLERS as COMMAND_HANDLERS
from c2c_cli.emulator.operations.commands import on_command_response, on_device_event
from c2c_cli.emulator.operations.connectors import HANDLERS as CONNECTOR_HANDLERS
from c2c_cli.emulator.operations.context import Handler
from c2c_cli.emulator.operations.discovery import HANDLERS as DISCOVERY_HANDLERS
from c2c_cli.emulator.operations.discovery import on_discovery
from c2c_cli.emulator.operations.linking import HANDLERS as LINKING_HANDLERS
from c2c_cli.emulator.operations.things import HANDLERS as THING_HANDLERS

__all__ = ["EMULATED_OPERATIONS", "EVENT_HANDLERS", "HANDLERS"]

HANDLERS: dict[str, Handler] = {
    **CONNECTOR_HANDLERS,
    **ASSOCIATION_HANDLERS,
    **LINKING_HANDLERS,
    **DISCOVERY_HANDLERS,
    **THING_HANDLERS,
    **COMMAND_HANDLERS,
}
"""API operation -> handler (``SendConnectorEvent`` is the service's own, see ``events``)."""

EVENT_HANDLERS: dict[str, EventHandler] = {
    "DEVICE_DISCOVERY": on_discovery,
    "DEVICE_COMMAND_RESPONSE": on_command_response,
    "DEVICE_EVENT": on_device_event,
}
"""``Operation`` of an accepted connector event -> what it changes (contract.md §4.7)."""

EMULATED_OPERATIONS: tuple[str, ...] = (*sorted(HANDLERS), "SendConnectorEvent")

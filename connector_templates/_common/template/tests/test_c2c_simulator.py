"""The connector as the service drives it, through c2c's pytest plugin (skipped where c2c is not installed).

``c2c`` registers the fixtures ``c2c_simulator``, ``c2c_emulator`` and ``c2c_sandbox``: the simulator runs
this project's handler in-process against a local ``c2c sandbox`` (the vendor) and captures its
``SendConnectorEvent`` calls in a local ``c2c emulator``, validating every ACK and event against the C2C
contract. ``c2c test`` runs the whole conformance suite; write project-specific cases here.
"""

from __future__ import annotations

import pytest

pytest.importorskip("c2c_cli.simulate.pytest_plugin", reason="install c2c to run the simulator tests")


def test_activation_and_discovery_conform(c2c_simulator):
    activated = c2c_simulator.activate()
    assert activated.ok, activated.violations
    discovered = c2c_simulator.discover()
    assert discovered.ok, discovered.violations
    assert c2c_simulator.devices, "the sandbox's seeded user has devices"


def test_a_command_to_a_discovered_device_is_answered(c2c_simulator):
    c2c_simulator.activate()
    c2c_simulator.discover()
    device = next(d for d in c2c_simulator.devices if d["ConnectorDeviceName"].lower().find("light") >= 0)
    on = [{"id": "1", "clusters": [{"id": "0x0006", "commands": [{"0x01": {}}]}]}]
    result = c2c_simulator.command(device["ConnectorDeviceId"], on)
    assert result.ok, result.violations
    (response,) = [e for e in result.events if e.operation == "DEVICE_COMMAND_RESPONSE"]
    assert response.body["MatterEndpoint"]["clusters"][0]["attributes"]["0x0000"] is True

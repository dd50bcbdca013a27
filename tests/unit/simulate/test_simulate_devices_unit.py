"""Discovered devices: table rows, advertised commands, saved files, names."""

from pathlib import Path

import pytest

from c2c_cli.errors import UsageError
from c2c_cli.simulate.devices import (
    advertised_commands,
    load_devices,
    resolve_device,
    save_devices,
    summarize,
)

LIGHT = {
    "ConnectorDeviceId": "dev-1",
    "ConnectorDeviceName": "Office Light",
    "CapabilityReport": {
        "version": "1.0.0",
        "endpoints": [
            {
                "id": "1",
                "deviceTypes": ["On/Off Light"],
                "clusters": [
                    {
                        "id": "0x0006",
                        "revision": 6,
                        "commands": ["0x00", "0x01"],
                        "attributes": [{"id": "0x0000", "value": True}],
                    }
                ],
            }
        ],
    },
}


def test_summary_names_clusters_from_the_catalog() -> None:
    (row,) = summarize([LIGHT])
    assert row.to_json() == {
        "id": "dev-1",
        "name": "Office Light",
        "device_types": ["On/Off Light"],
        "clusters": ["OnOff (0x0006)"],
    }


def test_advertised_commands_carry_current_values() -> None:
    assert advertised_commands(LIGHT) == [("1", 6, 0, {0: True}), ("1", 6, 1, {0: True})]


def test_saved_devices_round_trip_and_resolve_by_name(tmp_path: Path) -> None:
    path = tmp_path / "devices.json"
    save_devices(path, [LIGHT])
    devices = load_devices(path)
    assert resolve_device(devices, "office light") == "dev-1"
    assert resolve_device(devices, "dev-1") == "dev-1"
    with pytest.raises(UsageError, match="no device named"):
        resolve_device(devices, "kitchen")


def test_a_file_without_devices_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("[1, 2]")
    with pytest.raises(UsageError, match="no devices list"):
        load_devices(path)

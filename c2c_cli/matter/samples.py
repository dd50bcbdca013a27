"""Realistic sample ``MatterCapabilityReport`` dicts for common device kinds (contract.md §4.5).

Each sample is one endpoint with the clusters that define the kind (battery devices add PowerSource), ids
spelled as the docs do (``format_id``), revisions from the catalogue, ``publicId`` such as
``matter.OnOff@1.4``. Every sample lints clean and fits the model's limits (tested).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from c2c_cli.errors import UsageError
from c2c_cli.matter.catalog import load_catalog
from c2c_cli.matter.ids import format_id

__all__ = ["SAMPLE_KINDS", "sample_capability_report"]

SPEC_VERSION = "1.4"


@dataclass(frozen=True)
class _ClusterSample:
    id: int
    attributes: tuple[tuple[int, Any], ...]
    commands: tuple[int, ...] = ()
    events: tuple[int, ...] = ()
    feature_map: int | None = None


_ON_OFF = _ClusterSample(0x0006, ((0x0000, False),), (0x00, 0x01, 0x02, 0x40, 0x41, 0x42), feature_map=0x1)
_PLUG_ON_OFF = _ClusterSample(0x0006, ((0x0000, False),), (0x00, 0x01, 0x02), feature_map=0x0)
_LEVEL = _ClusterSample(
    0x0008, ((0x0000, 128), (0x0002, 1), (0x0003, 254)), tuple(range(0x00, 0x08)), feature_map=0x3
)
_COLOR = _ClusterSample(
    0x0300,
    ((0x0003, 24939), (0x0004, 24701), (0x0007, 250), (0x0008, 2)),
    (0x07, 0x08, 0x09, 0x0A, 0x47, 0x4B, 0x4C),
    feature_map=0x18,  # XY | ColorTemperature
)
_BATTERY = _ClusterSample(
    0x002F,
    ((0x0000, 1), (0x0001, 0), (0x0002, "Battery"), (0x000C, 200), (0x000E, 0), (0x000F, False)),
    events=(0x01,),
    feature_map=0x2,  # Battery
)

_KINDS: dict[str, tuple[str, tuple[_ClusterSample, ...]]] = {
    "on_off_light": ("On/Off Light", (_ON_OFF,)),
    "dimmable_light": ("Dimmable Light", (_ON_OFF, _LEVEL)),
    "color_light": ("Extended Color Light", (_ON_OFF, _LEVEL, _COLOR)),
    "plug": ("On/Off Plug-in Unit", (_PLUG_ON_OFF,)),
    "fan": (
        "Fan",
        (
            _ClusterSample(
                0x0202, ((0x0000, 0), (0x0001, 2), (0x0002, 0), (0x0003, 0)), (0x00,), feature_map=0x12
            ),
        ),
    ),
    "thermostat": (
        "Thermostat",
        (
            _ClusterSample(
                0x0201,
                ((0x0000, 2150), (0x0011, 2600), (0x0012, 2000), (0x001B, 4), (0x001C, 1)),
                (0x00,),
                feature_map=0x23,  # Heating | Cooling | AutoMode
            ),
        ),
    ),
    "door_lock": (
        "Door Lock",
        (
            _ClusterSample(
                0x0101,
                ((0x0000, 1), (0x0001, 0), (0x0002, True), (0x0025, 0)),
                (0x00, 0x01),
                (0x00, 0x02, 0x03),
                0x0,
            ),
            _BATTERY,
        ),
    ),
    "window_covering": (
        "Window Covering",
        (
            _ClusterSample(
                0x0102,
                ((0x0000, 0), (0x0007, 9), (0x000A, 0), (0x000B, 0), (0x000D, 0), (0x000E, 0), (0x0017, 0)),
                (0x00, 0x01, 0x02, 0x05),
                feature_map=0x5,  # Lift | PositionAwareLift
            ),
        ),
    ),
    "contact_sensor": (
        "Contact Sensor",
        (_ClusterSample(0x0045, ((0x0000, True),), events=(0x00,)), _BATTERY),
    ),
    "occupancy_sensor": (
        "Occupancy Sensor",
        (
            _ClusterSample(0x0406, ((0x0000, 0), (0x0001, 0), (0x0002, 1)), events=(0x00,), feature_map=0x2),
            _BATTERY,
        ),
    ),
    "temperature_sensor": (
        "Temperature Sensor",
        (_ClusterSample(0x0402, ((0x0000, 2150), (0x0001, -4000), (0x0002, 8500))), _BATTERY),
    ),
}

SAMPLE_KINDS: tuple[str, ...] = tuple(_KINDS)


def sample_capability_report(
    kind: str, *, endpoint_id: str = "1", with_values: bool = True
) -> dict[str, Any]:
    """A capability report for one device kind (a key of :data:`SAMPLE_KINDS`).

    Args:
        kind: e.g. ``"dimmable_light"``.
        endpoint_id: the endpoint's id (``[0-9a-zA-Z]+``).
        with_values: include current attribute values (only when the state is known at discovery).

    Raises:
        UsageError: for an unknown kind.
    """
    if kind not in _KINDS:
        raise UsageError(f"unknown device kind {kind!r}", hint=f"use one of: {', '.join(SAMPLE_KINDS)}")
    device_type, clusters = _KINDS[kind]
    endpoint = {
        "id": endpoint_id,
        "deviceTypes": [device_type],
        "clusters": [_cluster(sample, with_values) for sample in clusters],
    }
    return {"version": "1.0.0", "endpoints": [endpoint]}


def _cluster(sample: _ClusterSample, with_values: bool) -> dict[str, Any]:
    cluster = load_catalog().cluster(sample.id)
    if cluster is None:  # the sample table and the shipped catalogue disagree: a bug, caught by the tests
        raise LookupError(f"cluster {sample.id:#06x} missing from the catalogue")
    attributes = []
    for attr_id, value in sample.attributes:
        entry: dict[str, Any] = {
            "id": format_id(attr_id, "attribute"),
            "name": cluster.attributes[attr_id].name,
        }
        if with_values:
            entry["value"] = value
        attributes.append(entry)
    out: dict[str, Any] = {
        "id": format_id(cluster.id, "cluster"),
        "revision": cluster.revision or 1,
        "publicId": f"matter.{cluster.name}@{SPEC_VERSION}",
        "name": cluster.name,
        "specVersion": SPEC_VERSION,
        "attributes": attributes,
        "commands": [format_id(c, "command") for c in sample.commands],
        "events": [format_id(e, "event") for e in sample.events],
    }
    if sample.feature_map is not None:
        out["featureMap"] = sample.feature_map
    return out

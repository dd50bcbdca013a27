"""The one table between the vendor's device kinds and Matter. Adding a device kind is adding an entry.

Each :class:`~connector.matter_types.DeviceKind` names its Matter device types and clusters. A cluster
lists the attributes the connector reports (read from one vendor state key, with a conversion, or a
constant) and the Matter
commands it accepts (each a function from the command's fields and the device's current state to vendor
commands). An attribute with ``write`` can be set through AWS's ``UpdateState`` (``0xff01``); every
attribute can be read through ``ReadState`` (``0xff02``). Revisions are Matter 1.4 cluster revisions.
Units: the vendor speaks percent, kelvin and °C; Matter speaks 0-254 levels, mireds and 0.01 °C.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connector.matter_types import (
    SPEC_VERSION,
    Attribute,
    Cluster,
    Command,
    DeviceKind,
    Fields,
    State,
    VendorCommand,
    centi,
    cmd,
    enum,
    kelvin,
    level,
    mireds,
    percent,
    reverse,
    scale,
    to_bool,
    to_int,
)

__all__ = ["ENDPOINT_ID", "KINDS", "SPEC_VERSION", "Cluster", "DeviceKind", "VendorCommand", "kind_of_state"]


# --- clusters -------------------------------------------------------------------------------------

ON_OFF = Cluster(
    0x0006,
    "OnOff",
    6,
    0x0,
    (Attribute(0x0000, "OnOff", "on", bool, lambda v, s: cmd("on" if to_bool(v) else "off")),),
    (
        Command(0x00, "Off", lambda f, s: cmd("off")),
        Command(0x01, "On", lambda f, s: cmd("on")),
        Command(0x02, "Toggle", lambda f, s: cmd("toggle")),
    ),
)


def _move_to_level_with_on_off(fields: Fields, state: State) -> list[VendorCommand]:
    target = to_int(fields.get(0x0000, 0))
    if target <= 0:
        return cmd("off")
    return [*cmd("set_brightness", brightness=max(1, percent(target))), *cmd("on")]


LEVEL_CONTROL = Cluster(
    0x0008,
    "LevelControl",
    6,
    0x3,  # OnOff | Lighting
    (
        Attribute(
            0x0000, "CurrentLevel", "brightness", level, lambda v, s: cmd("set_brightness", brightness=percent(v))
        ),
        Attribute(0x0002, "MinLevel", value=1),
        Attribute(0x0003, "MaxLevel", value=254),
    ),
    (
        Command(0x00, "MoveToLevel", lambda f, s: cmd("set_brightness", brightness=percent(f.get(0x0000, 0)))),
        Command(0x04, "MoveToLevelWithOnOff", _move_to_level_with_on_off),
    ),
)

_COLOR_MODES = {"hs": 0, "temperature": 2}


def _hue_saturation(hue: Any, saturation: Any) -> list[VendorCommand]:
    return cmd("set_hue_saturation", hue=scale(hue, 254, 360), saturation=scale(saturation, 254, 100))


COLOR_CONTROL = Cluster(
    0x0300,
    "ColorControl",
    7,
    0x11,  # HueSaturation | ColorTemperature
    (
        Attribute(
            0x0000,
            "CurrentHue",
            "hue",
            lambda v: scale(v, 360, 254),
            lambda v, s: _hue_saturation(v, scale(s["saturation"], 100, 254)),
        ),
        Attribute(
            0x0001,
            "CurrentSaturation",
            "saturation",
            lambda v: scale(v, 100, 254),
            lambda v, s: _hue_saturation(scale(s["hue"], 360, 254), v),
        ),
        Attribute(
            0x0007,
            "ColorTemperatureMireds",
            "color_temperature",
            mireds,
            lambda v, s: cmd("set_color_temperature", kelvin=kelvin(v)),
        ),
        Attribute(0x0008, "ColorMode", "color_mode", enum(_COLOR_MODES)),
        Attribute(0x400A, "ColorCapabilities", value=0x11),
        Attribute(0x400B, "ColorTempPhysicalMinMireds", value=mireds(6500)),
        Attribute(0x400C, "ColorTempPhysicalMaxMireds", value=mireds(2000)),
    ),
    (
        Command(0x06, "MoveToHueAndSaturation", lambda f, s: _hue_saturation(f.get(0x0000, 0), f.get(0x0001, 0))),
        Command(
            0x0A,
            "MoveToColorTemperature",
            lambda f, s: cmd("set_color_temperature", kelvin=kelvin(f.get(0x0000, 250))),
        ),
    ),
)

_FAN_MODES = {"off": 0, "low": 1, "medium": 2, "high": 3, "auto": 5}
_FAN_STEPS = ("off", "low", "medium", "high")


def _write_fan_mode(value: Any, state: State) -> list[VendorCommand]:
    if to_int(value) == 4:  # "On": the vendor picks its last speed
        return cmd("on")
    return cmd("set_fan_mode", mode=reverse(_FAN_MODES, value))


def _fan_step(fields: Fields, state: State) -> list[VendorCommand]:
    current = state.get("fan_mode", "off")
    index = _FAN_STEPS.index(current) if current in _FAN_STEPS else 2
    index += -1 if to_int(fields.get(0x0000, 0)) == 1 else 1  # direction: 0 Increase, 1 Decrease
    return cmd("set_fan_mode", mode=_FAN_STEPS[max(0, min(len(_FAN_STEPS) - 1, index))])


FAN_CONTROL = Cluster(
    0x0202,
    "FanControl",
    4,
    0x6,  # Auto | Step
    (
        Attribute(0x0000, "FanMode", "fan_mode", enum(_FAN_MODES), _write_fan_mode),
        Attribute(0x0001, "FanModeSequence", value=2),  # OffLowMedHighAuto
        Attribute(
            0x0002,
            "PercentSetting",
            "speed_percent",
            to_int,
            lambda v, s: cmd("set_speed", percent=max(0, min(100, to_int(v)))),
        ),
        Attribute(0x0003, "PercentCurrent", "speed_percent", to_int),
    ),
    (Command(0x00, "Step", _fan_step),),
)

_SYSTEM_MODES = {"off": 0, "auto": 1, "cool": 3, "heat": 4}


def _setpoint(which: str) -> Callable[[Any, State], list[VendorCommand]]:
    return lambda value, state: cmd("set_target_temperature", **{which: to_int(value) / 100})


def _setpoint_raise_lower(fields: Fields, state: State) -> list[VendorCommand]:
    mode, step = to_int(fields.get(0x0000, 2)), to_int(fields.get(0x0001, 0)) / 10  # amount: 0.1 °C steps
    params = {}
    if mode in (0, 2):  # Heat or Both
        params["heat"] = round(state["target_heat"] + step, 2)
    if mode in (1, 2):  # Cool or Both
        params["cool"] = round(state["target_cool"] + step, 2)
    return cmd("set_target_temperature", **params)


THERMOSTAT = Cluster(
    0x0201,
    "Thermostat",
    8,
    0x23,  # Heating | Cooling | AutoMode
    (
        Attribute(0x0000, "LocalTemperature", "current_temperature", centi),
        Attribute(0x0011, "OccupiedCoolingSetpoint", "target_cool", centi, _setpoint("cool")),
        Attribute(0x0012, "OccupiedHeatingSetpoint", "target_heat", centi, _setpoint("heat")),
        Attribute(0x001B, "ControlSequenceOfOperation", value=4),  # CoolingAndHeating
        Attribute(
            0x001C,
            "SystemMode",
            "mode",
            enum(_SYSTEM_MODES),
            lambda v, s: cmd("set_mode", mode=reverse(_SYSTEM_MODES, v)),
        ),
    ),
    (Command(0x00, "SetpointRaiseLower", _setpoint_raise_lower),),
)

DOOR_LOCK = Cluster(
    0x0101,
    "DoorLock",
    8,
    0x20,  # DoorPositionSensor
    (
        Attribute(0x0000, "LockState", "locked", lambda v: 1 if v else 2),  # Locked / Unlocked
        Attribute(0x0001, "LockType", value=0),  # DeadBolt
        Attribute(0x0002, "ActuatorEnabled", value=True),
        Attribute(0x0003, "DoorState", "door_open", lambda v: 0 if v else 1),  # DoorOpen / DoorClosed
        Attribute(0x0025, "OperatingMode", value=0),  # Normal
    ),
    (
        Command(0x00, "LockDoor", lambda f, s: cmd("lock")),
        Command(0x01, "UnlockDoor", lambda f, s: cmd("unlock")),
    ),
)


def _lift(position: Any) -> int:
    """Vendor position (100 = open) <-> Matter percent100ths (0 = open); the mapping is its own inverse."""
    return (100 - max(0, min(100, to_int(position)))) * 100


WINDOW_COVERING = Cluster(
    0x0102,
    "WindowCovering",
    5,
    0x5,  # Lift | PositionAwareLift
    (
        Attribute(0x0000, "Type", value=0),  # Rollershade
        Attribute(0x000B, "TargetPositionLiftPercent100ths", "position", _lift),
        Attribute(
            0x000E,
            "CurrentPositionLiftPercent100ths",
            "position",
            _lift,
            lambda v, s: cmd("set_position", position=100 - round(to_int(v) / 100)),
        ),
        Attribute(0x0017, "Mode", value=0),
    ),
    (
        Command(0x00, "UpOrOpen", lambda f, s: cmd("open")),
        Command(0x01, "DownOrClose", lambda f, s: cmd("close")),
        Command(0x02, "StopMotion", lambda f, s: cmd("stop")),
        Command(
            0x05,
            "GoToLiftPercentage",
            lambda f, s: cmd("set_position", position=100 - round(to_int(f.get(0x0000, 0)) / 100)),
        ),
    ),
)


def _charge_level(battery: int) -> int:
    return 0 if battery > 20 else 1 if battery > 10 else 2  # OK / Warning / Critical


POWER_SOURCE = Cluster(
    0x002F,
    "PowerSource",
    3,
    0x2,  # Battery
    (
        Attribute(0x0000, "Status", value=1),  # Active
        Attribute(0x0001, "Order", value=0),
        Attribute(0x0002, "Description", value="Battery"),
        Attribute(0x000C, "BatPercentRemaining", "battery", lambda v: 2 * to_int(v)),  # half-percent units
        Attribute(0x000E, "BatChargeLevel", "battery", _charge_level),
    ),
)

BOOLEAN_STATE = Cluster(
    0x0045,
    "BooleanState",
    1,
    0x0,
    (Attribute(0x0000, "StateValue", "open", lambda v: not v),),  # true = contact
)
OCCUPANCY_SENSING = Cluster(
    0x0406,
    "OccupancySensing",
    5,
    0x2,  # PassiveInfrared
    (
        Attribute(0x0000, "Occupancy", "occupied", lambda v: 1 if v else 0),
        Attribute(0x0001, "OccupancySensorType", value=0),  # PIR
        Attribute(0x0002, "OccupancySensorTypeBitmap", value=1),
    ),
)
TEMPERATURE = Cluster(
    0x0402,
    "TemperatureMeasurement",
    4,
    0x0,
    (
        Attribute(0x0000, "MeasuredValue", "temperature", centi),
        Attribute(0x0001, "MinMeasuredValue", value=-4000),
        Attribute(0x0002, "MaxMeasuredValue", value=8500),
    ),
)
HUMIDITY = Cluster(
    0x0405,
    "RelativeHumidityMeasurement",
    3,
    0x0,
    (
        Attribute(0x0000, "MeasuredValue", "humidity", centi),
        Attribute(0x0001, "MinMeasuredValue", value=0),
        Attribute(0x0002, "MaxMeasuredValue", value=10000),
    ),
)

# --- the table ------------------------------------------------------------------------------------

KINDS: dict[str, DeviceKind] = {
    "on_off_light": DeviceKind(("On/Off Light",), (ON_OFF,), frozenset({"on"})),
    "plug": DeviceKind(("On/Off Plug-in Unit",), (ON_OFF,), frozenset({"on"})),
    "dimmable_light": DeviceKind(("Dimmable Light",), (ON_OFF, LEVEL_CONTROL), frozenset({"on", "brightness"})),
    "color_light": DeviceKind(
        ("Extended Color Light",),
        (ON_OFF, LEVEL_CONTROL, COLOR_CONTROL),
        frozenset({"on", "brightness", "color_temperature", "hue", "saturation", "color_mode"}),
    ),
    "fan": DeviceKind(("Fan",), (FAN_CONTROL,), frozenset({"on", "fan_mode", "speed_percent"})),
    "thermostat": DeviceKind(
        ("Thermostat",), (THERMOSTAT,), frozenset({"mode", "current_temperature", "target_heat", "target_cool"})
    ),
    "door_lock": DeviceKind(("Door Lock",), (DOOR_LOCK,), frozenset({"locked", "door_open"})),
    "window_covering": DeviceKind(("Window Covering",), (WINDOW_COVERING,), frozenset({"position", "moving"})),
    "contact_sensor": DeviceKind(("Contact Sensor",), (BOOLEAN_STATE, POWER_SOURCE), frozenset({"open", "battery"})),
    "occupancy_sensor": DeviceKind(
        ("Occupancy Sensor",), (OCCUPANCY_SENSING, POWER_SOURCE), frozenset({"occupied", "battery"})
    ),
    "temperature_sensor": DeviceKind(
        ("Temperature Sensor", "Humidity Sensor"),
        (TEMPERATURE, HUMIDITY, POWER_SOURCE),
        frozenset({"temperature", "humidity", "battery"}),
    ),
}

ENDPOINT_ID = "1"  # every vendor device is one Matter endpoint


def kind_of_state(state: State) -> str | None:
    """The kind whose state schema is exactly ``state``'s keys (for webhooks that omit the kind)."""
    keys = frozenset(state)
    for name, kind in KINDS.items():
        if kind.state_keys == keys:
            return name
    return None

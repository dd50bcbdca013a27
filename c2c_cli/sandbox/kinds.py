"""Device kinds: initial state, vendor-style commands and physical changes (docs/sandbox-api.md)."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "KINDS",
    "CommandFailed",
    "CommandRejected",
    "Kind",
    "apply_command",
    "check_poke",
    "initial_state",
]

State = dict[str, Any]
Params = Mapping[str, Any]
Handler = Callable[[State, Params], State]


class CommandRejected(ValueError):
    """A command or a physical change that does not fit the device kind or its params (HTTP 400)."""


class CommandFailed(RuntimeError):
    """A valid command the device cannot carry out in its current state (the command ends ``failed``)."""


@dataclass(frozen=True)
class Kind:
    """One device kind: its label, model and commands (name -> handler returning the changed keys)."""

    name: str
    label: str
    model: str
    commands: Mapping[str, Handler]


def _int(params: Params, key: str, low: int, high: int) -> int:
    value = params.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CommandRejected(f"param {key!r} must be an integer {low}..{high}")
    return value


def _num(params: Params, key: str, low: float, high: float) -> float:
    value = params.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise CommandRejected(f"param {key!r} must be a number {low}..{high}")
    return float(value)


def _choice(params: Params, key: str, allowed: tuple[str, ...]) -> str:
    value = params.get(key)
    if value not in allowed:
        raise CommandRejected(f"param {key!r} must be one of {', '.join(allowed)}")
    return str(value)


_ON_OFF: Mapping[str, Handler] = {
    "on": lambda _s, _p: {"on": True},
    "off": lambda _s, _p: {"on": False},
    "toggle": lambda s, _p: {"on": not s["on"]},
}
_LEVEL: Mapping[str, Handler] = {
    **_ON_OFF,
    "set_brightness": lambda _s, p: {"brightness": _int(p, "brightness", 0, 100)},
}
_COLOR: Mapping[str, Handler] = {
    **_LEVEL,
    "set_color_temperature": lambda _s, p: {
        "color_temperature": _int(p, "kelvin", 2000, 6500),
        "color_mode": "temperature",
    },
    "set_hue_saturation": lambda _s, p: {
        "hue": _int(p, "hue", 0, 360),
        "saturation": _int(p, "saturation", 0, 100),
        "color_mode": "hs",
    },
}
FAN_MODES = ("off", "low", "medium", "high", "auto")
_FAN_SPEED = {"off": 0, "low": 33, "medium": 66, "high": 100}


def _fan_mode(mode: str, state: State) -> State:
    speed = _FAN_SPEED.get(mode, state["speed_percent"] or 50)
    return {"on": mode != "off", "fan_mode": mode, "speed_percent": speed}


def _fan_speed(percent: int) -> State:
    mode = "off" if percent == 0 else "low" if percent <= 33 else "medium" if percent <= 66 else "high"
    return {"on": percent > 0, "fan_mode": mode, "speed_percent": percent}


_FAN: Mapping[str, Handler] = {
    "on": lambda s, _p: _fan_mode("medium" if s["fan_mode"] == "off" else s["fan_mode"], s),
    "off": lambda s, _p: _fan_mode("off", s),
    "toggle": lambda s, _p: _fan_mode("off" if s["on"] else "medium", s),
    "set_fan_mode": lambda s, p: _fan_mode(_choice(p, "mode", FAN_MODES), s),
    "set_speed": lambda _s, p: _fan_speed(_int(p, "percent", 0, 100)),
}
THERMOSTAT_MODES = ("off", "heat", "cool", "auto")


def _targets(state: State, params: Params) -> State:
    changed: State = {}
    if "heat" in params:
        changed["target_heat"] = _num(params, "heat", 5.0, 35.0)
    if "cool" in params:
        changed["target_cool"] = _num(params, "cool", 5.0, 35.0)
    if not changed:
        raise CommandRejected("give 'heat' and/or 'cool' (°C)")
    merged = {**state, **changed}
    if merged["target_heat"] > merged["target_cool"]:
        raise CommandRejected("target_heat must not exceed target_cool")
    return changed


def _lock(state: State, _params: Params) -> State:
    if state["door_open"]:
        # A real bolt cannot throw while the door is open: the command fails after acceptance.
        raise CommandFailed("door is open")
    return {"locked": True}


_COVER: Mapping[str, Handler] = {
    "open": lambda _s, _p: {"position": 100, "moving": False},
    "close": lambda _s, _p: {"position": 0, "moving": False},
    "stop": lambda _s, _p: {"moving": False},
    "set_position": lambda _s, p: {"position": _int(p, "position", 0, 100), "moving": False},
}

KINDS: Mapping[str, Kind] = {
    k.name: k
    for k in (
        Kind("on_off_light", "Light", "SBX-L100", _ON_OFF),
        Kind("dimmable_light", "Dimmer", "SBX-L200", _LEVEL),
        Kind("color_light", "Color Bulb", "SBX-L300", _COLOR),
        Kind("plug", "Plug", "SBX-P100", _ON_OFF),
        Kind("fan", "Fan", "SBX-F100", _FAN),
        Kind(
            "thermostat",
            "Thermostat",
            "SBX-T100",
            {
                "set_mode": lambda _s, p: {"mode": _choice(p, "mode", THERMOSTAT_MODES)},
                "set_target_temperature": _targets,
            },
        ),
        Kind(
            "door_lock", "Door Lock", "SBX-D100", {"lock": _lock, "unlock": lambda _s, _p: {"locked": False}}
        ),
        Kind("window_covering", "Blind", "SBX-W100", _COVER),
        Kind("contact_sensor", "Contact Sensor", "SBX-S100", {}),
        Kind("occupancy_sensor", "Motion Sensor", "SBX-S200", {}),
        Kind("temperature_sensor", "Climate Sensor", "SBX-S300", {}),
    )
}


def initial_state(kind: str, rng: random.Random) -> State:
    """A plausible starting state for a device of ``kind``, drawn from ``rng`` (deterministic)."""
    on = rng.random() < 0.5
    states: dict[str, Callable[[], State]] = {
        "on_off_light": lambda: {"on": on},
        "plug": lambda: {"on": on},
        "dimmable_light": lambda: {"on": on, "brightness": rng.randint(1, 100)},
        "color_light": lambda: {
            "on": on,
            "brightness": rng.randint(1, 100),
            "color_temperature": rng.randrange(2000, 6501, 100),
            "hue": rng.randint(0, 360),
            "saturation": rng.randint(0, 100),
            "color_mode": "temperature",
        },
        "fan": lambda: _fan_mode(rng.choice(FAN_MODES), {"speed_percent": 50}),
        "thermostat": lambda: {
            "mode": rng.choice(THERMOSTAT_MODES),
            "current_temperature": round(rng.uniform(17.0, 24.0), 1),
            "target_heat": 20.0,
            "target_cool": 24.0,
        },
        "door_lock": lambda: {"locked": on, "door_open": False},
        "window_covering": lambda: {"position": rng.choice((0, 50, 100)), "moving": False},
        "contact_sensor": lambda: {"open": on, "battery": rng.randint(20, 100)},
        "occupancy_sensor": lambda: {"occupied": on, "battery": rng.randint(20, 100)},
        "temperature_sensor": lambda: {
            "temperature": round(rng.uniform(17.0, 24.0), 1),
            "humidity": round(rng.uniform(30.0, 60.0), 1),
            "battery": rng.randint(20, 100),
        },
    }
    return states[kind]()


def apply_command(kind: str, state: State, command: str, params: Params) -> State:
    """Validate ``command`` for ``kind`` and return only the keys it changes.

    Raises:
        CommandRejected: unknown command for the kind, or bad params.
        CommandFailed: the device cannot do it in its current state.
    """
    handler = KINDS[kind].commands.get(command)
    if handler is None:
        known = ", ".join(KINDS[kind].commands) or "none"
        raise CommandRejected(f"{kind} has no command {command!r} (commands: {known})")
    return handler(state, params)


def check_poke(state: State, changes: Mapping[str, Any]) -> State:
    """Validate a physical change: known keys, same JSON type (ints allowed for floats).

    Raises:
        CommandRejected: unknown key or wrong type.
    """
    for key, value in changes.items():
        if key not in state:
            raise CommandRejected(f"unknown attribute {key!r} (attributes: {', '.join(state)})")
        old = state[key]
        same = type(value) is type(old) or (isinstance(old, float) and type(value) is int)
        if not same:
            raise CommandRejected(f"attribute {key!r} takes {type(old).__name__}, got {value!r}")
    return {k: float(v) if isinstance(state[k], float) else v for k, v in changes.items()}

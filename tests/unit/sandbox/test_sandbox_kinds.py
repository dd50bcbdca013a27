"""Device kinds: commands, their validation, and physical-change checks."""

from __future__ import annotations

import random

import pytest

from c2c_cli.sandbox.kinds import (
    KINDS,
    CommandFailed,
    CommandRejected,
    apply_command,
    check_poke,
    initial_state,
)

CATALOG = {
    "on_off_light",
    "dimmable_light",
    "color_light",
    "plug",
    "fan",
    "thermostat",
    "door_lock",
    "window_covering",
    "contact_sensor",
    "occupancy_sensor",
    "temperature_sensor",
}


def test_every_catalog_kind_exists():
    assert set(KINDS) == CATALOG


@pytest.mark.parametrize("kind", sorted(CATALOG))
def test_initial_state_is_deterministic(kind):
    assert initial_state(kind, random.Random(5)) == initial_state(kind, random.Random(5))


@pytest.mark.parametrize(
    ("kind", "command", "params", "changed"),
    [
        ("on_off_light", "toggle", {}, {"on": True}),
        ("dimmable_light", "set_brightness", {"brightness": 10}, {"brightness": 10}),
        (
            "color_light",
            "set_color_temperature",
            {"kelvin": 3000},
            {"color_temperature": 3000, "color_mode": "temperature"},
        ),
        (
            "color_light",
            "set_hue_saturation",
            {"hue": 120, "saturation": 50},
            {"hue": 120, "saturation": 50, "color_mode": "hs"},
        ),
        ("fan", "set_fan_mode", {"mode": "high"}, {"on": True, "fan_mode": "high", "speed_percent": 100}),
        ("fan", "set_speed", {"percent": 0}, {"on": False, "fan_mode": "off", "speed_percent": 0}),
        ("thermostat", "set_target_temperature", {"heat": 19.5}, {"target_heat": 19.5}),
        ("thermostat", "set_mode", {"mode": "cool"}, {"mode": "cool"}),
        ("door_lock", "unlock", {}, {"locked": False}),
        ("window_covering", "set_position", {"position": 30}, {"position": 30, "moving": False}),
    ],
)
def test_commands_return_changed_keys(kind, command, params, changed):
    state = initial_state(kind, random.Random(1))
    if kind == "on_off_light":
        state["on"] = False
    assert apply_command(kind, state, command, params) == changed


@pytest.mark.parametrize(
    ("kind", "command", "params"),
    [
        ("plug", "set_brightness", {"brightness": 5}),
        ("dimmable_light", "set_brightness", {"brightness": 101}),
        ("dimmable_light", "set_brightness", {"brightness": True}),
        ("color_light", "set_color_temperature", {"kelvin": 1000}),
        ("fan", "set_fan_mode", {"mode": "turbo"}),
        ("thermostat", "set_target_temperature", {}),
        ("thermostat", "set_target_temperature", {"heat": 30, "cool": 20}),
        ("contact_sensor", "on", {}),
    ],
)
def test_bad_commands_rejected(kind, command, params):
    with pytest.raises(CommandRejected):
        apply_command(kind, initial_state(kind, random.Random(1)), command, params)


def test_lock_fails_while_door_open():
    with pytest.raises(CommandFailed):
        apply_command("door_lock", {"locked": False, "door_open": True}, "lock", {})


def test_poke_accepts_int_for_float_and_rejects_wrong_types():
    state = {"temperature": 20.0, "battery": 80}
    assert check_poke(state, {"temperature": 22}) == {"temperature": 22.0}
    assert isinstance(check_poke(state, {"temperature": 22})["temperature"], float)
    with pytest.raises(CommandRejected):
        check_poke(state, {"battery": 1.5})
    with pytest.raises(CommandRejected):
        check_poke(state, {"humidity": 3})

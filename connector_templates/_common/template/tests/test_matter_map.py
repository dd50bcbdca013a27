"""The device table: report shapes, unit conversions, and that every entry translates."""

from __future__ import annotations

import re

import pytest

from connector import matter_map as mm
from connector import matter_types as mt
from connector.translate import capability_report, matter_state, parse_id
from tests.fake_vendor import STATES

HEX4 = re.compile(r"0x[0-9a-f]{4}")
HEX2 = re.compile(r"0x[0-9a-f]{2}")


def test_every_vendor_kind_has_a_table_entry_and_a_state_schema():
    assert set(STATES) == set(mm.KINDS)
    for name, state in STATES.items():
        recognised = mm.kind_of_state(state)
        assert recognised is not None
        assert mm.KINDS[recognised].clusters == mm.KINDS[name].clusters  # plug and light share a schema


@pytest.mark.parametrize("name", list(mm.KINDS))
def test_capability_reports_fit_the_model(name):
    report = capability_report(mm.KINDS[name], STATES[name])

    assert report["version"] == "1.0.0"
    (endpoint,) = report["endpoints"]
    assert endpoint["deviceTypes"] and len(endpoint["clusters"]) <= 5
    for cluster in endpoint["clusters"]:
        assert HEX4.fullmatch(cluster["id"]) and 1 <= cluster["revision"] <= 10
        assert re.fullmatch(r"matter\.[A-Za-z]+@1\.4", cluster["publicId"])
        assert all(HEX2.fullmatch(c) for c in cluster["commands"])
        for attribute in cluster["attributes"]:
            assert HEX4.fullmatch(attribute["id"])
            assert not isinstance(attribute["value"], str) or attribute["name"] == "Description"


@pytest.mark.parametrize("name", list(mm.KINDS))
def test_every_command_translates_with_default_fields(name):
    kind = mm.KINDS[name]
    for cluster in kind.clusters:
        for command in cluster.commands:
            assert all(isinstance(c, mt.VendorCommand) for c in command.translate({}, STATES[name]))


@pytest.mark.parametrize("percent", range(101))
def test_brightness_survives_a_round_trip_through_current_level(percent):
    assert mt.percent(mt.level(percent)) == percent


@pytest.mark.parametrize("kelvin", [2000, 2700, 4000, 5000, 6500])
def test_color_temperature_round_trip(kelvin):
    assert abs(mt.kelvin(mt.mireds(kelvin)) - kelvin) <= kelvin * 0.01


def test_out_of_range_mireds_are_clamped_to_the_vendor_range():
    assert (mt.kelvin(1), mt.kelvin(10_000)) == (6500, 2000)


@pytest.mark.parametrize(("value", "expected"), [(3, 3), ("3", 3), ("2.6", 3), (2.4, 2)])
def test_to_int_accepts_numbers_and_numeric_strings(value, expected):
    assert mt.to_int(value) == expected


@pytest.mark.parametrize("value", [True, "high", None, [1]])
def test_to_int_refuses_other_values(value):
    with pytest.raises(ValueError):
        mt.to_int(value)


@pytest.mark.parametrize(("value", "expected"), [(True, True), ("false", False), (1, True), ("0", False)])
def test_to_bool(value, expected):
    assert mt.to_bool(value) is expected


@pytest.mark.parametrize(("text", "number"), [("0x0006", 6), ("0x6", 6), ("6", 6), ("0XFF01", 0xFF01)])
def test_ids_compare_by_value(text, number):
    assert parse_id(text) == number


def test_state_reports_only_attributes_fed_by_changed_keys():
    endpoint = matter_state(mm.KINDS["color_light"], STATES["color_light"], keys={"hue"})

    assert endpoint == {"id": "1", "clusters": [{"id": "0x0300", "attributes": {"0x0000": 127}}]}


def test_window_covering_positions_are_inverted_for_matter():
    report = matter_state(mm.KINDS["window_covering"], {"position": 100, "moving": False})

    assert report["clusters"][0]["attributes"]["0x000e"] == 0  # fully open is 0 in Matter

import pytest

from c2c_cli.contract.model import validate_shape
from c2c_cli.errors import UsageError
from c2c_cli.matter import SAMPLE_KINDS, lint_capability_report, sample_capability_report


def test_the_promised_kinds():
    assert SAMPLE_KINDS == (
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
    )


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
@pytest.mark.parametrize("with_values", [True, False])
def test_samples_lint_clean_and_fit_the_model(kind, with_values):
    report = sample_capability_report(kind, endpoint_id="7", with_values=with_values)
    assert lint_capability_report(report, "$") == []
    assert validate_shape("MatterCapabilityReport", report, "$") == []
    assert report["endpoints"][0]["id"] == "7"


def test_sample_shape():
    report = sample_capability_report("dimmable_light")
    assert report["version"] == "1.0.0"
    (endpoint,) = report["endpoints"]
    assert endpoint["deviceTypes"] == ["Dimmable Light"]
    on_off, level = endpoint["clusters"]
    assert (on_off["id"], on_off["revision"], on_off["publicId"]) == ("0x0006", 6, "matter.OnOff@1.4")
    assert on_off["attributes"] == [{"id": "0x0000", "name": "OnOff", "value": False}]
    assert level["name"] == "LevelControl" and "0x04" in level["commands"]


def test_without_values_has_no_values():
    clusters = sample_capability_report("thermostat", with_values=False)["endpoints"][0]["clusters"]
    assert all("value" not in a for c in clusters for a in c["attributes"])


def test_battery_sensors_include_power_source():
    names = [c["name"] for c in sample_capability_report("contact_sensor")["endpoints"][0]["clusters"]]
    assert names == ["BooleanState", "PowerSource"]


def test_unknown_kind_is_a_usage_error():
    with pytest.raises(UsageError, match="toaster"):
        sample_capability_report("toaster")

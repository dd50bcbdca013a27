"""The speed-ups keep every violation where it was (issue 15): memoised reports, lazy paths, remembered strings."""

import copy
import json

from c2c_cli.contract import validate_document, validate_shape
from c2c_cli.contract.events import _attribute_ids
from c2c_cli.contract.memo import LIMIT
from c2c_cli.contract.samples import new_sample
from c2c_cli.matter import lint_capability_report
from c2c_cli.violation import HERE, child_path, path_of


def _discovery(reports):
    doc = new_sample("event.device-discovery", devices=len(reports))
    for device, report in zip(doc["Devices"], reports, strict=True):
        device["CapabilityReport"] = report
    return doc


def _broken_model():
    """A model with a model error, a Matter lint error, a lint warning and an attribute without an id."""
    return {
        "version": "1.0.0",
        "endpoints": [
            {
                "id": "1",
                "deviceTypes": ["On/Off Light"],
                "clusters": [
                    {
                        "id": "0x0006",
                        "revision": "6",  # model: an integer
                        "attributes": [{"id": "0x0000", "value": "yes"}, {"name": "NoId"}],
                        "commands": ["0x77"],  # lint: not an accepted command of OnOff
                    },
                    {"id": "0x7777", "revision": 1},  # lint: unknown cluster
                ],
            }
        ],
    }


def _found(report):
    return {(v.path, v.rule, v.message, v.severity) for v in report.violations}


def test_a_shared_broken_model_is_reported_at_each_devices_own_path() -> None:
    doc = json.loads(json.dumps(_discovery([_broken_model(), _broken_model(), _broken_model()])))
    found = _found(validate_document(doc))
    per_device = [
        {(p, r, m, s) for p, r, m, s in found if p.startswith(f"$.Devices[{i}].")} for i in range(3)
    ]
    assert per_device[0] and len(found) == 3 * len(per_device[0])
    for i in (1, 2):
        moved = {(p.replace(f"$.Devices[{i}].", "$.Devices[0].", 1), r, m, s) for p, r, m, s in per_device[i]}
        assert moved == per_device[0]
    rules = {(p, r) for p, r, _, _ in per_device[2]}
    base = "$.Devices[2].CapabilityReport.endpoints[0].clusters"
    assert (f"{base}[0].revision", "MatterCapabilityReportClusterRevisionId") in rules
    assert (f"{base}[0].attributes[0].value", "matter.value-type") in rules
    assert (f"{base}[0].attributes[1]", "event.attribute-id") in rules
    assert (f"{base}[0].commands[0]", "matter.unknown-command") in rules
    assert (f"{base}[1].id", "matter.unknown-cluster") in rules


def test_memoised_reports_equal_checking_each_report_on_its_own() -> None:
    clean = new_sample("event.device-discovery", devices=1)["Devices"][0]["CapabilityReport"]
    doc = _discovery([copy.deepcopy([_broken_model(), clean][i % 2]) for i in range(6)])
    found = {(v.path, v.rule, v.message) for v in validate_document(doc).violations}
    expected = set()
    for i, device in enumerate(doc["Devices"]):
        report, path = device["CapabilityReport"], f"$.Devices[{i}].CapabilityReport"
        alone = validate_shape("MatterCapabilityReport", report, path)
        alone += _attribute_ids(report, path) + lint_capability_report(report, path)
        expected |= {(v.path, v.rule, v.message) for v in alone}
    assert found == expected
    assert {p.split(".")[1] for p, _, _ in found} == {"Devices[0]", "Devices[2]", "Devices[4]"}


def test_reports_that_differ_only_in_true_and_1_are_not_confused() -> None:
    def light(value):
        report = new_sample("event.device-discovery", devices=1)["Devices"][0]["CapabilityReport"]
        report["endpoints"][0]["clusters"][0]["attributes"][0]["value"] = value
        return report

    doc = _discovery([light(True), light(1), light(True), light(1.0)])
    bad = {v.path.split(".")[1] for v in validate_document(doc).violations if v.rule == "matter.value-type"}
    assert bad == {"Devices[1]", "Devices[3]"}


def test_every_error_is_reported_when_no_two_reports_repeat() -> None:
    # More distinct reports than the memo's trial and limit: it gives up remembering, never reporting.
    count = LIMIT + 10
    reports = []
    for i in range(count):
        report = _broken_model()
        report["nodeId"] = f"node-{i}"
        reports.append(report)
    violations = validate_document(_discovery(reports)).violations
    unknown = [v for v in violations if v.rule == "matter.unknown-cluster"]
    assert [v.path for v in unknown] == [
        f"$.Devices[{i}].CapabilityReport.endpoints[0].clusters[1].id" for i in range(count)
    ]


def test_lazy_paths_render_like_building_strings_step_by_step() -> None:
    steps = ["Devices", 3, "with space", 0, "0x0000", 'quote"d', "plain_1"]
    expected, node = "$", "$"
    for step in steps:
        expected = child_path(expected, step)
        node = (node, step)
    assert path_of(node) == expected == '$.Devices[3]["with space"][0]["0x0000"]["quote\\"d"].plain_1'
    assert path_of(("$", "a"), HERE) == path_of("$", "a") == "$.a"
    assert path_of(((("$.X", HERE), "b"), 2), "c d") == '$.X.b[2]["c d"]'


def test_keys_needing_quotes_and_nested_arrays_get_their_paths() -> None:
    cluster = {"id": "0x6", "commands": {"On": {}, "0x01": {}}}
    endpoint = {"id": "1", "clusters": [{"id": "0x6"}, cluster]}
    found = {(v.path, v.rule) for v in validate_shape("MatterEndpoint", endpoint, "$.MatterEndpoint")}
    assert ("$.MatterEndpoint.clusters[1].commands.On", "MatterCommandId") in found
    bad_key = {"id": "0x6", "commands": {"0 x": {}}}
    found = {(v.path, v.message[:4]) for v in validate_shape("MatterCluster", bad_key)}
    assert ('$.commands["0 x"]', "key ") in found


def test_a_failing_string_is_reported_at_every_occurrence_and_passing_is_per_shape() -> None:
    # "dev 1" fails ConnectorDeviceId's pattern each time; a string passed by one shape is not passed by another.
    doc = new_sample("event.device-discovery", devices=3)
    for device in doc["Devices"]:
        device["ConnectorDeviceId"] = "dev 1"
        device["ConnectorDeviceName"] = "x" * 300  # over ConnectorDeviceName's maximum
    found = [(v.path, v.rule) for v in validate_document(doc).violations]
    for i in range(3):
        assert (f"$.Devices[{i}].ConnectorDeviceId", "ConnectorDeviceId") in found
        assert (f"$.Devices[{i}].ConnectorDeviceName", "ConnectorDeviceName") in found
    assert validate_shape("ConnectorDeviceName", "abc") == []
    assert [v.rule for v in validate_shape("ClusterId", "abc")] == ["ClusterId"]
    assert [v.rule for v in validate_shape("ClusterId", "abc")] == ["ClusterId"]

"""Violations come in document order (issue 13, papercuts)."""

import json

from c2c_cli.contract import validate_document
from c2c_cli.contract.samples import new_sample
from c2c_cli.violation import Violation, sort_violations


def _paths(found):
    return [v.path for v in found]


def test_indexes_sort_by_number_and_members_by_document_order() -> None:
    doc = {"b": 1, "a": {"z": 1, "y": [0] * 12}, "Devices": [{}] * 12}
    paths = ["$.Devices[10]", "$.Devices[2]", "$.a.y[10]", "$.a.y[9]", "$.b", "$.a.z", "$.missing", "$"]
    ordered = sort_violations([Violation(p, "m", "r") for p in paths], doc)
    assert _paths(ordered) == [
        "$",
        "$.b",
        "$.a.z",
        "$.a.y[9]",
        "$.a.y[10]",
        "$.Devices[2]",
        "$.Devices[10]",
        "$.missing",
    ]


def test_without_a_document_indexes_still_sort_by_number() -> None:
    ordered = sort_violations([Violation(p, "m", "r") for p in ["$.D[10].x", "$.D[2].x", '$.D["k y"]']])
    assert _paths(ordered) == ["$.D[2].x", "$.D[10].x", '$.D["k y"]']


def test_errors_still_come_before_warnings() -> None:
    ordered = sort_violations([Violation("$.a", "m", "r", "warning"), Violation("$.b", "m", "r")])
    assert _paths(ordered) == ["$.b", "$.a"]


def test_validate_reports_devices_two_before_ten() -> None:
    doc = {"ConnectorId": "c-1", **new_sample("event.device-discovery", devices=11)}
    for device in doc["Devices"]:
        device["ConnectorDeviceId"] = ""  # below the minimum length: one error per device
    report = validate_document(json.loads(json.dumps(doc)), "event.device-discovery")
    indexes = [
        int(p.split("[")[1].split("]")[0]) for p in _paths(report.violations) if ".ConnectorDeviceId" in p
    ]
    assert indexes == sorted(indexes) and set(indexes) == set(range(11))

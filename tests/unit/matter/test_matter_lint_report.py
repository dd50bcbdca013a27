from c2c_cli.matter import lint_capability_report, sample_capability_report
from c2c_cli.violation import ERROR, WARNING

P = "$.Devices[0].CapabilityReport"


def report(cluster=None, device_types=("Dimmable Light",), **endpoint):
    ep = {"id": "1", "deviceTypes": list(device_types), "clusters": [cluster] if cluster else [], **endpoint}
    return {"version": "1.0.0", "endpoints": [ep]}


def rules(violations):
    return [(v.rule, v.severity) for v in violations]


def test_known_cluster_with_accepted_commands_is_clean():
    cluster = {
        "id": "0x0006",
        "revision": 6,
        "attributes": [{"id": "0x0000", "value": True}],
        "commands": ["0x00"],
    }
    assert lint_capability_report(report(cluster), P) == []


def test_unknown_ids_are_warnings_with_paths():
    cluster = {
        "id": "0x0006",
        "revision": 6,
        "attributes": [{"id": "0x0abc"}],
        "commands": ["0x77", "0xff01", "0xff02"],
        "events": ["0x05"],
    }
    v = lint_capability_report(report(cluster), P)
    assert rules(v) == [
        ("matter.unknown-attribute", WARNING),
        ("matter.unknown-command", WARNING),
        ("matter.unknown-event", WARNING),
    ]
    assert v[0].path == "$.Devices[0].CapabilityReport.endpoints[0].clusters[0].attributes[0].id"
    assert v[1].path == "$.Devices[0].CapabilityReport.endpoints[0].clusters[0].commands[0]"


def test_unknown_cluster_docs_example_0x1003_warns():
    v = lint_capability_report(report({"id": "0x1003", "revision": 1}), P)
    assert rules(v) == [("matter.unknown-cluster", WARNING)]


def test_vendor_cluster_warns_as_vendor_specific():
    v = lint_capability_report(report({"id": "0x15771002", "revision": 1}), P)
    assert rules(v) == [("matter.vendor-specific-id", WARNING)]


def test_decimal_id_warns():
    v = lint_capability_report(report({"id": "6", "revision": 6}), P)
    assert rules(v) == [("matter.decimal-id", WARNING)]


def test_revision_above_known_warns():
    v = lint_capability_report(report({"id": "0x0006", "revision": 9}), P)
    assert rules(v) == [("matter.revision", WARNING)]
    assert v[0].path.endswith("clusters[0].revision")


def test_device_types_by_name_or_id():
    assert (
        lint_capability_report(report(device_types=["Dimmable Light", "0x0101", "257", "dimmable-light"]), P)
        == []
    )
    v = lint_capability_report(report(device_types=["Camera"]), P)
    assert rules(v) == [("matter.unknown-device-type", WARNING)]


def test_attribute_values_are_type_checked_at_the_value_path():
    cluster = {"id": "0x0202", "revision": 4, "attributes": [{"id": "0x0000", "value": 9}]}
    v = lint_capability_report(report(cluster), P)
    assert rules(v) == [("matter.enum-value", ERROR)]
    assert v[0].path.endswith("attributes[0].value")


def test_missing_or_wrongly_typed_members_are_left_to_the_model_check():
    bad = {
        "version": "1.0.0",
        "endpoints": [{"clusters": [{"revision": "x"}, 5, {"id": 7}], "deviceTypes": [5, ""]}],
    }
    assert lint_capability_report(bad, P) == []
    assert lint_capability_report({"endpoints": "x"}, P) == []


def test_client_clusters_are_checked():
    v = lint_capability_report(report(clientClusters=["0x0006", "0x7777"]), P)
    assert rules(v) == [("matter.unknown-cluster", WARNING)]


def test_generated_commands_only_have_their_form_checked():
    cluster = {"id": "0x0004", "revision": 4, "generatedCommands": ["0", "0x7f"]}
    assert rules(lint_capability_report(report(cluster), P)) == [("matter.decimal-id", WARNING)]


def test_sample_is_clean():
    assert lint_capability_report(sample_capability_report("color_light"), P) == []

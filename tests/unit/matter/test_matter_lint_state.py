import pytest

from c2c_cli.matter import lint_matter_endpoint
from c2c_cli.violation import ERROR, WARNING

P = "$.MatterEndpoint"


def endpoint(*clusters):
    return {"id": "1", "clusters": list(clusters)}


def rules(violations):
    return [(v.rule, v.severity) for v in violations]


def test_doc_example_update_state_on_fan_is_only_a_numeric_string_warning():
    v = lint_matter_endpoint(endpoint({"id": "0x0202", "commands": {"0xff01": {"0x0000": "3"}}}), P)
    assert rules(v) == [("matter.numeric-string", WARNING)]
    assert v[0].path == '$.MatterEndpoint.clusters[0].commands["0xff01"]["0x0000"]'
    assert v[0].hint


@pytest.mark.parametrize("cluster_id", ["0x0006", "0x6", "0X0006"])
def test_on_off_bool_attribute_map_is_fine(cluster_id):
    assert lint_matter_endpoint(endpoint({"id": cluster_id, "attributes": {"0x0000": True}}), P) == []


def test_string_for_bool_is_a_value_type_error():
    v = lint_matter_endpoint(endpoint({"id": "0x0006", "attributes": {"0x0000": "on"}}), P)
    assert rules(v) == [("matter.value-type", ERROR)]
    assert v[0].path == '$.MatterEndpoint.clusters[0].attributes["0x0000"]'
    assert "true or false" in v[0].hint


def test_fan_mode_outside_the_enum_is_an_error():
    v = lint_matter_endpoint(endpoint({"id": "0x0202", "attributes": {"0x0000": 9}}), P)
    assert rules(v) == [("matter.enum-value", ERROR)]
    assert "3 (High)" in v[0].hint


def test_attributes_list_of_one_key_objects_is_a_warning_and_entries_are_still_linted():
    v = lint_matter_endpoint(endpoint({"id": "0x0202", "attributes": [{"0x0000": "3"}, {"0x0002": 50}]}), P)
    assert rules(v) == [("matter.attributes-list-shape", WARNING), ("matter.numeric-string", WARNING)]
    assert v[0].hint == 'send an object map {"0x0000": value}'
    assert v[1].path == '$.MatterEndpoint.clusters[0].attributes[0]["0x0000"]'


@pytest.mark.parametrize("attributes", [5, "x", None, True])
def test_scalar_attributes_are_an_error_or_a_warning_when_lenient(attributes):
    cluster = {"id": "0x0006", "attributes": attributes}
    assert rules(lint_matter_endpoint(endpoint(cluster), P)) == [("matter.attributes-shape", ERROR)]
    assert rules(lint_matter_endpoint(endpoint(cluster), P, lenient=True)) == [
        ("matter.attributes-shape", WARNING)
    ]


@pytest.mark.parametrize("item", [{"0x0000": True, "0x4000": False}, 5, [], {}])
def test_bad_list_items_are_shape_errors_without_the_list_warning(item):
    v = lint_matter_endpoint(endpoint({"id": "0x0006", "attributes": [item]}), P)
    assert [r for r, _ in rules(v)] == ["matter.attributes-shape"]
    assert v[0].path == "$.MatterEndpoint.clusters[0].attributes[0]"


def test_nullable_field_accepts_null():
    cluster = {"id": "0x0008", "commands": {"0x00": {"0x0000": 1, "0x0001": None, "0x0002": 0, "0x0003": 0}}}
    assert lint_matter_endpoint(endpoint(cluster), P) == []


def test_nullable_attribute_accepts_null_and_others_do_not():
    assert lint_matter_endpoint(endpoint({"id": "0x0008", "attributes": {"0x0000": None}}), P) == []
    v = lint_matter_endpoint(endpoint({"id": "0x0006", "attributes": {"0x0000": None}}), P)
    assert rules(v) == [("matter.value-type", ERROR)]


@pytest.mark.parametrize(
    ("cluster_id", "attributes", "expected"),
    [
        ("0x0008", {"0x0000": -1}, "matter.value-type"),  # uint
        ("0x0008", {"0x0000": 1.5}, "matter.value-type"),
        ("0x0008", {"0x0000": True}, "matter.value-type"),
        ("0x0402", {"0x0000": "21.5"}, "matter.numeric-string"),
        ("0x0028", {"0x0003": 5}, "matter.value-type"),  # ProductName is a string
        ("0x0006", {"0xfffb": {}}, "matter.value-type"),  # AttributeList is a list
    ],
)
def test_value_types(cluster_id, attributes, expected):
    v = lint_matter_endpoint(endpoint({"id": cluster_id, "attributes": attributes}), P)
    assert expected in [x.rule for x in v]


def test_integral_float_and_negative_int_are_fine_where_allowed():
    assert lint_matter_endpoint(endpoint({"id": "0x0008", "attributes": {"0x0000": 128.0}}), P) == []
    assert lint_matter_endpoint(endpoint({"id": "0x0402", "attributes": {"0x0000": -500}}), P) == []


def test_unknown_cluster_and_attribute_are_warnings():
    v = lint_matter_endpoint(endpoint({"id": "0x1003", "attributes": {"0x0000": 1}}), P)
    assert rules(v) == [("matter.unknown-cluster", WARNING)]
    v = lint_matter_endpoint(endpoint({"id": "0x0006", "attributes": {"0x0999": 1}}), P)
    assert rules(v) == [("matter.unknown-attribute", WARNING)]
    assert "0x0000 OnOff" in v[0].hint


def test_vendor_specific_attribute_is_a_warning_not_unknown():
    v = lint_matter_endpoint(endpoint({"id": "0x0006", "attributes": {"0x15571002": "x"}}), P)
    assert rules(v) == [("matter.vendor-specific-id", WARNING)]
    assert "0x1557" in v[0].message


def test_aws_vendor_is_named():
    v = lint_matter_endpoint(endpoint({"id": "0x15771002", "attributes": {"0x0000": 1}}), P)
    assert rules(v) == [("matter.vendor-specific-id", WARNING)]
    assert "AWS" in v[0].message


@pytest.mark.parametrize("key", ["onOff", "0x", "", "0x1ffffffff"])
def test_attribute_keys_must_be_hex_or_decimal(key):
    v = lint_matter_endpoint(endpoint({"id": "0x0006", "attributes": {key: True}}), P)
    assert rules(v) == [("matter.bad-id", ERROR)]


def test_decimal_ids_are_warnings_with_the_hex_spelling():
    v = lint_matter_endpoint(endpoint({"id": "6", "attributes": {"0": True}}), P)
    assert rules(v) == [("matter.decimal-id", WARNING), ("matter.decimal-id", WARNING)]
    assert '"0x0006"' in v[0].hint and '"0x0000"' in v[1].hint


def test_empty_cluster_is_a_warning():
    assert rules(lint_matter_endpoint(endpoint({"id": "0x0006"}), P)) == [("matter.empty-cluster", WARNING)]


def test_missing_ids_are_toolkit_errors():
    v = lint_matter_endpoint({"clusters": [{"attributes": {"0x0000": True}}]}, P)
    assert [r for r, _ in rules(v)] == ["matter.missing-member", "matter.missing-member"]


def test_standard_command_fields_are_checked_and_mandatory_fields_required():
    cluster = {"id": "0x0008", "commands": {"0x00": {"0x0000": 200, "0x0001": "slow"}}}
    v = lint_matter_endpoint(endpoint(cluster), P)
    assert [x.rule for x in v] == ["matter.value-type", "matter.missing-field", "matter.missing-field"]
    assert rules(lint_matter_endpoint(endpoint(cluster), P, command_response=True)) == [
        ("matter.value-type", ERROR)
    ]


def test_command_echo_in_a_response_is_lenient_about_missing_and_result_fields():
    echo = {"0x0000": 200, "0x0009": "ok"}
    cluster = {"id": "0x0008", "commands": {"0x00": echo}, "attributes": {"0x0000": 200}}
    assert lint_matter_endpoint(endpoint(cluster), P, command_response=True) == []
    assert [v.rule for v in lint_matter_endpoint(endpoint(cluster), P)].count("matter.unknown-field") == 1


def test_unknown_command_and_event_are_warnings():
    cluster = {"id": "0x0006", "commands": {"0x33": {}}, "events": {"0x07": {}}}
    assert rules(lint_matter_endpoint(endpoint(cluster), P)) == [
        ("matter.unknown-command", WARNING),
        ("matter.unknown-event", WARNING),
    ]


def test_event_fields_are_type_checked_not_required():
    cluster = {"id": "0x0101", "events": {"0x02": {"0x0000": 7}}}
    assert rules(lint_matter_endpoint(endpoint(cluster), P)) == [("matter.enum-value", ERROR)]
    assert lint_matter_endpoint(endpoint({"id": "0x0045", "events": {"0x00": {"0x0000": True}}}), P) == []


def test_unknown_field_and_fields_shape():
    v = lint_matter_endpoint(endpoint({"id": "0x0006", "commands": {"0x01": {"0x0009": 1}}}), P)
    assert rules(v) == [("matter.unknown-field", WARNING)]
    v = lint_matter_endpoint(endpoint({"id": "0x0006", "commands": {"0x01": [1]}}), P)
    assert rules(v) == [("matter.fields-shape", ERROR)]
    v = lint_matter_endpoint(endpoint({"id": "0x0006", "commands": {"0x01": [1]}}), P, lenient=True)
    assert rules(v) == [("matter.fields-shape", WARNING)]


def test_update_state_keys_must_be_attributes_of_the_cluster():
    v = lint_matter_endpoint(endpoint({"id": "0x0202", "commands": {"0xff01": {"0x0099": 1}}}), P)
    assert rules(v) == [("matter.update-state-attribute", WARNING)]


def test_update_state_values_are_type_checked():
    v = lint_matter_endpoint(endpoint({"id": "0x0202", "commands": {"0xff01": {"0x0000": "High"}}}), P)
    assert rules(v) == [("matter.value-type", ERROR)]


def test_read_state_keys_are_attribute_ids_values_anything():
    cluster = {"id": "0x0202", "commands": {"0xff02": {"0x0000": None, "0x0003": "whatever"}}}
    assert lint_matter_endpoint(endpoint(cluster), P) == []
    cluster = {"id": "0x0202", "commands": {"0xff02": {"0x0777": None}}}
    assert rules(lint_matter_endpoint(endpoint(cluster), P)) == [("matter.read-state-attribute", WARNING)]


def test_commands_as_list_are_left_to_the_model_check_but_items_are_linted():
    cluster = {"id": "0x0202", "commands": [{"0xff01": {"0x0000": 9}}]}
    assert rules(lint_matter_endpoint(endpoint(cluster), P)) == [("matter.enum-value", ERROR)]


def test_named_field_key_gets_a_tag_hint():
    v = lint_matter_endpoint(
        endpoint({"id": "0x0008", "commands": {"0x00": {"level": 3}}}), P, command_response=True
    )
    assert rules(v) == [("matter.bad-id", ERROR)]
    assert '"0x0000" for level' in v[0].hint

import pytest

from c2c_cli.matter import lint_command_endpoints
from c2c_cli.violation import ERROR, WARNING

P = "$.payload.endpoints"


def request(commands, cluster_id="0x0202"):
    return [{"id": "1", "clusters": [{"id": cluster_id, "commands": commands}]}]


def rules(violations):
    return [(v.rule, v.severity) for v in violations]


def test_documented_example_list_form_only_warns_about_the_numeric_string():
    v = lint_command_endpoints(request([{"0xff01": {"0x0000": "3"}}]), P)
    assert rules(v) == [("matter.numeric-string", WARNING)]
    assert v[0].path == '$.payload.endpoints[0].clusters[0].commands[0]["0xff01"]["0x0000"]'


def test_map_form_is_fine_too():
    assert lint_command_endpoints(request({"0xff01": {"0x0000": 3}}), P) == []


def test_standard_command_with_all_fields_is_fine():
    fields = {"0x0000": 0, "0x0001": False, "0x0002": True}
    assert lint_command_endpoints(request([{"0x00": fields}]), P) == []
    assert lint_command_endpoints(request([{"0x00": {"0x0000": 1}}]), P) == []  # wrap/lowestOff optional


def test_missing_mandatory_field_is_an_error():
    v = lint_command_endpoints(request([{"0x00": {}}]), P)
    assert rules(v) == [("matter.missing-field", ERROR)]
    assert "direction" in v[0].message and '"0x0000"' in v[0].hint


def test_read_state_with_null_placeholders_or_a_list_of_ids():
    assert lint_command_endpoints(request([{"0xff02": {"0x0000": None}}]), P) == []
    assert lint_command_endpoints(request([{"0xff02": ["0x0000", "0x0003"]}]), P) == []


def test_on_off_commands_without_fields():
    assert lint_command_endpoints(request([{"0x01": {}}, {"0x02": None}], "0x0006"), P) == []


def test_multi_key_command_item_is_an_error_or_a_warning_when_lenient():
    commands = [{"0x00": {}, "0x01": {}}]
    assert rules(lint_command_endpoints(request(commands, "0x0006"), P)) == [("matter.commands-shape", ERROR)]
    v = lint_command_endpoints(request(commands, "0x0006"), P, lenient=True)
    assert rules(v) == [("matter.commands-shape", WARNING)]


@pytest.mark.parametrize("commands", [5, "0x01", None, [5], ["0x01"]])
def test_bad_commands_shapes(commands):
    assert "matter.commands-shape" in [v.rule for v in lint_command_endpoints(request(commands, "0x0006"), P)]


@pytest.mark.parametrize(
    "endpoints",
    [
        None,
        {},
        "x",
        [5],
        [{"clusters": []}],
        [{"id": "", "clusters": []}],
        [{"id": "1"}],
        [{"id": "1", "clusters": {}}],
        [{"id": "1", "clusters": [5]}],
        [{"id": "1", "clusters": [{"commands": []}]}],
        [{"id": "1", "clusters": [{"id": "0x0006"}]}],
    ],
)
def test_malformed_structure_is_an_endpoints_shape_error(endpoints):
    v = lint_command_endpoints(endpoints, P)
    assert ("matter.endpoints-shape", ERROR) in rules(v)


def test_bad_cluster_id_is_reported_here():
    v = lint_command_endpoints(request([{"0x01": {}}], "OnOff"), P)
    assert rules(v) == [("matter.bad-id", ERROR)]


def test_bad_command_id_is_reported_here():
    v = lint_command_endpoints(request([{"On": {}}], "0x0006"), P)
    assert rules(v) == [("matter.bad-id", ERROR)]


def test_unknown_command_lists_the_accepted_ones():
    v = lint_command_endpoints(request([{"0x09": {}}], "0x0006"), P)
    assert rules(v) == [("matter.unknown-command", WARNING)]
    assert "0x00 Off" in v[0].hint


def test_decimal_field_tags_are_accepted_silently():
    assert lint_command_endpoints(request([{"0x00": {"0": 1}}]), P) == []

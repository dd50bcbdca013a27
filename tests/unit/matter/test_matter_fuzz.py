from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from c2c_cli.matter import lint_capability_report, lint_command_endpoints, lint_matter_endpoint
from c2c_cli.violation import Violation

ids = st.sampled_from(
    ["0x0006", "0x0202", "0x0008", "0xff01", "0xff02", "0x0000", "6", "0x15771002", "x", ""]
)
keys = st.one_of(ids, st.text(max_size=6))
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=8), ids
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)),
    max_leaves=25,
)
member_names = st.sampled_from(
    ["id", "clusters", "attributes", "commands", "events", "endpoints", "deviceTypes"]
)
structured = st.recursive(
    json_values,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.one_of(member_names, keys), children, max_size=5)
    ),
    max_leaves=30,
)

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _all_violations(result):
    assert isinstance(result, list)
    assert all(isinstance(v, Violation) and v.rule.startswith("matter.") and v.hint for v in result)


@FUZZ
@given(structured, st.booleans(), st.booleans())
def test_lint_matter_endpoint_never_raises(value, lenient, command_response):
    _all_violations(lint_matter_endpoint(value, "$", lenient=lenient, command_response=command_response))


@FUZZ
@given(structured, st.booleans())
def test_lint_command_endpoints_never_raises(value, lenient):
    _all_violations(lint_command_endpoints(value, "$", lenient=lenient))


@FUZZ
@given(structured)
def test_lint_capability_report_never_raises(value):
    _all_violations(lint_capability_report(value, "$"))


@FUZZ
@given(json_values, json_values)
def test_wrapped_in_the_expected_skeleton_never_raises(attributes, commands):
    endpoint = {"id": "1", "clusters": [{"id": "0x0202", "attributes": attributes, "commands": commands}]}
    _all_violations(lint_matter_endpoint(endpoint, "$"))
    _all_violations(lint_command_endpoints([endpoint], "$"))
    report = {"endpoints": [{"clusters": [{"id": "0x0101", "attributes": attributes, "commands": commands}]}]}
    _all_violations(lint_capability_report(report, "$"))

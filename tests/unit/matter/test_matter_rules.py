import re

import pytest

from c2c_cli.matter import RULES, lint_capability_report, lint_command_endpoints, lint_matter_endpoint


def _state(cluster, **kw):
    return lint_matter_endpoint({"id": "1", "clusters": [cluster]}, "$", **kw)


def _report(endpoint):
    return lint_capability_report({"version": "1.0.0", "endpoints": [{"id": "1", **endpoint}]}, "$")


# One input per rule: proves every documented rule can fire.
EXAMPLES = {
    "matter.bad-id": lambda: _state({"id": "0x0006", "attributes": {"OnOff": True}}),
    "matter.decimal-id": lambda: _state({"id": "6", "attributes": {"0x0000": True}}),
    "matter.vendor-specific-id": lambda: _state({"id": "0x15771002", "attributes": {"0x0000": 1}}),
    "matter.unknown-cluster": lambda: _state({"id": "0x1003", "attributes": {}}),
    "matter.unknown-attribute": lambda: _state({"id": "0x0006", "attributes": {"0x0999": 1}}),
    "matter.unknown-command": lambda: _state({"id": "0x0006", "commands": {"0x33": {}}}),
    "matter.unknown-event": lambda: _state({"id": "0x0006", "events": {"0x07": {}}}),
    "matter.unknown-field": lambda: _state({"id": "0x0006", "commands": {"0x01": {"0x0005": 1}}}),
    "matter.value-type": lambda: _state({"id": "0x0006", "attributes": {"0x0000": "on"}}),
    "matter.numeric-string": lambda: _state({"id": "0x0202", "attributes": {"0x0000": "3"}}),
    "matter.enum-value": lambda: _state({"id": "0x0202", "attributes": {"0x0000": 9}}),
    "matter.missing-field": lambda: _state({"id": "0x0202", "commands": {"0x00": {}}}),
    "matter.attributes-list-shape": lambda: _state({"id": "0x0006", "attributes": [{"0x0000": True}]}),
    "matter.attributes-shape": lambda: _state({"id": "0x0006", "attributes": 5}),
    "matter.commands-shape": lambda: lint_command_endpoints(
        [{"id": "1", "clusters": [{"id": "0x0006", "commands": [{"0x00": {}, "0x01": {}}]}]}], "$"
    ),
    "matter.fields-shape": lambda: _state({"id": "0x0006", "commands": {"0x01": 5}}),
    "matter.empty-cluster": lambda: _state({"id": "0x0006"}),
    "matter.update-state-attribute": lambda: _state({"id": "0x0006", "commands": {"0xff01": {"0x0999": 1}}}),
    "matter.read-state-attribute": lambda: _state({"id": "0x0006", "commands": {"0xff02": {"0x0999": None}}}),
    "matter.unknown-device-type": lambda: _report({"deviceTypes": ["Camera"], "clusters": []}),
    "matter.revision": lambda: _report({"deviceTypes": [], "clusters": [{"id": "0x0006", "revision": 10}]}),
    "matter.endpoints-shape": lambda: lint_command_endpoints({"id": "1"}, "$"),
    "matter.missing-member": lambda: lint_matter_endpoint({"clusters": []}, "$"),
}


def test_every_rule_has_an_example():
    assert set(EXAMPLES) == set(RULES)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule_fires(rule):
    assert rule in [v.rule for v in EXAMPLES[rule]()]


@pytest.mark.parametrize(("rule", "description"), sorted(RULES.items()))
def test_rules_are_kebab_case_and_cite_the_contract(rule, description):
    assert re.fullmatch(r"matter\.[a-z]+(-[a-z]+)*", rule)
    assert "§" in description

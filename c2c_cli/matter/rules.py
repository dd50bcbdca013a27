"""Rule ids of the Matter lint, their descriptions (for generated docs), and JSON-path helpers.

Paths continue the caller's path: ``.key`` for identifier-like keys, ``["0x0000"]`` (JSON-quoted) for any
other key, ``[3]`` for list indexes — the same scheme as ``c2c_cli.contract``.
"""

from __future__ import annotations

from typing import Any

from c2c_cli.violation import ERROR, WARNING, Severity, Violation, child_path

__all__ = ["RULES", "at", "make"]

RULES: dict[str, str] = {
    "matter.bad-id": "An id or key that must be hex-or-decimal (0x.. or digits, at most 32 bits) is not (§4.5, §5.2).",
    "matter.decimal-id": "An id written in decimal; the docs write hex such as 0x0006 (§5.2).",
    "matter.vendor-specific-id": "A vendor-specific id (non-zero upper 16 bits; AWS is vendor 0x1577) (§5.1, §9 #23).",
    "matter.unknown-cluster": "A cluster id the Matter catalogue doesn't know (§5.4 policy 1, §9 #23).",
    "matter.unknown-attribute": "An attribute id the catalogue doesn't know for that cluster (§5.4 policy 1).",
    "matter.unknown-command": "A command id that is not an accepted command of that cluster (§5.4 policy 1).",
    "matter.unknown-event": "An event id the catalogue doesn't know for that cluster (§5.4 policy 1).",
    "matter.unknown-field": "A command or event field tag the catalogue doesn't know (§5.3, §9 #11).",
    "matter.value-type": "A value whose JSON type doesn't fit the catalogue type (bool/int/enum/string/list...) (§5.4).",
    "matter.numeric-string": 'A number sent as a string, e.g. FanMode "3"; send the number (§5.4, §9 #3).',
    "matter.enum-value": "An integer that is not a value of the attribute's or field's enum (§5.4 policy 1).",
    "matter.missing-field": "A mandatory field of a standard Matter command is missing (§3.3, §5.3).",
    "matter.attributes-list-shape": "attributes sent as the doc-only list of one-key objects; send an object map (§5.4, §9 #2).",
    "matter.attributes-shape": "attributes neither an object map nor a list of one-key objects (§5.4, §9 #2).",
    "matter.commands-shape": "A commands entry that is not a one-key object, or commands not a list/map (§3.3, §5.4).",
    "matter.fields-shape": "Command or event fields that are not a JSON object keyed by field ids (§5.3).",
    "matter.empty-cluster": "A state cluster with none of attributes/commands/events (§4.6).",
    "matter.update-state-attribute": "An UpdateState (0xff01) key that is not an attribute of that cluster (§5.3).",
    "matter.read-state-attribute": "A ReadState (0xff02) key that is not an attribute of that cluster (§5.3, §9 #12).",
    "matter.unknown-device-type": "A device type that is neither a known Matter device type id nor name (§4.5, §5.5).",
    "matter.revision": "A cluster revision above the latest revision the catalogue knows (§4.5).",
    "matter.endpoints-shape": "AWS.SendCommand endpoints not shaped [{id, clusters: [{id, commands}]}] (§3.3).",
    "matter.missing-member": "A MatterEndpoint without id or clusters, or a MatterCluster without id (toolkit, §4.6).",
}

# One JSON-path spelling for contract and Matter violations alike.
at = child_path


def make(
    rule: str, path: str, message: str, hint: str, *, severity: Severity | None = None, value: Any = None
) -> Violation:
    """A violation of ``rule`` (a key of :data:`RULES`); severity defaults to the rule's usual one."""
    if rule not in RULES:  # a typo here would silently create an undocumented rule
        raise KeyError(rule)
    return Violation(path, message, rule, severity or default_severity(rule), hint, value)


_DEFAULT_SEVERITY: dict[str, Severity] = {
    "matter.bad-id": ERROR,
    "matter.value-type": ERROR,
    "matter.enum-value": ERROR,
    "matter.missing-field": ERROR,
    "matter.attributes-shape": ERROR,
    "matter.commands-shape": ERROR,
    "matter.fields-shape": ERROR,
    "matter.endpoints-shape": ERROR,
    "matter.missing-member": ERROR,
}


def default_severity(rule: str) -> Severity:
    """The severity a rule has unless a check decides otherwise (``--lenient``)."""
    return _DEFAULT_SEVERITY.get(rule, WARNING)

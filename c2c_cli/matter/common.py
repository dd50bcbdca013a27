"""Lint pieces shared by the three linters: ids, clusters, attribute entries, commands and their fields.

Nothing here raises on arbitrary JSON: every branch checks the JSON type before using a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from c2c_cli.matter.catalog import Cluster, Field, load_catalog
from c2c_cli.matter.ids import (
    AWS_VENDOR_ID,
    READ_STATE,
    UPDATE_STATE,
    IdKind,
    format_id,
    is_decimal_form,
    parse_id,
)
from c2c_cli.matter.ids import vendor_of as _vendor
from c2c_cli.matter.rules import at, make
from c2c_cli.matter.values import check_value
from c2c_cli.violation import ERROR, WARNING, Severity, Violation

__all__ = [
    "Context",
    "check_id",
    "lint_attribute_entry",
    "lint_cluster_id",
    "lint_command_entry",
    "lint_event_entry",
    "listing",
    "shape_severity",
]

_MAX_ID = 0xFFFFFFFF
_MAX_LISTED = 8


@dataclass(frozen=True)
class Context:
    """How strict to be.

    Attributes:
        lenient: shapes no source shows become warnings (``--lenient``).
        command_echo: commands are a DEVICE_COMMAND_RESPONSE echo that may carry result fields (§3.3): only
            known fields are type-checked; missing and unknown fields are not reported.
        keys_model_checked: command/event map keys already matched the model's id pattern.
    """

    lenient: bool = False
    command_echo: bool = False
    keys_model_checked: bool = False


def shape_severity(ctx: Context) -> Severity:
    """Shapes no source shows are errors, warnings with ``--lenient`` (contract.md §5.4 policy 1)."""
    return WARNING if ctx.lenient else ERROR


def check_id(
    raw: Any, path: str, kind: IdKind, *, model_checked: bool = False, warn_decimal: bool = True
) -> tuple[int | None, list[Violation]]:
    """Parse one id; report bad, decimal (§5.2) and vendor-specific (§5.1) forms.

    Returns:
        The numeric id (``None`` when unusable) and the violations found. An id the model pattern already
        rejected (``model_checked``) is not reported again.
    """
    n = parse_id(raw)
    if n is None or n > _MAX_ID:
        if n is None and model_checked:
            return None, []
        shown = raw if isinstance(raw, str) else repr(raw)
        hint = f'write the {kind} id as "0x" + hex digits, e.g. "{format_id(0, kind)}" (at most 32 bits)'
        return None, [
            make("matter.bad-id", path, f"{kind} id {shown!r} is not a hex-or-decimal id", hint, value=raw)
        ]
    out = []
    if warn_decimal and is_decimal_form(raw):
        out.append(
            make(
                "matter.decimal-id",
                path,
                f"{kind} id {raw!r} is decimal",
                f'write "{format_id(n, kind)}" (the docs and the service examples use hex)',
                value=raw,
            )
        )
    vendor = _vendor(n)
    if vendor:
        owner = " (AWS)" if vendor == AWS_VENDOR_ID else ""
        out.append(
            make(
                "matter.vendor-specific-id",
                path,
                f"{kind} id {format_id(n, kind)} is vendor-specific (vendor 0x{vendor:04x}{owner})",
                "fine for vendor extensions; the service and other tools may not understand it",
                value=raw,
            )
        )
    return n, out


def lint_cluster_id(raw: Any, path: str, *, model_checked: bool) -> tuple[Cluster | None, list[Violation]]:
    """The catalogue cluster for an id (``None`` when unknown or unusable) and the id's violations."""
    n, out = check_id(raw, path, "cluster", model_checked=model_checked)
    if n is None:
        return None, out
    cluster = load_catalog().cluster(n)
    if cluster is None and not _vendor(n):
        out.append(
            make(
                "matter.unknown-cluster",
                path,
                f"cluster {format_id(n, 'cluster')} is not in the Matter catalogue",
                "check the id (e.g. OnOff is 0x0006); vendor clusters carry the vendor id in the upper 16 bits",
                value=raw,
            )
        )
    return cluster, out


def lint_attribute_entry(
    cluster: Cluster | None,
    key: Any,
    value: Any,
    path: str,
    *,
    unknown_rule: str = "matter.unknown-attribute",
    value_path: str | None = None,
    model_checked: bool = False,
    has_value: bool = True,
) -> list[Violation]:
    """One ``attribute id -> value`` pair; ``value`` is type-checked unless ``unknown_rule`` is ReadState's.

    ``value_path`` (default ``path``) locates value violations, for reports where id and value are members.
    """
    n, out = check_id(key, path, "attribute", model_checked=model_checked)
    if n is None or cluster is None or _vendor(n):
        return out
    attribute = cluster.attributes.get(n)
    if attribute is None:
        known = listing((a.id, a.name) for a in cluster.attributes.values())
        message = f"attribute {format_id(n, 'attribute')} is not an attribute of {cluster.name}"
        return [*out, make(unknown_rule, path, message, f"known attributes: {known}", value=key)]
    if unknown_rule == "matter.read-state-attribute" or not has_value:
        return out  # ReadState values are placeholders (contract.md §9 #12)
    what = f"{cluster.name}.{attribute.name} ({format_id(n, 'attribute')})"
    return out + check_value(value, attribute, value_path or path, what)


def lint_command_entry(
    cluster: Cluster | None, key: Any, fields: Any, path: str, ctx: Context
) -> list[Violation]:
    """One ``command id -> fields`` pair: standard commands, UpdateState 0xff01 and ReadState 0xff02 (§5.3)."""
    n, out = check_id(key, path, "command", model_checked=ctx.keys_model_checked)
    if n == UPDATE_STATE:
        return out + _lint_state_keys(cluster, fields, path, "matter.update-state-attribute", ctx)
    if n == READ_STATE:
        return out + _lint_state_keys(cluster, fields, path, "matter.read-state-attribute", ctx)
    if n is None or cluster is None or _vendor(n):
        return out + _fields_shape(fields, path, ctx)
    command = cluster.commands.get(n)
    if command is None:
        return [*out, _unknown_member("command", n, cluster, path, key)]
    owner = f"{cluster.name}.{command.name}"
    strict = not ctx.command_echo
    return out + _lint_fields(command.fields, fields, path, owner, ctx, require=strict, warn_unknown=strict)


def _unknown_member(
    kind: Literal["command", "event"], n: int, cluster: Cluster, path: str, key: Any
) -> Violation:
    """``matter.unknown-command`` / ``matter.unknown-event``, listing what the cluster does have."""
    members = cluster.commands if kind == "command" else cluster.events
    known = listing(((m.id, m.name) for m in members.values()), kind) or "none"
    what, listed = (
        ("an accepted command", "accepted commands") if kind == "command" else ("an event", "known events")
    )
    message = f"{kind} {format_id(n, kind)} is not {what} of {cluster.name}"
    return make(f"matter.unknown-{kind}", path, message, f"{listed}: {known}", value=key)


def lint_event_entry(
    cluster: Cluster | None, key: Any, fields: Any, path: str, ctx: Context
) -> list[Violation]:
    """One ``event id -> fields`` pair; event fields are type-checked, not required."""
    n, out = check_id(key, path, "event", model_checked=ctx.keys_model_checked)
    if n is None or cluster is None or _vendor(n):
        return out + _fields_shape(fields, path, ctx)
    event = cluster.events.get(n)
    if event is None:
        return [*out, _unknown_member("event", n, cluster, path, key)]
    owner = f"{cluster.name}.{event.name}"
    return out + _lint_fields(event.fields, fields, path, owner, ctx, require=False, warn_unknown=True)


def _fields_shape(fields: Any, path: str, ctx: Context) -> list[Violation]:
    if fields is None or isinstance(fields, dict):
        return []
    return [
        make(
            "matter.fields-shape",
            path,
            f"fields must be a JSON object keyed by field ids, got {type(fields).__name__}",
            'send {"0x0000": value, ...} (or {} for a command without fields)',
            severity=shape_severity(ctx),
            value=fields,
        )
    ]


def _lint_fields(
    specs: tuple[Field, ...],
    fields: Any,
    path: str,
    owner: str,
    ctx: Context,
    *,
    require: bool,
    warn_unknown: bool,
) -> list[Violation]:
    shape = _fields_shape(fields, path, ctx)
    if shape:
        return shape
    given = fields if isinstance(fields, dict) else {}
    by_tag = {f.tag: f for f in specs}
    out: list[Violation] = []
    seen: set[int] = set()
    for key, value in given.items():
        found = _lint_field(by_tag, key, value, at(path, key), owner, seen)
        out += [v for v in found if warn_unknown or v.rule != "matter.unknown-field"]
    if require:
        out += [_missing(f, path, owner) for f in specs if not f.optional and f.tag not in seen]
    return out


def _lint_field(
    by_tag: dict[int, Field], key: Any, value: Any, path: str, owner: str, seen: set[int]
) -> list[Violation]:
    n, out = check_id(key, path, "field", warn_decimal=False)  # any spelling is fine (contract.md §9 #11)
    if n is None:
        named = next(
            (f for f in by_tag.values() if isinstance(key, str) and f.name.lower() == key.lower()), None
        )
        if named is not None:
            return [_renamed(out[0], named)]
        return out
    seen.add(n)
    spec = by_tag.get(n)
    if spec is None:
        known = listing(((f.tag, f.name) for f in by_tag.values()), "field") or "none"
        message = f"{owner} has no field {format_id(n, 'field')}"
        return [*out, make("matter.unknown-field", path, message, f"known fields: {known}", value=key)]
    return out + check_value(value, spec, path, f"{owner}.{spec.name} ({format_id(n, 'field')})")


def _renamed(bad_id: Violation, spec: Field) -> Violation:
    hint = f'key fields by tag: use "{format_id(spec.tag, "field")}" for {spec.name}'
    return Violation(bad_id.path, bad_id.message, bad_id.rule, bad_id.severity, hint, bad_id.value)


def _missing(spec: Field, path: str, owner: str) -> Violation:
    tag = format_id(spec.tag, "field")
    return make(
        "matter.missing-field",
        path,
        f"{owner} is missing its mandatory field {tag} ({spec.name})",
        f'add "{tag}": <{spec.type}{" or null" if spec.nullable else ""}>',
    )


def _lint_state_keys(
    cluster: Cluster | None, fields: Any, path: str, rule: str, ctx: Context
) -> list[Violation]:
    if rule == "matter.read-state-attribute" and isinstance(fields, list):
        return [
            v
            for i, item in enumerate(fields)
            for v in lint_attribute_entry(cluster, item, None, at(path, i), unknown_rule=rule)
        ]
    shape = _fields_shape(fields, path, ctx)
    if shape or not isinstance(fields, dict):
        return shape
    return [
        v
        for k, val in fields.items()
        for v in lint_attribute_entry(cluster, k, val, at(path, k), unknown_rule=rule)
    ]


def listing(items: Any, kind: IdKind = "attribute") -> str:
    """``0x0000 OnOff, 0x4000 GlobalSceneControl, …`` from ``(id, name)`` pairs, at most eight shown."""
    pairs = sorted(items)
    text = ", ".join(f"{format_id(i, kind)} {name}" for i, name in pairs[:_MAX_LISTED])
    return text + (f", … ({len(pairs) - _MAX_LISTED} more)" if len(pairs) > _MAX_LISTED else "")

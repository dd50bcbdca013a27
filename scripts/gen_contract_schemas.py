"""Generate c2c_cli/contract/schemas/model.schema.json from botocore's iot-managed-integrations model.

Run: ``make schemas`` (or ``python scripts/gen_contract_schemas.py [--check]``). The output is committed;
``tests/unit/contract/test_schema_drift.py`` regenerates it in memory and fails when it differs, so a
botocore update that changes the model is noticed (botocore-model-notes.md §8).

Every shape reachable from an operation's input or output becomes one ``$defs`` entry carrying the full
constraint set (required, types, min/max, patterns, enums, list and map sizes), plus ``x-shape`` (the model
shape name, used as the violation rule), ``x-sensitive`` and ``x-model-pattern`` (the pattern as the model
spells it). Patterns are translated for Python ``re`` and anchored: the model lost its ``^...$`` anchors
(contract.md §4.2) and the toolkit matches whole values.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import botocore.session

SERVICE = "iot-managed-integrations"
OUT = Path(__file__).resolve().parent.parent / "c2c_cli" / "contract" / "schemas" / "model.schema.json"


def translate_pattern(pattern: str) -> str:
    r"""Model pattern -> anchored Python/ECMA-compatible pattern (botocore-model-notes.md §4).

    ``\x{0022}`` becomes ``\x22``; ``[\p{L}\p{N} ._-]+`` becomes ``(?:[^\W_]|[ ._-])+``.
    """
    p = pattern.replace(r"\x{0022}", r"\x22")
    if r"\p{L}\p{N}" in p:
        inner = p[p.index("[") + 1 : p.rindex("]")].replace(r"\p{L}\p{N}", "")
        p = r"(?:[^\W_]|[" + inner + r"])+"
    return f"^(?:{p})$"


def shape_schema(shape: Any) -> dict[str, Any]:
    """One ``$defs`` entry for a botocore shape."""
    md = shape.metadata
    out: dict[str, Any] = {"x-shape": shape.name}
    if md.get("sensitive"):
        out["x-sensitive"] = True
    if md.get("document"):
        out["x-document"] = True
        return out
    builder = _BUILDERS.get(shape.type_name)
    if builder is None:  # blob and anything new: noticed by the drift test, accepted as any JSON
        out["x-unhandled-type"] = shape.type_name
    else:
        builder(shape, md, out)
    return out


def _structure(shape: Any, _md: dict[str, Any], out: dict[str, Any]) -> None:
    out["type"] = "object"
    out["properties"] = {name: {"$ref": f"#/$defs/{m.name}"} for name, m in shape.members.items()}
    if shape.required_members:
        out["required"] = list(shape.required_members)
    out["additionalProperties"] = False


def _list(shape: Any, md: dict[str, Any], out: dict[str, Any]) -> None:
    out["type"] = "array"
    out["items"] = {"$ref": f"#/$defs/{shape.member.name}"}
    _bounds(out, md, "minItems", "maxItems")


def _map(shape: Any, md: dict[str, Any], out: dict[str, Any]) -> None:
    out["type"] = "object"
    out["propertyNames"] = {"$ref": f"#/$defs/{shape.key.name}"}
    out["additionalProperties"] = {"$ref": f"#/$defs/{shape.value.name}"}
    _bounds(out, md, "minProperties", "maxProperties")


def _string(shape: Any, md: dict[str, Any], out: dict[str, Any]) -> None:
    out["type"] = "string"
    _bounds(out, md, "minLength", "maxLength")
    if shape.enum:
        out["enum"] = list(shape.enum)
    if "pattern" in md:
        out["pattern"] = translate_pattern(md["pattern"])
        out["x-model-pattern"] = md["pattern"]


def _number(kind: str) -> Any:
    def build(_shape: Any, md: dict[str, Any], out: dict[str, Any]) -> None:
        out["type"] = kind
        _bounds(out, md, "minimum", "maximum")

    return build


def _simple(kind: Any) -> Any:
    def build(_shape: Any, _md: dict[str, Any], out: dict[str, Any]) -> None:
        out["type"] = kind

    return build


_BUILDERS: dict[str, Any] = {
    "structure": _structure,
    "list": _list,
    "map": _map,
    "string": _string,
    "integer": _number("integer"),
    "long": _number("integer"),
    "double": _number("number"),
    "float": _number("number"),
    "boolean": _simple("boolean"),
    "timestamp": _simple(["string", "number"]),
}


def _bounds(out: dict[str, Any], md: dict[str, Any], low: str, high: str) -> None:
    if "min" in md:
        out[low] = md["min"]
    if "max" in md:
        out[high] = md["max"]


def _walk(shape: Any, seen: dict[str, Any]) -> None:
    if shape is None or shape.name in seen:
        return
    seen[shape.name] = shape
    if shape.type_name == "structure" and not shape.metadata.get("document"):
        for member in shape.members.values():
            _walk(member, seen)
    elif shape.type_name == "list":
        _walk(shape.member, seen)
    elif shape.type_name == "map":
        _walk(shape.key, seen)
        _walk(shape.value, seen)


def operation_entry(op: Any) -> dict[str, Any]:
    """HTTP binding and shapes of one operation, as the emulator and docs need them."""
    members = op.input_shape.members if op.input_shape else {}
    locations = {
        name: {"location": m.serialization["location"], "name": m.serialization.get("name", name)}
        for name, m in members.items()
        if m.serialization.get("location")
    }
    return {
        "http": dict(op.http),
        "input": op.input_shape.name if op.input_shape else None,
        "output": op.output_shape.name if op.output_shape else None,
        "errors": sorted(e.name for e in op.error_shapes),
        "locations": locations,
        "idempotent_members": list(op.idempotent_members),
    }


def build() -> dict[str, Any]:
    """The whole schema document."""
    sm = botocore.session.get_session().get_service_model(SERVICE)
    shapes: dict[str, Any] = {}
    operations = {}
    for name in sm.operation_names:
        op = sm.operation_model(name)
        _walk(op.input_shape, shapes)
        _walk(op.output_shape, shapes)
        operations[name] = operation_entry(op)
    errors = {
        s.name: {"code": s.error_code, "status": s.metadata["error"]["httpStatusCode"]}
        for s in sm.error_shapes
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "GENERATED by scripts/gen_contract_schemas.py from botocore's model; do not edit.",
        "x-service": {
            "name": SERVICE,
            "api_version": sm.api_version,
            "signing_name": sm.signing_name,
            "protocol": sm.protocol,
        },
        "x-operations": operations,
        "x-errors": errors,
        "$defs": {name: shape_schema(shapes[name]) for name in sorted(shapes)},
    }


def render() -> str:
    """The file's exact text."""
    return json.dumps(build(), indent=1, sort_keys=True) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs")
    args = parser.parse_args()
    from generated import check_or_write  # scripts/generated.py; the scripts run from scripts/

    return check_or_write({OUT: render()}, check=args.check, command="make schemas")


if __name__ == "__main__":
    sys.exit(main())

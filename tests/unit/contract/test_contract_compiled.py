"""The compiled validator reports exactly what jsonschema (the reference) reports.

The reference lives here, not in c2c_cli: it exists only for this differential test (issue 14 §8).
"""

import ast
import copy
import re
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from c2c_cli.contract.hints import describe
from c2c_cli.contract.model import model, validate_shape
from c2c_cli.contract.samples import new_sample
from c2c_cli.redaction import MARKER
from c2c_cli.violation import Violation, child_path

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**33), 2**33)
    | st.floats(allow_nan=False)
    | st.text(max_size=70)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=10), inner, max_size=6),
    max_leaves=25,
)


@cache
def _validator(shape_name):
    import jsonschema
    from jsonschema import validators

    def fullmatch_pattern(validator, pattern, instance, _schema):
        # contract.md §4.2 "Pattern semantics": the whole value must match, where JSON Schema searches.
        if validator.is_type(instance, "string") and not re.fullmatch(pattern, instance):
            yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")

    cls = validators.extend(jsonschema.Draft202012Validator, validators={"pattern": fullmatch_pattern})
    doc = model()
    if shape_name not in doc["$defs"]:
        raise KeyError(shape_name)
    return cls({"$defs": doc["$defs"], "$ref": f"#/$defs/{shape_name}"})


def reference_violations(shape_name, value, path="$"):
    """The same check done by jsonschema itself, translated into Violations."""
    out = []
    for error in _validator(shape_name).iter_errors(value):
        out.extend(_to_violations(error, path))
    return out


def _json_path(base, parts):
    out = base
    for part in parts:
        out = child_path(out, part)
    return out


def _to_violations(error, base):
    schema = error.schema if isinstance(error.schema, dict) else {}
    shape = schema.get("x-shape", "model")
    sensitive = bool(schema.get("x-sensitive"))
    path = _json_path(base, error.absolute_path)
    keyword, instance = error.validator, error.instance
    if keyword == "required":
        # jsonschema yields one error per missing member: "'Name' is a required property".
        member = str(ast.literal_eval(error.message.split(" is a required property")[0]))
        ref = schema.get("properties", {}).get(member, {}).get("$ref", "")
        hint = f"add {member} ({str(ref).rsplit('/', 1)[-1] or 'see the model'})"
        return [Violation(child_path(path, member), f"required member {member} is missing", shape, hint=hint)]
    if keyword == "additionalProperties" and schema.get("additionalProperties") is False:
        known = ", ".join(sorted(schema.get("properties", {})))
        hint = f"remove it, or fix its spelling (members: {known})"
        extra = [k for k in instance if k not in schema.get("properties", {})]
        return [
            Violation(child_path(path, k), f"unknown member {k} of {shape}", shape, hint=hint) for k in extra
        ]
    message, hint = describe(keyword, error.validator_value, instance, schema, sensitive=sensitive)
    if "propertyNames" in error.absolute_schema_path:
        # A map key failed: point at the key itself.
        path, message = child_path(path, instance), f"key {message}"
    return [Violation(path, message, shape, hint=hint, value=MARKER if sensitive else instance)]


def _keys(found):
    return sorted((v.path, v.rule, v.message) for v in found)


@st.composite
def mutated_events(draw):
    kind = draw(
        st.sampled_from(["event.device-discovery", "event.device-command-response", "event.device-event"])
    )
    doc = {"ConnectorId": "c-1", **new_sample(kind, devices=draw(st.integers(1, 4)))}
    for _ in range(draw(st.integers(1, 4))):
        node, key = _pick(doc, draw)
        node[key] = draw(JSON)
    return doc


def _pick(doc, draw):
    node = doc
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = draw(st.sampled_from(keys))
        child = node[key]
        if isinstance(child, (dict, list)) and child and draw(st.booleans()):
            node = child
            continue
        return node, key


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_events())
def test_compiled_equals_reference_on_mutated_events(doc) -> None:
    assert _keys(validate_shape("SendConnectorEventRequest", doc)) == _keys(
        reference_violations("SendConnectorEventRequest", doc)
    )


@settings(max_examples=300, deadline=None, derandomize=True)
@given(shape=st.sampled_from(sorted(model()["$defs"])), value=JSON)
def test_compiled_equals_reference_on_any_shape(shape, value) -> None:
    assert _keys(validate_shape(shape, copy.deepcopy(value))) == _keys(reference_violations(shape, value))


def test_a_fraction_below_an_integer_minimum_is_two_violations() -> None:
    # the example hypothesis once found: the compiled walk stopped at the type error
    doc = {"ConnectorId": "c-1", **new_sample("event.device-discovery", devices=1), "StatusCode": 0.5}
    found = _keys(validate_shape("SendConnectorEventRequest", doc))
    assert found == _keys(reference_violations("SendConnectorEventRequest", doc))
    assert len([k for k in found if k[0] == "$.StatusCode"]) == 2

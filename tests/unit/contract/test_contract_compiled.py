"""The compiled validator reports exactly what jsonschema (the reference) reports."""

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from c2c_cli.contract.model import model, reference_violations, validate_shape
from c2c_cli.contract.samples import new_sample

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


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_events())
def test_compiled_equals_reference_on_mutated_events(doc) -> None:
    assert _keys(validate_shape("SendConnectorEventRequest", doc)) == _keys(
        reference_violations("SendConnectorEventRequest", doc)
    )


@settings(max_examples=300, deadline=None)
@given(shape=st.sampled_from(sorted(model()["$defs"])), value=JSON)
def test_compiled_equals_reference_on_any_shape(shape, value) -> None:
    assert _keys(validate_shape(shape, copy.deepcopy(value))) == _keys(reference_violations(shape, value))

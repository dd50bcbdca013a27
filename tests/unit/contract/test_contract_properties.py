"""Property-based checks: valid payloads pass, single mutations are caught at their path, nothing raises."""

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from c2c_cli.contract import KINDS, validate_document
from c2c_cli.contract.builders import discovery_event
from c2c_cli.contract.samples import new_sample, sample_devices

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ids = st.from_regex(r"[A-Za-z0-9]{1,40}", fullmatch=True)
user_ids = st.from_regex(r"[a-zA-Z0-9_.,@-]{1,64}", fullmatch=True)


@st.composite
def discovery_events(draw):
    devices = sample_devices(draw(st.integers(min_value=1, max_value=12)))
    for device in devices:
        device["ConnectorDeviceId"] = (
            draw(st.from_regex(r"[a-zA-Z0-9_.,@-]{1,40}", fullmatch=True)) + device["ConnectorDeviceId"]
        )
    return discovery_event(draw(ids), draw(user_ids), devices, final=draw(st.booleans()))


@SETTINGS
@given(
    kind=st.sampled_from([k for k in KINDS if k != "response"]),
    general=st.booleans(),
    devices=st.integers(0, 15),
)
def test_every_generated_sample_is_valid(kind, general, devices) -> None:
    report = validate_document(new_sample(kind, devices=devices, general_auth=general), kind)
    assert report.valid, [v.to_json() for v in report.violations]


@SETTINGS
@given(discovery_events())
def test_generated_discovery_events_are_valid(event) -> None:
    assert validate_document(event).valid


def _first_cluster(event):
    return event["Devices"][0]["CapabilityReport"]["endpoints"][0]["clusters"][0]


MUTATIONS = {
    "drop DeviceDiscoveryId": (lambda e: e.pop("DeviceDiscoveryId"), "$.DeviceDiscoveryId"),
    "drop ConnectorDeviceId": (
        lambda e: e["Devices"][0].pop("ConnectorDeviceId"),
        "$.Devices[0].ConnectorDeviceId",
    ),
    "break version pattern": (
        lambda e: e["Devices"][0]["CapabilityReport"].__setitem__("version", "1.0"),
        "$.Devices[0].CapabilityReport.version",
    ),
    "exceed UserId max": (lambda e: e.__setitem__("UserId", "u" * 65), "$.UserId"),
    "wrong StatusCode type": (lambda e: e.__setitem__("StatusCode", "200"), "$.StatusCode"),
    "bool as integer": (
        lambda e: _first_cluster(e).__setitem__("revision", True),
        "$.Devices[0].CapabilityReport.endpoints[0].clusters[0].revision",
    ),
    "cluster id not hex": (
        lambda e: _first_cluster(e).__setitem__("id", "OnOff"),
        "$.Devices[0].CapabilityReport.endpoints[0].clusters[0].id",
    ),
    "bad operation": (lambda e: e.__setitem__("Operation", "DEVICE_FOO"), "$.Operation"),
}


@SETTINGS
@given(event=discovery_events(), mutation=st.sampled_from(sorted(MUTATIONS)))
def test_single_mutations_are_reported_at_their_path(event, mutation) -> None:
    mutate, path = MUTATIONS[mutation]
    broken = copy.deepcopy(event)
    mutate(broken)
    report = validate_document(broken, "event.device-discovery")
    assert not report.valid
    assert path in {v.path for v in report.violations if v.severity == "error"}


@SETTINGS
@given(event=discovery_events())
def test_unknown_cluster_is_a_warning_at_its_path(event) -> None:
    _first_cluster(event)["id"] = "0x7ff0"
    report = validate_document(event)
    path = "$.Devices[0].CapabilityReport.endpoints[0].clusters[0]"
    assert any(v.path.startswith(path) and v.severity == "warning" for v in report.violations)
    assert not validate_document(event, strict=True).valid


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)
keys = st.sampled_from(
    ["header", "payload", "Operation", "Devices", "MatterEndpoint", "auth", "endpoints", "clusters"]
)


@settings(max_examples=300, deadline=None)
@given(doc=json_values, kind=st.sampled_from([None, *KINDS]))
def test_validator_never_raises_on_arbitrary_json(doc, kind) -> None:
    report = validate_document(doc, kind)
    json.dumps(report.to_json())


@settings(max_examples=200, deadline=None)
@given(
    doc=st.recursive(
        json_values,
        lambda inner: st.dictionaries(keys, inner, max_size=5) | st.lists(inner, max_size=3),
        max_leaves=40,
    ),
    op=st.sampled_from(["DEVICE_DISCOVERY", "DEVICE_EVENT", "DEVICE_COMMAND_RESPONSE", "AWS.SendCommand"]),
)
def test_validator_never_raises_on_contract_shaped_garbage(doc, op) -> None:
    if isinstance(doc, dict):
        doc = (
            {**doc, "Operation": op}
            if op.startswith("DEVICE")
            else {"header": doc, "payload": {"operationName": op, **doc}}
        )
    validate_document(doc)

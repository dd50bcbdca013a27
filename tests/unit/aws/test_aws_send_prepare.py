"""Events to send: kinds and aliases, ConnectorId moved to the path, strict validation, capture files."""

from __future__ import annotations

import json

import pytest

from c2c_cli.aws.send import collect_events, load_simulation, prepare_event, resolve_kind
from c2c_cli.contract.samples import new_sample
from c2c_cli.errors import ContractError, UsageError


@pytest.mark.parametrize(
    ("alias", "kind"),
    [
        ("discovery", "event.device-discovery"),
        ("command-response", "event.device-command-response"),
        ("device-event", "event.device-event"),
        ("command-request", "event.device-command-request"),
        ("event.device-event", "event.device-event"),
    ],
)
def test_kind_aliases(alias, kind) -> None:
    assert resolve_kind(alias) == kind


@pytest.mark.parametrize("kind", ["activate-user.request", "nope"])
def test_non_event_kinds_are_refused(kind) -> None:
    with pytest.raises(UsageError, match="unknown event kind"):
        resolve_kind(kind)


def test_connector_id_moves_from_the_body_to_the_path() -> None:
    body = {**new_sample("event.device-event"), "ConnectorId": "from-body"}
    event = prepare_event(body, "event.device-event", None)
    assert event.params["ConnectorId"] == "from-body" and event.warnings
    flagged = prepare_event(body, "event.device-event", "from-flag")
    assert flagged.params["ConnectorId"] == "from-flag"


@pytest.mark.parametrize("connector_id", [None, "bad id!"])
def test_a_missing_or_malformed_connector_id_is_a_usage_error(connector_id) -> None:
    with pytest.raises(UsageError):
        prepare_event(new_sample("event.device-event"), "event.device-event", connector_id)


def test_invalid_events_are_refused_listing_every_violation() -> None:
    with pytest.raises(ContractError, match=r"\$\.StatusCode") as info:
        collect_events("device-event", connector_id="c1", assignments=["StatusCode=600", "Message=a'b"])
    assert "$.Message" in info.value.message
    sent = collect_events("device-event", connector_id="c1", assignments=["StatusCode=600"], validate=False)
    assert sent[0].params["StatusCode"] == 600


def test_a_wrong_operation_for_the_kind_is_refused() -> None:
    with pytest.raises(ContractError, match="expected DEVICE_EVENT"):
        collect_events("device-event", connector_id="c1", assignments=["Operation=DEVICE_COMMAND_RESPONSE"])


def test_simulation_capture(tmp_path) -> None:
    path = tmp_path / "capture.json"
    path.write_text(json.dumps({"events": [{"body": new_sample("event.device-discovery"), "at": 1}]}))
    assert load_simulation(path)[0]["Operation"] == "DEVICE_DISCOVERY"
    (event,) = collect_events("discovery", connector_id="c1", from_simulation=path)
    assert event.params["ConnectorId"] == "c1"
    with pytest.raises(UsageError, match=r"no event\.device-event events"):
        collect_events("device-event", connector_id="c1", from_simulation=path)


@pytest.mark.parametrize("text", ["[]", '{"events": [1]}', "not json"])
def test_malformed_captures_are_usage_errors(tmp_path, text) -> None:
    path = tmp_path / "capture.json"
    path.write_text(text)
    with pytest.raises(UsageError):
        load_simulation(path)

"""Every vector in ../shared/spec/vectors gets the verdict its README predicts."""

import json
from pathlib import Path

import pytest

from c2c_cli.contract import validate_document, validate_input

VECTORS = Path(__file__).resolve().parents[4] / "shared" / "spec" / "vectors"

# file -> (kind, valid?, paths that must have errors, rules that must appear among warnings)
LAMBDA = {
    "generic.request.oauth.json": (
        "send-command.request",
        False,
        {"$.payload.connectorDeviceId", "$.payload.traceId", "$.payload.endpoints"},
        set(),
    ),
    "generic.request.general_auth.json": (
        "send-command.request",
        False,
        {"$.header.auth.secretsManager.arn", "$.header.auth.secretsManager.versionId", "$.payload.traceId"},
        set(),
    ),
    "generic.response.json": ("response", True, set(), set()),
    "general_authorization.discover_devices.request.json": (
        "discover-devices.request",
        False,
        {"$.payload.deviceDiscoveryId"},
        set(),
    ),
    "general_authorization.discover_devices.request.oauth_comparison.json": (
        "discover-devices.request",
        False,
        {"$.payload.deviceDiscoveryId"},
        set(),
    ),
    "activate_user.request.oauth.json": ("activate-user.request", True, set(), set()),
    "activate_user.request.general_auth.json": (
        "activate-user.request",
        False,
        {"$.header.auth.secretsManager.arn", "$.header.auth.secretsManager.versionId"},
        set(),
    ),
    "activate_user.response.json": ("activate-user.response", True, set(), set()),
    "discover_devices.request.oauth.json": ("discover-devices.request", True, set(), set()),
    "discover_devices.request.general_auth.json": (
        "discover-devices.request",
        False,
        {"$.header.auth.secretsManager.arn", "$.header.auth.secretsManager.versionId"},
        set(),
    ),
    "discover_devices.response.json": ("response", True, set(), set()),
    "send_command.request.oauth.json": ("send-command.request", True, set(), {"matter.numeric-string"}),
    "send_command.request.general_auth.json": (
        "send-command.request",
        False,
        {"$.header.auth.secretsManager.arn", "$.header.auth.secretsManager.versionId"},
        {"matter.numeric-string"},
    ),
    "send_command.response.json": ("response", True, set(), set()),
    "deactivate_user.request.oauth.json": ("deactivate-user.request", True, set(), set()),
    "deactivate_user.request.general_auth.json": ("deactivate-user.request", True, set(), set()),
    "send_connector_event.device_discovery.json": (
        "event.device-discovery",
        False,
        {"$.Message"},
        {"event.connector-id-in-body"},
    ),
    "send_connector_event.device_event.json": (
        "event.device-event",
        True,
        set(),
        {"matter.attributes-list-shape", "matter.numeric-string"},
    ),
    "send_connector_event.device_command_response.json": (
        "event.device-command-response",
        False,
        {"$.MatterEndpoint.clusters[0].commands"},
        set(),
    ),
    "send_connector_event.device_command_response.model_conformant.json": (
        "event.device-command-response",
        True,
        set(),
        {"matter.numeric-string"},
    ),
}

# Registration requests (boto3-keyword form): operation -> expected failing paths (empty = valid)
API = {
    "create_cloud_connector.request.json": ("CreateCloudConnector", {"$.EndpointConfig.lambda.arn"}),
    "create_connector_destination.request.json": (
        "CreateConnectorDestination",
        {
            "$.AuthConfig.oAuth.tokenUrl",
            "$.CloudConnectorId",
            "$.SecretsManager.arn",
            "$.SecretsManager.versionId",
            "$.ClientToken",
        },
    ),
    "create_account_association.request.json": (
        "CreateAccountAssociation",
        {"$.ConnectorDestinationId", "$.ClientToken"},
    ),
    "start_device_discovery.request.json": ("StartDeviceDiscovery", {"$.AccountAssociationId"}),
    "create_managed_thing.request.json": ("CreateManagedThing", set()),
    "register_account_association.request.json": ("RegisterAccountAssociation", set()),
}


def test_every_vector_is_covered() -> None:
    on_disk = {p.name for p in VECTORS.glob("*.json")}
    assert on_disk == set(LAMBDA) | set(API)


@pytest.mark.parametrize("name", sorted(LAMBDA))
def test_lambda_and_event_vectors_get_their_readme_verdict(name: str) -> None:
    kind, valid, error_paths, warning_rules = LAMBDA[name]
    report = validate_document(json.loads((VECTORS / name).read_text()))
    assert report.kind == kind
    assert report.valid is valid, [v.to_json() for v in report.violations]
    errors = {v.path for v in report.violations if v.severity == "error"}
    assert error_paths <= errors, errors
    if valid:
        assert not errors
    warnings = {v.rule for v in report.violations if v.severity == "warning"}
    assert warning_rules <= warnings, warnings


@pytest.mark.parametrize("name", sorted(API))
def test_registration_vectors_get_their_readme_verdict(name: str) -> None:
    operation, failing = API[name]
    found = validate_input(operation, json.loads((VECTORS / name).read_text()))
    assert {v.path for v in found} == failing, [v.to_json() for v in found]

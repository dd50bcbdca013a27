"""Routes compiled from the model's requestUri templates."""

from __future__ import annotations

import pytest

from c2c_cli.contract import model
from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.routes import error_status, find_route, parse_params, routes


def test_every_model_operation_has_a_route():
    assert {r.operation for r in routes()} == set(model()["x-operations"])


@pytest.mark.parametrize(
    ("method", "path", "operation", "status"),
    [
        ("POST", "/connector-event/abc", "SendConnectorEvent", 202),
        ("POST", "/cloud-connectors", "CreateCloudConnector", 201),
        ("GET", "/cloud-connectors/x1", "GetCloudConnector", 200),
        ("PUT", "/connector-destinations/d1", "UpdateConnectorDestination", 204),
        ("PUT", "/managed-thing-associations/register", "RegisterAccountAssociation", 201),
        ("POST", "/account-associations/a1/refresh", "StartAccountAssociationRefresh", 200),
    ],
)
def test_routing(method, path, operation, status):
    route = find_route(method, path)
    assert (route.operation, route.status) == (operation, status)


def test_route_matches_every_model_template():
    for route in routes():
        uri = model()["x-operations"][route.operation]["http"]["requestUri"].split("?")[0]
        concrete = uri.replace("{", "").replace("}", "")
        assert find_route(route.method, concrete).pattern.fullmatch(concrete)


def test_unknown_route():
    with pytest.raises(ApiError) as info:
        find_route("PATCH", "/cloud-connectors")
    assert info.value.code == "UnknownOperationException"


def test_params_merge_path_query_and_body():
    route = find_route("GET", "/cloud-connectors")
    assert parse_params(route, "/cloud-connectors", "MaxResults=5&Type=LISTED&LambdaArn=arn%3Aa", b"") == {
        "MaxResults": 5,
        "Type": "LISTED",
        "LambdaArn": "arn:a",
    }
    event = find_route("POST", "/connector-event/c%2D1")
    assert parse_params(event, "/connector-event/c%2D1", "", b'{"Operation": "X"}') == {
        "Operation": "X",
        "ConnectorId": "c-1",
    }


def test_query_wire_names_are_translated():
    route = next(r for r in routes() if r.operation == "ListSchemaVersions")
    assert route.query.get("SchemaIdFilter") == "SchemaId"


@pytest.mark.parametrize("body", [b"[1]", b"{oops"])
def test_bad_bodies(body):
    route = find_route("POST", "/cloud-connectors")
    with pytest.raises(ApiError) as info:
        parse_params(route, "/cloud-connectors", "", body)
    assert info.value.code == "ValidationException"


def test_error_status_from_model():
    assert error_status("ThrottlingException") == 429
    assert error_status("ResourceNotFoundException") == 404
    assert error_status("NoSuchError") is None

"""MaxResults / NextToken of the List* operations, as botocore's model says (issue 16, item 5).

Bounds and token constraints are read from botocore's ``iot-managed-integrations`` model, not copied;
the real boto3 client talks to a running emulator, and botocore's own paginators walk the pages.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config

from c2c_cli.emulator.operations.paging import DEFAULT_PAGE_SIZE

DEVICE: dict[str, Any] = {
    "ConnectorDeviceName": "Lamp",
    "CapabilityReport": {
        "version": "1.0.0",
        "nodeId": "1",
        "endpoints": [
            {
                "id": "1",
                "deviceTypes": ["0x0100"],
                "clusters": [
                    {
                        "id": "0x0006",
                        "revision": 4,
                        "publicId": "matter.OnOff@1.4",
                        "attributes": [{"id": "0x0000", "value": True}],
                        "commands": ["0x00", "0x01"],
                    }
                ],
            }
        ],
    },
}
#: The List* operations the emulator serves, with the arguments each needs and the member of its items.
EMULATED = {
    "ListCloudConnectors": ({}, "Items"),
    "ListConnectorDestinations": ({}, "ConnectorDestinationList"),
    "ListAccountAssociations": ({}, "Items"),
    "ListManagedThings": ({}, "Items"),
    "ListDiscoveredDevices": ({"Identifier": "discovery"}, "Items"),
}


def _model() -> Any:
    return botocore.session.get_session().get_service_model("iot-managed-integrations")


def _member(operation: str, name: str) -> Any:
    return _model().operation_model(operation).input_shape.members[name]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _client(emu: Any, validate: bool = True) -> Any:
    """A boto3 client; ``validate=False`` skips botocore's own checks (it refuses MaxResults below 1)."""
    return boto3.client(
        "iot-managed-integrations",
        endpoint_url=emu.endpoint_url,
        region_name=emu.region,
        aws_access_key_id=emu.account.access_key_id,
        aws_secret_access_key=emu.account.secret_access_key,
        config=Config(parameter_validation=validate, retries={"total_max_attempts": 1}),
    )


def _discovery(client: Any, emu: Any, connector: str, count: int, prefix: str = "dev") -> str:
    """A finished discovery of ``count`` devices, sent as 3xx pages of 100 and a final 200 page."""
    did = emu.open_discovery(connector)
    ids = [f"{prefix}-{n:05d}" for n in range(count)]
    chunks = [ids[i : i + 100] for i in range(0, count, 100)] or [[]]
    for n, chunk in enumerate(chunks):
        client.send_connector_event(
            ConnectorId=connector,
            Operation="DEVICE_DISCOVERY",
            OperationVersion="1.0",
            StatusCode=200 if n == len(chunks) - 1 else 300,
            UserId="user-1",
            DeviceDiscoveryId=did,
            Devices=[{**copy.deepcopy(DEVICE), "ConnectorDeviceId": cdid} for cdid in chunk],
        )
    return str(did)


@pytest.fixture(scope="module")
def discoveries(emu: Any) -> dict[str, str]:
    """Two finished discoveries of one connector: ``big`` (250 devices) and ``small`` (3)."""
    client = _client(emu)
    arn = f"arn:aws:lambda:{emu.region}:{emu.account.account_id}:function:paging"
    connector = client.create_cloud_connector(Name="paging", EndpointConfig={"lambda": {"arn": arn}})["Id"]
    return {
        "connector": connector,
        "big": _discovery(client, emu, connector, 250),
        "small": _discovery(client, emu, connector, 3, prefix="other"),
    }


@pytest.mark.parametrize("operation", sorted(EMULATED))
def test_max_results_bounds_come_from_the_model(emu, discoveries, error_of, operation):
    shape = _member(operation, "MaxResults")
    low, high = shape.metadata["min"], shape.metadata["max"]
    assert (shape.type_name, low, high) == ("integer", 1, 1000)  # the model as of botocore 1.44
    args, key = EMULATED[operation]
    args = dict.fromkeys(args, discoveries["big"])
    method = getattr(_client(emu, validate=False), _snake(operation))
    for bad in (low - 1, high + 1):
        code, status, response = error_of(lambda bad=bad: method(MaxResults=bad, **args))
        assert (code, status) == ("ValidationException", 400)
        assert "MaxResults" in response["Error"]["Message"]
    for good in (low, high):
        assert len(method(MaxResults=good, **args)[key]) <= good


@pytest.mark.parametrize("operation", sorted(EMULATED))
def test_next_token_constraints_come_from_the_model(emu, discoveries, error_of, operation):
    shape = _member(operation, "NextToken")
    low, high, pattern = shape.metadata["min"], shape.metadata["max"], shape.metadata["pattern"]
    assert (low, high, pattern) == (1, 65535, "[a-zA-Z0-9=_-]+")  # the model as of botocore 1.44
    args = dict.fromkeys(EMULATED[operation][0], discoveries["big"])
    method = getattr(_client(emu, validate=False), _snake(operation))
    for bad in ("not/valid!", ""):
        code, status, response = error_of(lambda bad=bad: method(NextToken=bad, **args))
        assert (code, status) == ("ValidationException", 400)
        assert "NextToken" in response["Error"]["Message"]


@pytest.mark.parametrize("operation", sorted(EMULATED))
def test_next_token_above_the_maximum_length_is_refused(operation):
    # 64 KiB does not fit an HTTP request line of the local server: checked where the emulator checks it.
    from c2c_cli.contract import validate_input

    high = _member(operation, "NextToken").metadata["max"]
    args = dict.fromkeys(EMULATED[operation][0], "discovery")
    assert [v.path for v in validate_input(operation, {**args, "NextToken": "A" * high})] == []
    [violation] = validate_input(operation, {**args, "NextToken": "A" * (high + 1)})
    assert violation.path.endswith("NextToken")


def test_discovered_devices_page_through_with_botocores_paginator(client, discoveries):
    pages = list(
        client.get_paginator("list_discovered_devices").paginate(
            Identifier=discoveries["big"], PaginationConfig={"PageSize": 7}
        )
    )
    ids = [d["ConnectorDeviceId"] for page in pages for d in page["Items"]]
    assert ids == [f"dev-{n:05d}" for n in range(250)]
    assert [len(p["Items"]) for p in pages] == [7] * 35 + [5]
    assert "NextToken" not in pages[-1]


def test_default_page_size_and_max_page(client, discoveries):
    first = client.list_discovered_devices(Identifier=discoveries["big"])
    assert len(first["Items"]) == DEFAULT_PAGE_SIZE
    whole = client.list_discovered_devices(Identifier=discoveries["big"], MaxResults=1000)
    assert len(whole["Items"]) == 250
    assert "NextToken" not in whole


def test_tokens_match_the_model_and_are_opaque(client, discoveries):
    shape = _member("ListDiscoveredDevices", "NextToken")
    tokens = [
        client.list_discovered_devices(Identifier=discoveries["big"], MaxResults=10)["NextToken"]
        for _ in range(3)
    ]
    for token in tokens:
        assert re.fullmatch(shape.metadata["pattern"], token)
        assert shape.metadata["min"] <= len(token) <= shape.metadata["max"]
    assert len(set(tokens)) == 3  # the same position, three different tokens
    resumed = [client.list_discovered_devices(Identifier=discoveries["big"], NextToken=t) for t in tokens]
    assert {r["Items"][0]["ConnectorDeviceId"] for r in resumed} == {"dev-00010"}


def _tampered(token: str) -> str:
    middle = len(token) // 2
    return token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]


def test_forged_and_foreign_tokens_are_refused(client, other_client, discoveries, error_of):
    token = client.list_discovered_devices(Identifier=discoveries["big"], MaxResults=10)["NextToken"]
    refused = [
        lambda: client.list_discovered_devices(Identifier=discoveries["small"], NextToken=token),
        lambda: client.list_discovered_devices(Identifier=discoveries["big"], NextToken=_tampered(token)),
        lambda: client.list_discovered_devices(Identifier=discoveries["big"], NextToken="MTA="),  # b64 "10"
        lambda: client.list_managed_things(NextToken=token),
        lambda: client.list_cloud_connectors(NextToken=token),
        lambda: other_client.list_cloud_connectors(NextToken=token),
    ]
    for call in refused:
        code, status, response = error_of(call)
        assert (code, status) == ("ValidationException", 400)
        assert "NextToken" in response["Error"]["Message"]
    # MaxResults may change between pages (as AWS allows): the token still resumes this query.
    again = client.list_discovered_devices(Identifier=discoveries["big"], NextToken=token, MaxResults=3)
    assert [d["ConnectorDeviceId"] for d in again["Items"]] == ["dev-00010", "dev-00011", "dev-00012"]


def _things(client: Any, discovery: str, count: int) -> list[str]:
    listed = client.list_discovered_devices(Identifier=discovery, MaxResults=count)["Items"]
    made = []
    for n, item in enumerate(listed):
        made.append(
            client.create_managed_thing(
                Role="DEVICE",
                AuthenticationMaterial=item["AuthenticationMaterial"],
                AuthenticationMaterialType="DISCOVERED_DEVICE",
                Owner=f"owner-{n % 2}",
            )["Id"]
        )
    return made


def test_managed_things_page_per_filter(client, discoveries, error_of):
    made = _things(client, discoveries["big"], 9)
    pages = list(
        client.get_paginator("list_managed_things").paginate(
            OwnerFilter="owner-0", PaginationConfig={"PageSize": 2}
        )
    )
    assert [t["Id"] for p in pages for t in p["Items"]] == made[0::2]
    assert [len(p["Items"]) for p in pages] == [2, 2, 1]
    token = client.list_managed_things(OwnerFilter="owner-0", MaxResults=2)["NextToken"]
    for other in ({"OwnerFilter": "owner-1"}, {}, {"OwnerFilter": "owner-0", "RoleFilter": "DEVICE"}):
        code, _, _ = error_of(lambda other=other: client.list_managed_things(NextToken=token, **other))
        assert code == "ValidationException"
    devices = client.list_discovered_devices(Identifier=discoveries["big"], MaxResults=10)["Items"]
    assert [d.get("ManagedThingId") for d in devices] == [*made, None]


def test_tokens_survive_a_restart_of_a_file_database(tmp_path, make_client):
    from c2c_cli.emulator import EmulatorSettings, start_emulator

    settings = EmulatorSettings(port=0, db=str(tmp_path / "emu.db"), with_moto=False)
    arn = "arn:aws:lambda:us-east-1:123456789012:function:{}"
    with start_emulator(settings) as first:
        client = make_client(first)
        for n in range(3):
            client.create_cloud_connector(Name=f"c{n}", EndpointConfig={"lambda": {"arn": arn.format(n)}})
        token = client.list_cloud_connectors(MaxResults=2)["NextToken"]
    with start_emulator(settings) as second:
        rest = make_client(second).list_cloud_connectors(NextToken=token)
    assert [c["Name"] for c in rest["Items"]] == ["c2"]


def test_a_reopened_run_lists_only_its_new_devices(client, emu, discoveries):
    did = _discovery(client, emu, discoveries["connector"], 120, prefix="old")
    emu.open_discovery(discoveries["connector"], discovery_id=did)  # as the simulator's replays do
    assert client.list_discovered_devices(Identifier=did)["Items"] == []  # RUNNING: nothing yet
    client.send_connector_event(
        ConnectorId=discoveries["connector"],
        Operation="DEVICE_DISCOVERY",
        OperationVersion="1.0",
        StatusCode=200,
        UserId="user-1",
        DeviceDiscoveryId=did,
        Devices=[{**copy.deepcopy(DEVICE), "ConnectorDeviceId": "new-1"}],
    )
    assert [d["ConnectorDeviceId"] for d in client.list_discovered_devices(Identifier=did)["Items"]] == [
        "new-1"
    ]


@pytest.mark.parametrize(
    ("operation", "key", "member", "parent"),
    [
        ("ListConnectorDestinations", "ConnectorDestinationList", "Id", "CloudConnectorId"),
        ("ListAccountAssociations", "Items", "AccountAssociationId", "ConnectorDestinationId"),
    ],
)
def test_every_list_pages_per_filter_with_botocores_paginator(
    client, connector, destination, oauth_config, secret_ref, error_of, operation, key, member, parent
):
    def make() -> str:
        if parent == "CloudConnectorId":
            return str(
                client.create_connector_destination(
                    CloudConnectorId=connector,
                    AuthType="OAUTH",
                    AuthConfig={"oAuth": oauth_config},
                    SecretsManager=secret_ref,
                )["Id"]
            )
        return str(
            client.create_account_association(ConnectorDestinationId=destination)["AccountAssociationId"]
        )

    scope = connector if parent == "CloudConnectorId" else destination
    made = [make() for _ in range(5)]
    pages = list(
        client.get_paginator(_snake(operation)).paginate(**{parent: scope}, PaginationConfig={"PageSize": 2})
    )
    listed = [item[member] for page in pages for item in page[key]]
    assert listed[-5:] == made and len(listed) == len(set(listed))
    token = getattr(client, _snake(operation))(**{parent: scope}, MaxResults=2)["NextToken"]
    code, _, _ = error_of(lambda: getattr(client, _snake(operation))(NextToken=token))  # another filter
    assert code == "ValidationException"


def test_a_deleted_thing_leaves_its_device_free_again(client, emu, discoveries, error_of):
    did = _discovery(client, emu, discoveries["connector"], 2, prefix="solo")
    first = client.list_discovered_devices(Identifier=did)["Items"][0]

    def create() -> str:
        return str(
            client.create_managed_thing(
                Role="DEVICE",
                AuthenticationMaterial=first["AuthenticationMaterial"],
                AuthenticationMaterialType="DISCOVERED_DEVICE",
            )["Id"]
        )

    thing = create()
    assert client.list_discovered_devices(Identifier=did)["Items"][0]["ManagedThingId"] == thing
    assert error_of(create)[0] == "ConflictException"  # one thing per device and association
    client.delete_managed_thing(Identifier=thing)
    assert "ManagedThingId" not in client.list_discovered_devices(Identifier=did)["Items"][0]
    again = create()
    assert client.list_discovered_devices(Identifier=did)["Items"][0]["ManagedThingId"] == again != thing

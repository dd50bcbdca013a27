"""A plain boto3 customer discovers an account larger than one invocation (issue 16): the emulator runs
the connector's continuation (its Lambda Invoke of itself, InvocationType Event) until the final page.
The connector is tests/fixtures/continuation; the vendor a sandbox with 1,000 devices per user."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from c2c_cli.emulator import Emulator
from c2c_cli.sandbox import Sandbox, SandboxSettings, start_sandbox

from .conftest import boto, browse, make_emulator, setup_destination, wait_for

PROJECT = Path(__file__).resolve().parents[2] / "fixtures" / "continuation"
pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def big_sandbox() -> Iterator[Sandbox]:
    with start_sandbox(SandboxSettings(port=0, users=("alice",), devices_per_user=1000)) as sb:
        yield sb


@pytest.fixture(scope="module")
def emu_dup() -> Iterator[Emulator]:
    """Every Event invocation delivered twice (at-least-once), retries without delay."""
    with make_emulator(async_duplicate_rate=1.0, async_retry_delays=(0.0, 0.0), seed=3) as emulator:
        yield emulator


def _linked(emulator: Emulator, sandbox: Sandbox, **switches: str) -> tuple[object, str, str]:
    function = f"cont-{uuid.uuid4().hex[:10]}"
    connector_id, destination_id = setup_destination(emulator, sandbox, function)
    env = {"VENDOR_API_URL": sandbox.base_url, **switches}
    emulator.attach_connector(
        function, PROJECT, handler="continuation:lambda_handler", webhook_handler=None, env=env
    )
    client = boto(emulator, "iot-managed-integrations")
    created = client.create_account_association(ConnectorDestinationId=destination_id)
    browse(created["OAuthAuthorizationUrl"])
    aid = created["AccountAssociationId"]
    state = client.get_account_association(AccountAssociationId=aid)["AssociationState"]
    assert state == "ASSOCIATION_SUCCEEDED"
    return client, aid, connector_id


def _all_devices(client: object, did: str) -> list[dict]:
    items, token = [], None
    while True:
        page = client.list_discovered_devices(Identifier=did, **({"NextToken": token} if token else {}))
        items += page["Items"]
        token = page.get("NextToken")
        if not token:
            return items


def _expected(sandbox: Sandbox) -> set[str]:
    devices = sandbox.devices_of(sandbox.user_id("alice"))
    return {d["id"] for d in devices if isinstance(d["state"].get("on"), bool)}  # what the fixture reports


@pytest.mark.parametrize("duplicates", [False, True])
def test_discovery_continues_across_invocations(
    big_sandbox: Sandbox, duplicates: bool, request: pytest.FixtureRequest
) -> None:
    emulator = request.getfixturevalue("emu_dup") if duplicates else request.getfixturevalue("emu_big")
    client, aid, connector_id = _linked(emulator, big_sandbox)
    did = client.start_device_discovery(DiscoveryType="CLOUD", AccountAssociationId=aid)["Id"]
    run = wait_for(
        lambda: (r := client.get_device_discovery(Identifier=did))["Status"] != "RUNNING" and r, 60
    )
    assert run["Status"] == "SUCCEEDED"
    ids = [d["ConnectorDeviceId"] for d in _all_devices(client, did)]
    assert len(ids) == len(set(ids)) and set(ids) == _expected(big_sandbox)
    wait_for(lambda: emulator.wait_invocations(5), 10)
    records = [r for r in emulator.events(connector_id) if r.get("invocation_type") == "Event"]
    assert records and all(r["verdict"] == "ok" for r in records)
    assert any(r["duplicate"] for r in records) is duplicates
    pages = [r for r in emulator.events(connector_id) if r.get("operation") == "DEVICE_DISCOVERY"]
    assert len(pages) == 10 and all(p["verdict"] == "accepted" for p in pages)  # never a page twice
    # the token is in every continuation's request: masked in the log
    token_free = [r["request"]["header"]["auth"]["token"] for r in records]
    assert set(token_free) == {"[REDACTED]"}


@pytest.fixture(scope="module")
def emu_big() -> Iterator[Emulator]:
    with make_emulator(async_retry_delays=(0.0, 0.0)) as emulator:
        yield emulator


def test_a_discovery_whose_final_page_never_comes_times_out(big_sandbox: Sandbox) -> None:
    with make_emulator(discovery_timeout_seconds=1.5, async_retry_delays=(0.0, 0.0)) as emulator:
        client, aid, _ = _linked(emulator, big_sandbox, FIXTURE_NO_FINAL_PAGE="1")
        did = client.start_device_discovery(DiscoveryType="CLOUD", AccountAssociationId=aid)["Id"]
        run = wait_for(
            lambda: (r := client.get_device_discovery(Identifier=did))["Status"] != "RUNNING" and r, 30
        )
        assert run["Status"] == "TIMED_OUT"


def test_the_rest_of_the_lambda_api_is_moto_behind_the_same_endpoint(emu_big: Emulator) -> None:
    """A worker's AWS_ENDPOINT_URL_LAMBDA is the emulator: GetFunction still reaches moto's function."""
    import boto3

    name = f"plain-{uuid.uuid4().hex[:8]}"
    emu_big.attach_connector(name, PROJECT, handler="continuation:lambda_handler", webhook_handler=None)
    client = boto3.client(
        "lambda",
        endpoint_url=emu_big.endpoint_url,
        region_name=emu_big.region,
        aws_access_key_id=emu_big.account.access_key_id,
        aws_secret_access_key=emu_big.account.secret_access_key,
    )
    found = client.get_function(FunctionName=name)["Configuration"]
    assert found["FunctionName"] == name and found["Handler"] == "continuation.lambda_handler"
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_function(FunctionName="no-such-function-here")
    logged = [r for r in emu_big.requests() if r.get("operation") == "Lambda" and r["server"] == "emulator"]
    assert logged and logged[-1]["http_status"] == 404


ON_OFF = {"id": "matter.OnOff@1.4", "name": "OnOff", "version": "1"}


def test_concurrent_commands_run_in_workers_of_their_own(emu_big: Emulator, big_sandbox: Sandbox) -> None:
    """Four SendManagedThingCommands at once (the lifecycle invokes them side by side): every device toggled."""
    from concurrent.futures import ThreadPoolExecutor

    client, aid, connector_id = _linked(emu_big, big_sandbox)
    did = client.start_device_discovery(DiscoveryType="CLOUD", AccountAssociationId=aid)["Id"]
    wait_for(lambda: client.get_device_discovery(Identifier=did)["Status"] == "SUCCEEDED", 60)
    devices = _all_devices(client, did)[:4]
    things = []
    for device in devices:
        thing = client.create_managed_thing(
            Role="DEVICE",
            AuthenticationMaterial=device["AuthenticationMaterial"],
            AuthenticationMaterialType="DISCOVERED_DEVICE",
        )["Id"]
        client.register_account_association(
            ManagedThingId=thing, AccountAssociationId=aid, DeviceDiscoveryId=did
        )
        things.append((thing, device["ConnectorDeviceId"]))
    action = [{"endpointId": "1", "capabilities": [{**ON_OFF, "actions": [{"name": "Toggle"}]}]}]
    before = {d: big_sandbox.device(d)["state"]["on"] for _, d in things}

    def send(thing: str) -> str:
        return str(client.send_managed_thing_command(ManagedThingId=thing, Endpoints=action)["TraceId"])

    with ThreadPoolExecutor(4) as pool:
        traces = list(pool.map(send, [t for t, _ in things]))

    def done() -> list[dict]:
        found = [
            r
            for r in emu_big.events(connector_id)
            if r.get("kind") == "invocation" and r.get("operation") == "AWS.SendCommand"
        ]
        return found if len(found) == 4 else []

    records = wait_for(done, 30)
    assert {r["request"]["payload"]["traceId"] for r in records} == set(traces)
    assert all(r["verdict"] == "ok" for r in records)
    big_sandbox.wait_idle(2.0)
    assert {d: big_sandbox.device(d)["state"]["on"] for _, d in things} == {
        d: not on for d, on in before.items()
    }
    responses = [r for r in emu_big.events(connector_id) if r.get("operation") == "DEVICE_COMMAND_RESPONSE"]
    assert {r["body"]["TraceId"] for r in responses} >= set(traces)


def test_the_template_connector_discovers_a_large_account_for_a_boto3_customer(
    big_sandbox: Sandbox, emu_dup: Emulator, tmp_path: Path
) -> None:
    """The ``c2c init`` connector itself: continuations through the emulator's Lambda Invoke (each Event
    delivered twice), its state in template.yaml's table in moto, two vendor pages per invocation."""
    from c2c_cli.scaffold.render import render_project

    function = f"tpl-{uuid.uuid4().hex[:10]}"
    project = tmp_path / "acme"
    render_project("oauth2", project, name=function, vendor_url=big_sandbox.base_url)
    connector_id, destination_id = setup_destination(emu_dup, big_sandbox, function)
    env = {"VENDOR_API_URL": big_sandbox.base_url, "MAX_PAGES_PER_INVOCATION": "2"}
    emu_dup.attach_connector(function, project, webhook_handler=None, env=env)
    client = boto(emu_dup, "iot-managed-integrations")
    created = client.create_account_association(ConnectorDestinationId=destination_id)
    browse(created["OAuthAuthorizationUrl"])
    aid = created["AccountAssociationId"]
    assert (
        client.get_account_association(AccountAssociationId=aid)["AssociationState"]
        == "ASSOCIATION_SUCCEEDED"
    )

    did = client.start_device_discovery(DiscoveryType="CLOUD", AccountAssociationId=aid)["Id"]
    run = wait_for(
        lambda: (r := client.get_device_discovery(Identifier=did))["Status"] != "RUNNING" and r, 90
    )

    assert run["Status"] == "SUCCEEDED"
    ids = [d["ConnectorDeviceId"] for d in _all_devices(client, did)]
    vendor = {d["id"] for d in big_sandbox.devices_of(big_sandbox.user_id("alice"))}
    assert len(ids) == len(set(ids)) and set(ids) == vendor  # every device, each once
    wait_for(lambda: emu_dup.wait_invocations(5), 10)
    records = emu_dup.events(connector_id)
    continuations = [r for r in records if r.get("invocation_type") == "Event"]
    assert len({r["seq"] for r in continuations}) >= 4  # 10 vendor pages, 2 per invocation
    assert any(r["duplicate"] for r in continuations)
    pages = [r for r in records if r.get("operation") == "DEVICE_DISCOVERY"]
    assert len(pages) == 10 and all(p["verdict"] == "accepted" for p in pages)  # never a page twice
    assert {r["request"]["header"]["auth"]["token"] for r in continuations} == {"[REDACTED]"}

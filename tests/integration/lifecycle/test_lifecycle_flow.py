"""The customer's whole flow against the emulator with boto3: link, discover, things, commands, unlink."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from c2c_cli.contract import validate_shape

ON_OFF = {"id": "matter.OnOff@1.4", "name": "OnOff", "version": "1"}


def _clean(response):
    """The response as the wire JSON was: no metadata, timestamps back to epoch seconds."""
    import datetime as dt

    def plain(value):
        if isinstance(value, dt.datetime):
            return value.timestamp()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return [plain(v) for v in value] if isinstance(value, list) else value

    return plain({k: v for k, v in response.items() if k != "ResponseMetadata"})


def _registered_thing(lnk, device_id="lamp-1"):
    run = lnk.discover()
    devices = lnk.client.list_discovered_devices(Identifier=run["Id"])["Items"]
    device = next(d for d in devices if d["ConnectorDeviceId"] == device_id)
    thing = lnk.client.create_managed_thing(
        Role="DEVICE",
        AuthenticationMaterial=device["AuthenticationMaterial"],
        AuthenticationMaterialType="DISCOVERED_DEVICE",
        Name=f"thing {device_id}",
    )["Id"]
    lnk.client.register_account_association(
        ManagedThingId=thing, AccountAssociationId=lnk.association_id, DeviceDiscoveryId=run["Id"]
    )
    return thing


def _on_off(client, thing):
    endpoints = client.get_managed_thing_state(ManagedThingId=thing)["Endpoints"]
    return endpoints[0]["capabilities"][0]["properties"].get("OnOff")


def test_linking_succeeds_and_redirects_to_the_complete_url(emu, link):
    lnk = link(emu)
    assert lnk.final_location == "https://app.example.com/linked"
    got = lnk.client.get_account_association(AccountAssociationId=lnk.association_id)
    assert got["AssociationState"] == "ASSOCIATION_SUCCEEDED"
    assert "ErrorMessage" not in got


def test_request_body_credentials_scheme_links(emu, link):
    lnk = link(emu, client=("post-client", "post-client-secret-0001", "REQUEST_BODY_CREDENTIALS"))
    assert lnk.final_location == "https://app.example.com/linked"


def test_wrong_client_auth_scheme_fails_with_an_error_redirect(emu, link):
    # The sandbox's post client accepts only client_secret_post (RFC 6749 §2.3.1).
    lnk = link(emu, client=("post-client", "post-client-secret-0001", "HTTP_BASIC"))
    query = parse_qs(urlsplit(lnk.final_location).query)
    assert query["error"] == ["server_error"]
    got = lnk.client.get_account_association(AccountAssociationId=lnk.association_id)
    assert got["AssociationState"] == "ASSOCIATION_FAILED"
    assert got["ErrorMessage"].startswith("token exchange failed")
    assert "post-client-secret-0001" not in got["ErrorMessage"]


def test_denied_consent_fails_the_association_and_redirects_with_error(emu, link):
    lnk = link(emu, consent=False)
    query = parse_qs(urlsplit(lnk.final_location).query)
    assert query["error"] == ["access_denied"]
    got = lnk.client.get_account_association(AccountAssociationId=lnk.association_id)
    assert (got["AssociationState"], "denied" in got["ErrorMessage"]) == ("ASSOCIATION_FAILED", True)


def test_activate_user_invocation_is_logged_without_the_token(emu, link):
    lnk = link(emu)
    records = [r for r in emu.events(lnk.connector_id) if r.get("kind") == "invocation"]
    activate = next(r for r in records if r["operation"] == "AWS.ActivateUser")
    assert activate["request"]["header"]["auth"]["token"] == "[REDACTED]"
    assert (activate["verdict"], activate["retries"], activate["http_status"]) == ("ok", 0, 200)
    assert activate["response"]["payload"]["userId"]


def test_discovery_accumulates_pages_and_flags_modifications(emu, link):
    lnk = link(emu)
    first = lnk.discover()
    assert first["Status"] == "SUCCEEDED"
    items = lnk.client.list_discovered_devices(Identifier=first["Id"])["Items"]
    assert sorted((i["ConnectorDeviceId"], i["Modification"]) for i in items) == [
        ("lamp-1", "DISCOVERED"),
        ("lamp-2", "DISCOVERED"),
    ]
    second = lnk.discover()
    again = lnk.client.list_discovered_devices(Identifier=second["Id"])["Items"]
    assert {i["Modification"] for i in again} == {"NO_CHANGE"}
    assert validate_shape("ListDiscoveredDevicesResponse", _clean({"Items": again})) == []
    assert validate_shape("GetDeviceDiscoveryResponse", _clean(second)) == []


def test_changed_device_is_flagged_updated(emu, link, fixture_dir):
    lnk = link(emu)
    lnk.discover()
    emu.attach_connector(
        lnk.function,
        fixture_dir,
        handler="lifecycle_fixture:handler",
        webhook_handler=None,
        env={"VENDOR_API_URL": lnk.sandbox.base_url, "FIXTURE_LAMP_ON": "true"},
    )
    run = lnk.discover()
    items = {
        i["ConnectorDeviceId"]: i["Modification"]
        for i in lnk.client.list_discovered_devices(Identifier=run["Id"])["Items"]
    }
    assert items == {"lamp-1": "UPDATED", "lamp-2": "NO_CHANGE"}


def test_managed_thing_shapes_parse_and_validate(emu, link):
    lnk = link(emu)
    thing = _registered_thing(lnk)
    got = _clean(lnk.client.get_managed_thing(Identifier=thing))
    assert (got["ProvisioningStatus"], got["ConnectorDeviceId"], got["Role"]) == (
        "ACTIVATED",
        "lamp-1",
        "DEVICE",
    )
    caps = _clean(lnk.client.get_managed_thing_capabilities(Identifier=thing))
    capability = caps["CapabilityReport"]["endpoints"][0]["capabilities"][0]
    assert (capability["id"], capability["actions"]) == ("matter.OnOff@1.4", ["Off", "On", "Toggle"])
    state = _clean(lnk.client.get_managed_thing_state(ManagedThingId=thing))
    listed = _clean(lnk.client.list_managed_things(ConnectorDeviceIdFilter="lamp-1"))
    for shape, body in (
        ("GetManagedThingResponse", got),
        ("GetManagedThingCapabilitiesResponse", caps),
        ("GetManagedThingStateResponse", state),
        ("ListManagedThingsResponse", listed),
    ):
        assert validate_shape(shape, body) == [], shape


def test_command_on_changes_state_through_the_command_response(emu, link, wait):
    lnk = link(emu)
    thing = _registered_thing(lnk)
    assert _on_off(lnk.client, thing) is False
    endpoints = [{"endpointId": "1", "capabilities": [{**ON_OFF, "actions": [{"name": "On"}]}]}]
    trace = lnk.client.send_managed_thing_command(ManagedThingId=thing, Endpoints=endpoints)["TraceId"]
    wait(lambda: _on_off(lnk.client, thing) is True)
    sent = next(
        r["request"]["payload"]
        for r in emu.events(lnk.connector_id)
        if r.get("kind") == "invocation" and r["operation"] == "AWS.SendCommand"
    )
    assert sent["traceId"] == trace
    assert sent["endpoints"] == [{"id": "1", "clusters": [{"id": "0x0006", "commands": [{"0x01": {}}]}]}]
    import requests

    commands = requests.get(
        emu.endpoint_url + "/_emulator/commands",
        headers={"X-C2C-Emulator-Token": emu.admin_token},
        timeout=10,
    ).json()["commands"]
    assert next(c["Status"] for c in commands if c["TraceId"] == trace) == "SUCCEEDED"


def test_update_state_is_sent_as_0xff01(emu, link, wait):
    lnk = link(emu)
    thing = _registered_thing(lnk)
    action = {"name": "UpdateState", "parameters": {"OnOff": True}}
    endpoints = [{"endpointId": "1", "capabilities": [{**ON_OFF, "actions": [action]}]}]
    lnk.client.send_managed_thing_command(ManagedThingId=thing, Endpoints=endpoints)
    wait(lambda: _on_off(lnk.client, thing) is True)


def test_unknown_action_is_a_validation_error(emu, link):
    import pytest
    from botocore.exceptions import ClientError

    lnk = link(emu)
    thing = _registered_thing(lnk)
    endpoints = [{"endpointId": "1", "capabilities": [{**ON_OFF, "actions": [{"name": "Explode"}]}]}]
    with pytest.raises(ClientError) as info:
        lnk.client.send_managed_thing_command(ManagedThingId=thing, Endpoints=endpoints)
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert "no action 'Explode'" in info.value.response["Error"]["Message"]


def test_delete_association_deactivates_the_user_and_removes_things(emu, link):
    lnk = link(emu)
    thing = _registered_thing(lnk)
    lnk.client.delete_account_association(AccountAssociationId=lnk.association_id)
    operations = [r["operation"] for r in emu.events(lnk.connector_id) if r.get("kind") == "invocation"]
    assert operations[-1] == "AWS.DeactivateUser"
    assert lnk.client.list_managed_things(ConnectorDeviceIdFilter="lamp-1")["Items"] == [] or all(
        t["Id"] != thing for t in lnk.client.list_managed_things()["Items"]
    )


def test_function_code_from_moto_runs_when_no_project_is_attached(emu, link):
    lnk = link(emu, deploy=True)
    got = lnk.client.get_account_association(AccountAssociationId=lnk.association_id)
    assert got["AssociationState"] == "ASSOCIATION_SUCCEEDED"
    assert lnk.discover()["Status"] == "SUCCEEDED"


def test_event_with_another_user_id_is_accepted_with_a_warning(emu, link):
    lnk = link(emu)
    thing = _registered_thing(lnk)
    developer = lnk.client  # same account registered the connector here
    endpoint = {"id": "1", "clusters": [{"id": "0x0006", "attributes": {"0x0000": True}}]}
    developer.send_connector_event(
        ConnectorId=lnk.connector_id,
        Operation="DEVICE_EVENT",
        OperationVersion="1.0",
        StatusCode=200,
        UserId="somebody-else",
        ConnectorDeviceId="lamp-1",
        MatterEndpoint=endpoint,
    )
    record = emu.events(lnk.connector_id)[-1]
    assert (record["verdict"], [v["rule"] for v in record["violations"]]) == ("accepted", ["C2C-EMU-USER"])
    assert _on_off(lnk.client, thing) is False  # not this association's user: state unchanged


def test_device_event_updates_state(emu, link):
    lnk = link(emu)
    thing = _registered_thing(lnk)
    user_id = next(
        r["response"]["payload"]["userId"]
        for r in emu.events(lnk.connector_id)
        if r.get("kind") == "invocation" and r["operation"] == "AWS.ActivateUser"
    )
    lnk.client.send_connector_event(
        ConnectorId=lnk.connector_id,
        Operation="DEVICE_EVENT",
        OperationVersion="1.0",
        StatusCode=200,
        UserId=user_id,
        ConnectorDeviceId="lamp-1",
        MatterEndpoint={"id": "1", "clusters": [{"id": "0x0006", "attributes": {"0x0000": True}}]},
    )
    assert _on_off(lnk.client, thing) is True


def test_general_authorization_association_is_activated_with_the_secret_reference(
    emu, aws, wait, fixture_dir
):
    import json
    import uuid

    function = f"fixture-ga-{uuid.uuid4().hex[:8]}"
    secret = aws(emu, "secretsmanager").create_secret(
        Name=f"{function}/key", SecretString=json.dumps({"k": "v"})
    )
    ref = {"arn": secret["ARN"], "versionId": secret["VersionId"]}
    client = aws(emu, "iot-managed-integrations")
    arn = f"arn:aws:lambda:{emu.region}:{emu.account.account_id}:function:{function}"
    cid = client.create_cloud_connector(Name=function, EndpointConfig={"lambda": {"arn": arn}})["Id"]
    material = {"AuthMaterialName": "apikey", "SecretsManager": ref}
    did = client.create_connector_destination(
        CloudConnectorId=cid, AuthConfig={"GeneralAuthorization": [material]}, SecretsManager=ref
    )["Id"]
    emu.attach_connector(function, fixture_dir, handler="lifecycle_fixture:handler", webhook_handler=None)
    created = client.create_account_association(ConnectorDestinationId=did)
    assert created["OAuthAuthorizationUrl"] == ""
    state = wait(
        lambda: (
            client.get_account_association(AccountAssociationId=created["AccountAssociationId"])[
                "AssociationState"
            ]
            == "ASSOCIATION_SUCCEEDED"
        )
    )
    assert state
    sent = next(r["request"] for r in emu.events(cid) if r.get("kind") == "invocation")
    assert sent["header"]["auth"] == {"type": "GeneralAuthorization", "secretsManager": ref}


def test_attached_projects_exist_in_moto_for_c2c_register(fixture_dir):
    from c2c_cli.emulator import ConnectorAttachment, EmulatorSettings, start_emulator

    attachment = ConnectorAttachment(
        "fixture-attached", fixture_dir, "lifecycle_fixture:handler", None, (("A", "1"),)
    )
    settings = EmulatorSettings(port=0, db=":memory:", with_moto=True, connectors=(attachment,))
    with start_emulator(settings) as emulator:
        import boto3

        lam = boto3.client(
            "lambda",
            endpoint_url=emulator.aws_endpoint_url,
            region_name=emulator.region,
            aws_access_key_id=emulator.account.access_key_id,
            aws_secret_access_key=emulator.account.secret_access_key,
        )
        config = lam.get_function(FunctionName="fixture-attached")["Configuration"]
        assert (config["Handler"], config["Environment"]["Variables"]) == (
            "lifecycle_fixture.handler",
            {"A": "1"},
        )
        assert emulator.info["connectors"] == [
            {"function": "fixture-attached", "project_dir": str(fixture_dir.resolve()), "function_url": None}
        ]


def test_a_replayed_callback_is_refused(emu, link):
    import requests

    from c2c_cli.sandbox.browser import login_and_consent

    lnk = link(emu)
    url = lnk.client.start_account_association_refresh(AccountAssociationId=lnk.association_id)[
        "OAuthAuthorizationUrl"
    ]
    callback = login_and_consent(url, "alice", "alice-password")
    assert requests.get(callback, allow_redirects=False, timeout=30).status_code == 302
    replay = requests.get(callback, allow_redirects=False, timeout=30)
    assert replay.status_code == 400
    assert "already used state" in replay.text

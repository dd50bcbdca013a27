"""State in sqlite survives a restart on the same file."""

from __future__ import annotations

import pytest

from c2c_cli.emulator import EmulatorSettings, start_emulator


def test_restart_with_the_same_db_keeps_resources_and_events(tmp_path, make_client):
    db = str(tmp_path / "emulator.db")
    with start_emulator(EmulatorSettings(with_moto=False, db=db)) as emu:
        client = make_client(emu)
        cid = client.create_cloud_connector(Name="persist", EndpointConfig={"lambda": {"arn": "persist"}})[
            "Id"
        ]
        did = client.create_connector_destination(
            CloudConnectorId=cid,
            AuthConfig={
                "oAuth": {
                    "authUrl": "https://a.example.com/a",
                    "tokenUrl": "https://a.example.com/t",
                    "tokenEndpointAuthenticationScheme": "HTTP_BASIC",
                }
            },
        )["Id"]
        with pytest.raises(client.exceptions.ValidationException):
            client.send_connector_event(ConnectorId=cid, Operation="FOO")
    with start_emulator(EmulatorSettings(with_moto=False, db=db)) as emu:
        client = make_client(emu)
        assert client.get_cloud_connector(Identifier=cid)["Name"] == "persist"
        assert client.get_connector_destination(Identifier=did)["CloudConnectorId"] == cid
        assert emu.events(connector_id=cid)[0]["verdict"] == "rejected"
        emu.reset()
        assert client.list_cloud_connectors()["Items"] == []


def test_memory_db_starts_empty(make_client):
    with start_emulator(EmulatorSettings(with_moto=False, db=":memory:")) as emu:
        assert make_client(emu).list_cloud_connectors()["Items"] == []

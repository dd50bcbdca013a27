"""Fault injection makes boto3 retry (visible in the request log) and finally raise."""

from __future__ import annotations

from c2c_cli.emulator import EmulatorSettings, start_emulator


def test_throttling_is_retried_then_surfaces(make_client, error_of):
    settings = EmulatorSettings(
        with_moto=False, throttle_rate=1.0, fault_operations=("ListCloudConnectors",), seed=7
    )
    with start_emulator(settings) as emu:
        client = make_client(emu, attempts=3)
        code, status, response = error_of(lambda: client.list_cloud_connectors())
        assert (code, status) == ("ThrottlingException", 429)
        assert response["ResponseMetadata"]["RetryAttempts"] == 2
        attempts = [r for r in emu.requests() if r["operation"] == "ListCloudConnectors"]
        assert [r["fault"] for r in attempts] == ["ThrottlingException"] * 3
        assert [r["attempt"] for r in attempts] == [1, 2, 3]
        assert len({r["request_id"] for r in attempts}) == 3
        # Operations not selected are not faulted.
        assert client.create_cloud_connector(Name="ok", EndpointConfig={"lambda": {"arn": "ok"}})["Id"]


def test_internal_errors_are_retried(make_client, error_of):
    with start_emulator(EmulatorSettings(with_moto=False, error_rate=1.0, seed=1)) as emu:
        code, status, _ = error_of(lambda: make_client(emu, attempts=2).list_cloud_connectors())
        assert (code, status) == ("InternalServerException", 500)
        assert len([r for r in emu.requests() if r["fault"] == "InternalServerException"]) == 2


def test_seeded_partial_throttling_recovers_with_retries(make_client):
    settings = EmulatorSettings(with_moto=False, throttle_rate=0.5, seed=3)
    with start_emulator(settings) as emu:
        client = make_client(emu, attempts=10)
        for _ in range(5):
            assert client.list_cloud_connectors()["Items"] == []
        faults = [r["fault"] for r in emu.requests()]
        assert "ThrottlingException" in faults
        assert faults.count(None) == 5


def test_latency_is_recorded_as_a_fault(make_client):
    with start_emulator(EmulatorSettings(with_moto=False, latency_ms=5)) as emu:
        make_client(emu).list_cloud_connectors()
        assert emu.requests()[-1]["fault"] == "latency"

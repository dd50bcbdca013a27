"""SendConnectorEvent plumbing: chunking, message safety, and the boto3 client."""

from __future__ import annotations

import re

import pytest

from connector import events


def test_chunks_hold_at_most_the_limit():
    sizes = [len(c) for c in events.chunks([{"ConnectorDeviceId": str(i)} for i in range(250)])]

    assert sizes == [100, 100, 50]


def test_no_devices_is_one_empty_final_chunk():
    assert list(events.chunks([])) == [[]]


def test_chunks_also_respect_the_byte_limit():
    big = [{"ConnectorDeviceId": str(i), "DeviceMetadata": {"pad": "x" * 60_000}} for i in range(7)]

    assert all(sum(len(str(d)) for d in chunk) <= events.MAX_EVENT_BYTES for chunk in events.chunks(big))


@pytest.mark.parametrize("text", ["it's done: 5/5", '"quoted"', "", "a" * 400])
def test_messages_fit_the_model_pattern(text):
    message = events.message(text)

    assert re.fullmatch(r"[\sa-zA-Z0-9_.,@-]{1,256}", message)


def test_the_boto3_client_honours_the_endpoint_override(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setattr(events, "_client", None)

    client = events._boto3_client()

    assert client.meta.endpoint_url == "http://127.0.0.1:9"
    assert events._boto3_client() is client  # one client per container

"""Discovered devices in rows and chunks (operations/discovered.py): order, replacement, page slices."""

from __future__ import annotations

import pytest

from c2c_cli.emulator.http.store import Store
from c2c_cli.emulator.operations.discovered import (
    CHUNK,
    add_devices,
    device_of,
    forget_devices,
    items_page,
    read_seen,
    summaries_of,
    write_items,
    write_seen,
)

OWNER = "123456789012"
RUN = {"Id": "d1", "AccountAssociationId": "a1"}


def _devices(*ids: str, name: str = "Lamp") -> list[dict[str, str]]:
    return [{"ConnectorDeviceId": i, "ConnectorDeviceName": name} for i in ids]


def test_a_later_page_replaces_a_device_in_its_first_position():
    store = Store(":memory:")
    add_devices(store, OWNER, RUN, _devices("a", "b"), 1.0)
    first = {s["item"]["ConnectorDeviceId"]: s["digest"] for s in summaries_of(store, OWNER, "d1")}
    add_devices(store, OWNER, RUN, _devices("c") + _devices("a", name="Renamed"), 2.0)
    summaries = summaries_of(store, OWNER, "d1")
    assert [(s["item"]["ConnectorDeviceId"], s["item"]["ConnectorDeviceName"]) for s in summaries] == [
        ("a", "Renamed"),
        ("b", "Lamp"),
        ("c", "Lamp"),
    ]
    assert summaries[0]["digest"] != first["a"] and summaries[1]["digest"] == first["b"]
    assert summaries[0]["item"]["AuthenticationMaterial"] == "CLOUD:a1:a"
    assert device_of(store, "d1", "b") == {"ConnectorDeviceId": "b", "ConnectorDeviceName": "Lamp"}
    assert device_of(store, "d2", "b") is None  # another run's devices are its own


@pytest.mark.parametrize(
    ("start", "stop"), [(0, 1), (0, CHUNK), (CHUNK - 1, CHUNK + 1), (5, 250), (240, 1000), (250, 260), (7, 7)]
)
def test_items_page_is_the_slice_of_every_item(start, stop):
    store = Store(":memory:")
    items = [{"n": n} for n in range(250)]
    write_items(store, OWNER, "d1", items, 1.0)
    assert items_page(store, "d1", start, stop) == items[start:stop]


def test_forget_removes_devices_summaries_and_items():
    store = Store(":memory:")
    add_devices(store, OWNER, RUN, _devices("a", "b"), 1.0)
    write_items(store, OWNER, "d1", [{"n": n} for n in range(CHUNK + 1)], 1.0)
    forget_devices(store, OWNER, "d1", CHUNK + 1)
    assert summaries_of(store, OWNER, "d1") == []
    assert device_of(store, "d1", "a") is None
    assert items_page(store, "d1", 0, CHUNK + 1) == []


def test_seen_is_its_own_record_and_falls_back_to_the_association():
    store = Store(":memory:")
    association = {"AccountAssociationId": "a1", "_seen": {"old": "digest-0"}}
    assert read_seen(store, association) == {"old": "digest-0"}  # a database written before issue 16
    write_seen(store, OWNER, "a1", {"a": "digest-1"}, 1.0)
    assert read_seen(store, association) == {"a": "digest-1"}


def test_things_of_an_older_database_are_indexed_on_first_lookup():
    from c2c_cli.emulator.http.store import THING
    from c2c_cli.emulator.operations.things import thing_for_device, things_by_device

    store = Store(":memory:")
    thing = {"Id": "t1", "ConnectorDeviceId": "lamp", "_association": "a1"}
    store.put(OWNER, THING, "t1", thing, 1.0)  # as an emulator without the index wrote it
    assert thing_for_device(store, OWNER, "a1", "lamp") == thing
    assert thing_for_device(store, "999999999999", "a1", "lamp") is None  # another account's
    assert things_by_device(store, OWNER, "a1", ["lamp", "other"]) == {"lamp": "t1"}

import subprocess
import sys

import pytest

from c2c_cli.matter import Attribute, Cluster, DeviceType, load_catalog


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.mark.parametrize("key", [6, "0x6", "0x0006", "0X0006", "6", "OnOff", "onoff", "ONOFF"])
def test_cluster_lookup_by_any_id_form_or_name(catalog, key):
    cluster = catalog.cluster(key)
    assert isinstance(cluster, Cluster)
    assert (cluster.id, cluster.name) == (6, "OnOff")


@pytest.mark.parametrize("key", ["0x7fff", "NoSuchCluster", "", True, -1])
def test_unknown_cluster_is_none(catalog, key):
    assert catalog.cluster(key) is None


def test_catalog_has_every_source_cluster_not_just_common_ones(catalog):
    ids = {c.id for c in catalog.clusters()}
    assert len(ids) >= 100
    assert {0x0003, 0x001D, 0x0028, 0x0101, 0x0300, 0x0406, 0x0202} <= ids


def test_attribute_types_enums_and_nullability(catalog):
    fan_mode = catalog.cluster("FanControl").attribute("0x0000")
    assert isinstance(fan_mode, Attribute)
    assert (fan_mode.name, fan_mode.type, fan_mode.writable) == ("FanMode", "enum", True)
    assert fan_mode.enum_values is not None and fan_mode.enum_values[3] == "High"
    level = catalog.cluster(8).attribute("CurrentLevel")
    assert (level.type, level.nullable) == ("uint", True)
    assert catalog.cluster(6).attribute("onoff").type == "bool"
    assert catalog.cluster(0x0402).attribute(0).type == "int"


def test_every_cluster_has_the_global_attributes(catalog):
    for cluster in catalog.clusters():
        assert {0xFFF8, 0xFFF9, 0xFFFB, 0xFFFC, 0xFFFD} <= set(cluster.attributes), cluster.name


def test_commands_are_only_accepted_ones_with_fields(catalog):
    groups = catalog.cluster("Groups")
    assert groups.command("AddGroup") is not None
    assert groups.command("AddGroup").response == "AddGroupResponse"
    assert groups.command("AddGroupResponse") is None  # server -> client
    timed_off = catalog.cluster(6).command("0x42")
    assert [(f.tag, f.name, f.type) for f in timed_off.fields] == [
        (0, "onOffControl", "uint"),
        (1, "onTime", "uint"),
        (2, "offWaitTime", "uint"),
    ]
    step = catalog.cluster("FanControl").command(0)
    assert [f.optional for f in step.fields] == [False, True, True]


def test_events_with_fields(catalog):
    lock = catalog.cluster("DoorLock")
    assert lock.event("0x02").name == "LockOperation"
    assert lock.event("lockoperation").fields[0].name == "lockOperationType"


def test_revisions_are_known_for_common_clusters(catalog):
    assert catalog.cluster("OnOff").revision == 6
    assert catalog.cluster("FanControl").revision == 4
    assert catalog.cluster("Identify").revision is None  # the source doesn't carry it


@pytest.mark.parametrize("key", [0x0100, "0x0100", "256", "On/Off Light", "on/off light", "OnOffLight"])
def test_device_type_lookup(catalog, key):
    assert catalog.device_type(key) == DeviceType(0x0100, "On/Off Light")


@pytest.mark.parametrize("key", ["Camera", "0x9999", "", False])
def test_unknown_device_type(catalog, key):
    assert catalog.device_type(key) is None


def test_load_catalog_is_cached(catalog):
    assert load_catalog() is catalog


def test_source_and_licence_are_recorded(catalog):
    assert catalog.source["license"] == "Apache-2.0"
    assert catalog.source["package"] == "home-assistant-chip-clusters"


def test_loading_never_imports_chip():
    code = "import sys, c2c_cli.matter as m; m.load_catalog().clusters(); print('chip' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

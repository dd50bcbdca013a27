"""The template's Matter table agrees with the Matter catalogue (ids, revisions, device types)."""

import importlib
import sys

import pytest

from c2c_cli.matter import load_catalog
from c2c_cli.scaffold import get_template


@pytest.fixture(scope="module")
def table():
    """The template's ``connector.matter_map``, imported from the package data and unloaded afterwards."""
    (common, _) = get_template("oauth2").layers
    sys.path.insert(0, str(common))
    try:
        yield importlib.import_module("connector.matter_map")
    finally:
        sys.path.remove(str(common))
        for name in [m for m in sys.modules if m == "connector" or m.startswith("connector.")]:
            del sys.modules[name]


def _clusters(table):
    return {c.id: c for kind in table.KINDS.values() for c in kind.clusters}


def test_every_cluster_exists_with_the_catalogues_revision(table):
    catalog = load_catalog()
    for cluster in _clusters(table).values():
        known = catalog.cluster(cluster.id)
        assert known is not None, cluster.name
        assert (known.name, known.revision) == (cluster.name, cluster.revision)


def test_every_attribute_and_command_is_known_by_id_and_name(table):
    catalog = load_catalog()
    for cluster in _clusters(table).values():
        known = catalog.cluster(cluster.id)
        for attribute in cluster.attributes:
            assert known.attributes[attribute.id].name == attribute.name, (cluster.name, attribute.name)
        for command in cluster.commands:
            assert known.commands[command.id].name == command.name, (cluster.name, command.name)


def test_every_device_type_is_a_matter_device_type_name(table):
    catalog = load_catalog()
    for kind in table.KINDS.values():
        for device_type in kind.device_types:
            assert catalog.device_type(device_type) is not None, device_type


def test_at_most_five_clusters_per_endpoint(table):
    assert all(len(kind.clusters) <= 5 for kind in table.KINDS.values())


def test_every_sandbox_kind_is_mapped(table):
    from c2c_cli.sandbox.kinds import KINDS

    assert set(KINDS) == set(table.KINDS)
    for name, kind in KINDS.items():
        accepted = [command for cluster in table.KINDS[name].clusters for command in cluster.commands]
        assert bool(kind.commands) == bool(accepted), name  # a device that takes commands gets Matter ones

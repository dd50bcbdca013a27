"""Generate c2c_cli/matter/data/catalog.json from home-assistant-chip-clusters (connectedhomeip, Apache-2.0).

Run: ``make catalog`` (or ``python scripts/gen_matter_catalog.py [--check]``). The output is committed;
``tests/unit/matter/test_matter_catalog_drift.py`` regenerates it in memory and fails when it differs (skipped
when ``chip`` is not installed). The shipped loader (``c2c_cli.matter.catalog``) never imports ``chip``.

Sources:
- ``chip.clusters.Objects`` (ZAP-generated Python cluster objects): every cluster, its attributes (with the
  global attributes 0xFFF8..0xFFFD), accepted (client -> server, ``is_client``) commands with their fields,
  and events with their fields. Python types map to catalog types: ``bool`` -> bool, ``chip.tlv.uint`` ->
  uint, ``int`` -> int, ``float``/``float32`` -> float, ``str`` -> string, ``bytes`` -> bytes,
  ``typing.List`` -> list, ``IntFlag`` -> bitmap, other enums (``MatterIntEnum``) -> enum, ``ClusterObject``
  -> struct. ``Nullable`` in a union means nullable, ``None`` in a union means optional.
- ``chip/clusters/CHIPClusters.py`` (read with ``ast``, not imported: it needs the native library): which
  attributes are writable.
- ``REVISIONS`` below: cluster revisions copied by hand from connectedhomeip ``data_model/1.4/clusters/*.xml``
  (the ``revision`` attribute of ``<cluster>``), because the Python objects don't carry them.

Compact layout (short keys, sorted, one line): ``{"clusters": {"<id>": {"n": name, "r": revision?,
"a": {"<id>": attr}, "c": {"<id>": cmd}, "e": {"<id>": event}}}, "enums": {"<Cluster.Enum>": {"<v>": name}},
"source": {...}}``; attr ``{"n", "t", "N"?: nullable, "w"?: writable (0/1, absent = unknown), "E"?: enum}``;
cmd ``{"n", "f": {"<tag>": field}, "R"?: response}``; event ``{"n", "f"}``; field ``{"n", "t", "o"?: optional,
"N"?, "E"?}``.
"""

from __future__ import annotations

import argparse
import ast
import enum
import importlib.metadata
import json
import sys
import typing
from pathlib import Path
from typing import Any

from chip.clusters import ClusterObjects, Objects  # importing Objects fills ClusterObjects' registries
from chip.clusters.Types import Nullable
from chip.tlv import float32, uint

PACKAGE = "home-assistant-chip-clusters"
OUT = Path(__file__).resolve().parent.parent / "c2c_cli" / "matter" / "data" / "catalog.json"

# Matter 1.4 cluster revisions: connectedhomeip data_model/1.4/clusters/<file>.xml, <cluster revision="N">.
REVISIONS: dict[int, int] = {
    0x0006: 6,  # OnOff.xml
    0x0008: 6,  # LevelControl.xml
    0x002F: 3,  # PowerSourceCluster.xml
    0x003B: 2,  # Switch.xml
    0x0045: 1,  # BooleanState.xml
    0x0101: 8,  # DoorLock.xml
    0x0102: 5,  # WindowCovering.xml
    0x0201: 8,  # Thermostat.xml
    0x0202: 4,  # FanControl.xml
    0x0300: 7,  # ColorControl.xml
    0x0400: 3,  # IlluminanceMeasurement.xml
    0x0402: 4,  # TemperatureMeasurement.xml
    0x0405: 3,  # WaterContentMeasurement.xml (Relative Humidity Measurement)
    0x0406: 5,  # OccupancySensing.xml
}


def type_info(t: Any) -> dict[str, Any]:
    """Catalog type members (``t``, ``N``, ``o``, ``E``) of one chip field type."""
    out: dict[str, Any] = {}
    if typing.get_origin(t) is typing.Union:
        args = typing.get_args(t)
        if Nullable in args:
            out["N"] = 1
        if type(None) in args:
            out["o"] = 1
        (t,) = [a for a in args if a not in (Nullable, type(None))]
    kind = _kind(t)
    out["t"] = kind
    if kind == "enum":
        out["E"] = enum_key(t)
    return out


def _kind(t: Any) -> str:
    if typing.get_origin(t) is list:
        return "list"
    simple = {bool: "bool", uint: "uint", int: "int", float32: "float", float: "float", str: "string"}
    if t in simple:
        return simple[t]
    if t is bytes:
        return "bytes"
    if issubclass(t, enum.IntFlag):
        return "bitmap"
    if issubclass(t, enum.Enum):  # MatterIntEnum (aenum) derives from the stdlib Enum too
        return "enum"
    if issubclass(t, ClusterObjects.ClusterObject):
        return "struct"
    raise TypeError(f"unmapped chip type {t!r}")


def enum_key(t: Any) -> str:
    """``FanControl.Enums.FanModeEnum`` -> ``FanControl.FanModeEnum``."""
    return str(t.__qualname__).replace(".Enums.", ".")


def enum_values(t: Any) -> dict[str, str]:
    """Value -> name, without chip's ``kUnknownEnumValue`` sentinel and without the ``k`` prefix."""
    out = {}
    for name, member in t.__members__.items():
        if name == "kUnknownEnumValue" or name.startswith("kUnknownPlaceholder"):
            continue
        out[str(int(member))] = name[1:] if name[:1] == "k" and name[1:2] and not name[1].islower() else name
    return out


def _fields(descriptor: Any, enums: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for f in descriptor.Fields:
        info = {"n": f.Label, **type_info(f.Type)}
        _note_enum(info, f.Type, enums)
        out[str(f.Tag)] = info
    return out


def _note_enum(info: dict[str, Any], t: Any, enums: dict[str, Any]) -> None:
    if "E" not in info:
        return
    if typing.get_origin(t) is typing.Union:
        (t,) = [a for a in typing.get_args(t) if a not in (Nullable, type(None))]
    enums[info["E"]] = enum_values(t)


def writable_attributes() -> dict[int, set[int]]:
    """Cluster id -> writable attribute ids, read from CHIPClusters.py without importing it."""
    path = Path(Objects.__file__).with_name("CHIPClusters.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: dict[int, set[int]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)):
            continue
        target = node.targets[0]
        if not (isinstance(target, ast.Name) and target.id.endswith("_CLUSTER_INFO")):
            continue
        info = ast.literal_eval(node.value)
        attrs = info.get("attributes", {})
        out[info["clusterId"]] = {aid for aid, a in attrs.items() if a.get("writable")}
    return out


def cluster_entry(cid: int, writable: dict[int, set[int]], enums: dict[str, Any]) -> dict[str, Any]:
    """One cluster's compact entry."""
    cls = ClusterObjects.ALL_CLUSTERS[cid]
    entry: dict[str, Any] = {"n": cls.__name__}
    if cid in REVISIONS:
        entry["r"] = REVISIONS[cid]
    attrs = {}
    for aid, attr in sorted(ClusterObjects.ALL_ATTRIBUTES.get(cid, {}).items()):
        t = attr.attribute_type.Type
        info = {"n": attr.__name__, **type_info(t)}
        info.pop("o", None)  # attribute optionality (conformance) is not a payload concern
        _note_enum(info, t, enums)
        if cid in writable:
            info["w"] = int(aid in writable[cid])
        attrs[str(aid)] = info
    entry["a"] = attrs
    commands = {}
    for cmd_id, cmd in sorted(ClusterObjects.ALL_ACCEPTED_COMMANDS.get(cid, {}).items()):
        c: dict[str, Any] = {"n": cmd.__name__, "f": _fields(cmd.descriptor, enums)}
        if cmd.response_type:
            c["R"] = cmd.response_type
        commands[str(cmd_id)] = c
    entry["c"] = commands
    events = {}
    for eid, ev in sorted(ClusterObjects.ALL_EVENTS.get(cid, {}).items()):
        events[str(eid)] = {"n": ev.__name__, "f": _fields(ev.descriptor, enums)}
    entry["e"] = events
    return entry


def build() -> dict[str, Any]:
    """The whole catalog document."""
    writable = writable_attributes()
    enums: dict[str, Any] = {}
    clusters = {str(cid): cluster_entry(cid, writable, enums) for cid in sorted(ClusterObjects.ALL_CLUSTERS)}
    return {
        "$comment": "GENERATED by scripts/gen_matter_catalog.py; do not edit. Licence: see c2c_cli/matter/NOTICE.",
        "source": {
            "package": PACKAGE,
            "version": importlib.metadata.version(PACKAGE),
            "upstream": "https://github.com/project-chip/connectedhomeip",
            "license": "Apache-2.0",
            "revisions": "connectedhomeip data_model/1.4/clusters/*.xml",
        },
        "clusters": clusters,
        "enums": enums,
    }


def render() -> str:
    """The file's exact text: compact, sorted, deterministic."""
    return json.dumps(build(), sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs")
    args = parser.parse_args()
    from generated import check_or_write  # scripts/generated.py; the scripts run from scripts/

    return check_or_write({OUT: render()}, check=args.check, command="make catalog")


if __name__ == "__main__":
    sys.exit(main())

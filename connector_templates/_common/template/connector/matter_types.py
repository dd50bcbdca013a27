"""The vocabulary of :mod:`connector.matter_map`: table entry types and unit conversions.

The vendor speaks percent, kelvin and °C; Matter speaks 0-254 levels, mireds and 0.01 °C. Each
conversion sits next to its inverse, and :func:`to_int` / :func:`to_bool` accept the numeric strings the
AWS docs send for enums (``"3"``), so UpdateState values parse whatever their JSON type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

SPEC_VERSION = "1.4"
State = Mapping[str, Any]
Fields = Mapping[int, Any]


@dataclass(frozen=True)
class VendorCommand:
    """One call of ``POST /v1/devices/{id}/commands``."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Attribute:
    """A Matter attribute: from vendor state key ``key`` through ``read``, or the constant ``value``."""

    id: int
    name: str
    key: str | None = None
    read: Callable[[Any], Any] = lambda v: v
    write: Callable[[Any, State], list[VendorCommand]] | None = None
    value: Any = None


@dataclass(frozen=True)
class Command:
    """A Matter command the device accepts, translated to vendor commands."""

    id: int
    name: str
    translate: Callable[[Fields, State], list[VendorCommand]]


@dataclass(frozen=True)
class Cluster:
    """A Matter cluster as this connector implements it."""

    id: int
    name: str
    revision: int
    feature_map: int
    attributes: tuple[Attribute, ...]
    commands: tuple[Command, ...] = ()


@dataclass(frozen=True)
class DeviceKind:
    """A vendor device kind; ``state_keys`` is the vendor's state schema (recognises webhook payloads)."""

    device_types: tuple[str, ...]
    clusters: tuple[Cluster, ...]
    state_keys: frozenset[str]


def to_int(value: Any) -> int:
    """An integer from a JSON number or a numeric string (the docs send enums as ``"3"``)."""
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean")
    if isinstance(value, str):
        value = float(value.strip())
    if not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {type(value).__name__}")
    return round(value)


def to_bool(value: Any) -> bool:
    """A boolean from ``true``/``false``, ``1``/``0`` or their strings."""
    if isinstance(value, bool):
        return value
    if str(value).strip().lower() in ("1", "true"):
        return True
    if str(value).strip().lower() in ("0", "false"):
        return False
    raise ValueError(f"expected a boolean, got {value!r}")


def scale(value: Any, high: int, matter_high: int) -> int:
    """``value`` on a 0..``high`` scale, moved to 0..``matter_high`` (rounded, clamped)."""
    return max(0, min(matter_high, round(to_int(value) * matter_high / high)))


def level(percent: int) -> int:
    """Vendor brightness 0-100 -> Matter CurrentLevel 0-254."""
    return scale(percent, 100, 254)


def percent(level_value: Any) -> int:
    """Matter CurrentLevel 0-254 -> vendor brightness 0-100."""
    return scale(level_value, 254, 100)


def mireds(kelvin: int) -> int:
    """Kelvin -> ColorTemperatureMireds."""
    return round(1_000_000 / kelvin)


def kelvin(mireds_value: Any) -> int:
    """ColorTemperatureMireds -> kelvin within the vendor's 2000-6500 K."""
    return max(2000, min(6500, round(1_000_000 / max(1, to_int(mireds_value)))))


def centi(celsius: float) -> int:
    """°C -> Matter 0.01 °C (temperatures) or 0.01 % (humidity)."""
    return round(celsius * 100)


def enum(table: Mapping[str, int]) -> Callable[[Any], int]:
    """A vendor enum value -> its Matter number."""
    return lambda vendor_value: table[vendor_value]


def reverse(table: Mapping[str, int], value: Any) -> str:
    """A Matter number -> the vendor enum value (``ValueError`` when unsupported)."""
    wanted = to_int(value)
    for name, number in table.items():
        if number == wanted:
            return name
    raise ValueError(f"unsupported value {value!r}")


def cmd(name: str, **params: Any) -> list[VendorCommand]:
    """One vendor command, as a list (what translators return)."""
    return [VendorCommand(name, params)]

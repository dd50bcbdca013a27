"""Matter identifiers in payloads: parse by value, format the documented way (contract.md §5.2).

Ids are strings of ``0x``/``0X`` + hex digits or bare decimal digits (the model's hex-or-decimal pattern,
contract.md §4.5); ``"0x6"``, ``"0x0006"`` and ``"6"`` are the same cluster. Vendor-specific ids carry the
vendor id in the upper 16 bits (contract.md §5.1; AWS is vendor ``0x1577``).
"""

from __future__ import annotations

import re
from typing import Any, Literal

__all__ = [
    "AWS_VENDOR_ID",
    "READ_STATE",
    "UPDATE_STATE",
    "IdKind",
    "format_id",
    "is_decimal_form",
    "parse_id",
    "vendor_of",
]

IdKind = Literal["cluster", "attribute", "field", "command", "event"]

AWS_VENDOR_ID = 0x1577
UPDATE_STATE = 0xFF01  # AWS custom command (contract.md §5.3)
READ_STATE = 0xFF02

_HEX = re.compile(r"0[xX]([0-9a-fA-F]+)")
_DEC = re.compile(r"[0-9]+")
# Python refuses to convert very long decimal strings; no Matter id comes close to this.
_MAX_LEN = 64
# Payloads spell the same few hundred ids over and over: each spelling is parsed once per process.
_PARSED: dict[str, tuple[int | None, bool]] = {}
_REMEMBERED = 4096


def parse_id(s: Any) -> int | None:
    """The numeric value of a hex-or-decimal id string; ``None`` for anything else (including non-strings).

    ``"0x6"``, ``"0X0006"`` and ``"6"`` all give 6.
    """
    return _parsed(s)[0]


def is_decimal_form(s: Any) -> bool:
    """True for a bare-decimal id such as ``"6"`` (valid, but the docs write hex: a warning)."""
    return _parsed(s)[1]


def _parsed(s: Any) -> tuple[int | None, bool]:
    """``(value, written in decimal)`` of one id spelling, remembered."""
    if not isinstance(s, str) or len(s) > _MAX_LEN:
        return None, False
    known = _PARSED.get(s)
    if known is None:
        known = _parse(s)
        if len(_PARSED) < _REMEMBERED:
            _PARSED[s] = known
    return known


def _parse(s: str) -> tuple[int | None, bool]:
    hex_match = _HEX.fullmatch(s)
    if hex_match:
        return int(hex_match.group(1), 16), False
    if _DEC.fullmatch(s):
        return int(s, 10), True
    return None, False


def format_id(n: int, kind: IdKind) -> str:
    """The documented spelling: ``0x%04x`` for cluster/attribute/field ids, ``0x%02x`` for command/event ids.

    Command and event ids of 0x100 and above use their full width (``0xff01``).
    """
    if kind in ("command", "event"):
        return f"0x{n:02x}"
    return f"0x{n:04x}"


def vendor_of(n: int) -> int:
    """The vendor id in the upper 16 bits of a 32-bit id; 0 for standard Matter elements."""
    return (n >> 16) & 0xFFFF

"""What the compiled validator remembers: repeated subtrees, and strings and numbers that plainly pass.

A discovery reports the same few device models many times. :func:`memoised` wraps the check of a repeated
shape; :func:`shortcut` puts a quick test before the full check of a scalar shape (an integer within its
bounds, a boolean, a string this shape has already passed) and leaves everything else to the full check, so
nothing that fails is ever short-cut.

A capability report is checked (model shape, plus any ``extra`` such as the Matter lint) once per distinct
content during one walk: the check runs at the relative root ``""`` and its violations are stored, then
every value with the same content gets them re-rooted at its own path (:meth:`Violation.under`). Content is
compared by ``marshal.dumps``: equal bytes load back to equal JSON values with equal types (``true`` is not
``1``, ``1.0`` is not ``1``), so a hit can only be a report whose check is the same; values marshal cannot
encode (non-JSON objects passed in-process) are checked every time. The memo lives for one walk
(:func:`walk`), holds at most :data:`LIMIT` reports, and switches itself off when reports do not repeat.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from c2c_cli.violation import HERE, Violation, path_of

__all__ = ["LIMIT", "MEMOISED", "Extra", "memoised", "shortcut", "walk"]

#: ``extra(value, path)``: more violations of an object value (e.g. the Matter lint), memoised with its check.
Extra = Callable[[Any, str], list[Violation]]
_Check = Callable[[Any, Any, Any, list[Violation]], None]

#: Shapes worth memoising: large, and repeated across the devices of one discovery (contract.md §4.5).
MEMOISED = frozenset({"MatterCapabilityReport"})
#: Distinct reports remembered per walk (a 1 kB report each: a few MB at most).
LIMIT = 4096
# How many passing strings a string shape remembers: ids and names of a model repeat (cluster ids, versions);
# unique ones (device names) fill it once and are then checked in full.
_REMEMBERED = 4096
# After this many lookups, a memo whose hit rate is under 1 in 8 stops fingerprinting (all-unique reports).
_TRIAL = 512


class _Memo:
    __slots__ = ("entries", "hits", "lookups")

    def __init__(self) -> None:
        self.entries: dict[bytes, tuple[Violation, ...]] = {}
        self.hits = 0
        self.lookups = 0

    def useful(self) -> bool:
        return self.lookups < _TRIAL or self.hits * 8 >= self.lookups


_CURRENT: ContextVar[_Memo | None] = ContextVar("c2c_contract_memo", default=None)


def walk(check: _Check, value: Any, path: str) -> list[Violation]:
    """Run one compiled check over ``value`` (at the rendered ``path``) with a fresh memo; its violations."""
    out: list[Violation] = []
    token = _CURRENT.set(_Memo())
    try:
        check(value, path, HERE, out)
    finally:
        _CURRENT.reset(token)
    return out


def memoised(check: _Check, extra: Extra | None) -> _Check:
    """``check`` (and ``extra`` on object values) run once per distinct content within a :func:`walk`."""

    def relative(value: Any) -> tuple[Violation, ...]:
        found: list[Violation] = []
        check(value, "", HERE, found)
        if extra is not None and isinstance(value, dict):
            found += extra(value, "")
        return tuple(found)

    def memo_check(value: Any, parent: Any, key: Any, out: list[Violation]) -> None:
        memo = _CURRENT.get()
        fingerprint = _fingerprint(value) if memo is not None and memo.useful() else None
        if memo is None or fingerprint is None:
            found = relative(value)
        else:
            memo.lookups += 1
            cached = memo.entries.get(fingerprint)
            if cached is None:
                found = relative(value)
                if len(memo.entries) < LIMIT:
                    memo.entries[fingerprint] = found
            else:
                memo.hits += 1
                found = cached
        if found:
            prefix = path_of(parent, key)
            out.extend(v.under(prefix) for v in found)

    return memo_check


def _fingerprint(value: Any) -> bytes | None:
    if not isinstance(value, dict):
        return None  # a wrong type: one violation, nothing to save
    try:
        return marshal.dumps(value)
    except ValueError:  # not plain JSON data
        return None


def shortcut(schema: dict[str, Any], kinds: list[str], check: _Check) -> _Check:
    """``check`` behind a shortcut for values that plainly pass (most of them); the rest take ``check``."""
    if kinds == ["string"]:
        return _remembering(schema, check)
    if kinds == ["integer"] and "enum" not in schema:
        low, high = schema.get("minimum", float("-inf")), schema.get("maximum", float("inf"))

        def integer(value: Any, parent: Any, key: Any, out: list[Violation]) -> None:
            if type(value) is not int or not low <= value <= high:
                check(value, parent, key, out)

        return integer
    if kinds == ["boolean"] and "enum" not in schema:

        def boolean(value: Any, parent: Any, key: Any, out: list[Violation]) -> None:
            if value is not True and value is not False:
                check(value, parent, key, out)

        return boolean
    return check


def _remembering(schema: dict[str, Any], check: _Check) -> _Check:
    if schema.get("x-sensitive"):
        return check  # secrets are never remembered
    good: set[str] = set()

    def string(value: Any, parent: Any, key: Any, out: list[Violation]) -> None:
        try:
            if value in good:  # only strings that passed every constraint are in it
                return
        except TypeError:  # unhashable: an array or object where a string belongs
            pass
        before = len(out)
        check(value, parent, key, out)
        if len(out) == before and type(value) is str and len(good) < _REMEMBERED:
            good.add(value)

    return string

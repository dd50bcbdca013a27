"""The one JSON reader of every command that takes a contract document (a file, or ``-`` for stdin).

Strict JSON only (RFC 8259 §6: ``NaN`` and ``Infinity`` are not numbers), no empty input, and at most
:data:`MAX_DEPTH` levels of arrays and objects, so that no later recursive walk (validators, ``json.dumps``)
can hit Python's recursion limit. Every problem is a :class:`~c2c_cli.errors.UsageError` (exit 2) naming
the source, and the line and column where there is one.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import IO, Any

from c2c_cli.errors import UsageError

__all__ = ["MAX_DEPTH", "parse_json", "read_json"]

#: contract documents nest about 10 levels (a capability report's property values included).
MAX_DEPTH = 100
# A JSON string (skipped), or one of the constants Python's json accepts and JSON does not.
_STRING_OR_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')


_NESTED = (dict, list)


class _NotJson(ValueError):
    """Raised from inside ``json.loads`` for a non-JSON constant; its position is found afterwards."""


def _reject_constant(name: str) -> Any:
    raise _NotJson(name)


def parse_json(text: str) -> Any:
    """Parse strict JSON.

    Raises:
        ValueError: not JSON (naming the line and column), or nested deeper than :data:`MAX_DEPTH`.
    """
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except _NotJson as exc:
        raise ValueError(_constant_message(text, str(exc))) from None
    except RecursionError:
        raise ValueError(_too_deep()) from None
    if _deeper_than(doc, MAX_DEPTH):
        raise ValueError(_too_deep())
    return doc


def read_json(source: str | Path, stdin: IO[str] | None = None) -> tuple[Any, str]:
    """Read and parse a JSON document from a file path or ``-`` (stdin).

    Args:
        source: a path, or ``-`` for standard input.
        stdin: where ``-`` reads from (default: ``sys.stdin`` at call time).

    Returns:
        (the document, the name to report it by: the path, or ``stdin``).

    Raises:
        UsageError: unreadable, empty, not JSON, or nested too deeply.
    """
    name = "stdin" if str(source) == "-" else str(source)
    try:
        text = (stdin or sys.stdin).read() if name == "stdin" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror if isinstance(exc, OSError) else exc}") from None
    if not text.strip():
        hint = "Pipe a document in, or pass a FILE." if name == "stdin" else "Write a JSON document into it."
        raise UsageError(f"{name} is empty", hint=hint)
    try:
        return parse_json(text), name
    except ValueError as exc:
        raise UsageError(f"{name}: {exc}", hint="Fix the JSON first.") from None


def _constant_message(text: str, constant: str) -> str:
    # json.loads scans left to right, so the first constant outside a string is the one it rejected.
    for match in _STRING_OR_CONSTANT.finditer(text):
        if match.group(1) == constant:
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            return f"not valid JSON at line {line}, column {column}: {constant} is not a JSON number"
    return f"not valid JSON: {constant} is not a JSON number"


def _too_deep() -> str:
    return f"nested too deeply (more than {MAX_DEPTH} levels of arrays and objects)"


def _deeper_than(doc: Any, limit: int) -> bool:
    """Whether ``doc`` nests more than ``limit`` arrays/objects: level by level, without recursion."""
    level = [doc] if isinstance(doc, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below: list[Any] = []
        for node in level:
            # Parsed JSON holds plain dicts and lists: type() is exact and cheaper than isinstance.
            below.extend([v for v in (node.values() if type(node) is dict else node) if type(v) in _NESTED])
        level = below
    return False

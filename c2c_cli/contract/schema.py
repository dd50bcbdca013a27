"""The generated model document (``schemas/model.schema.json``), loaded once (contract.md §4.2–4.3).

A leaf of :mod:`c2c_cli.contract`: :mod:`.compiled` compiles its ``$defs`` and :mod:`.model` validates with
them, so both import this module rather than each other.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["model", "operation"]

_SCHEMA_FILE = "model.schema.json"


@cache
def model() -> dict[str, Any]:
    """The generated model document (``$defs``, ``x-operations``, ``x-errors``)."""
    text = resources.files("c2c_cli.contract").joinpath("schemas", _SCHEMA_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def operation(name: str) -> dict[str, Any]:
    """The ``x-operations`` entry of one operation (http binding, shapes, errors, locations).

    Raises:
        KeyError: when the model has no such operation.
    """
    entry: dict[str, Any] = model()["x-operations"][name]
    return entry

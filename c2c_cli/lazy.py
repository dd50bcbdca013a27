"""Package exports that load on first use (PEP 562), so ``c2c --help`` imports no server or engine.

A package's ``__init__`` names where each export lives and assigns the result of :func:`exports` to
its module-level ``__getattr__``; ``from c2c_cli.emulator import Emulator`` then imports the defining
module only when the name is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["exports"]


def exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``package.<homes[name]>`` and returns its ``name``.

    Args:
        package: the package's ``__name__``.
        homes: exported name -> the submodule (relative to ``package``) that defines it.
    """

    def __getattr__(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{homes[name]}"), name)

    return __getattr__

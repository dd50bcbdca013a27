"""A handler that cannot be loaded: which file and line, and how it crosses the worker protocol.

A module that c2c.yaml names but that does not exist (or lacks the function) is a configuration error
(exit 2, reported against ``c2c.yaml``). A module that exists but raises while it is imported (a syntax
error, a failing import of a dependency, an exception at module level) is the handler failing to load
(exit 1, :class:`HandlerLoadError`), reported against the project file and line where it failed, the
same from the in-process target and from the worker interpreter.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

from c2c_cli.errors import C2CError, ConfigError, ExitCode

__all__ = ["HandlerLoadError", "error_from_json", "error_to_json", "import_failure"]


class HandlerLoadError(C2CError):
    """The handler's module raised while it was imported (exit 1: the connector failed, not c2c.yaml)."""

    exit_code = ExitCode.FAILURE


def import_failure(exc: BaseException, project_dir: Path, module_name: str) -> C2CError:
    """The error for ``import module_name`` failing with ``exc`` in the project at ``project_dir``."""
    missing = getattr(exc, "name", None) if isinstance(exc, ModuleNotFoundError) else None
    if missing and (module_name == missing or module_name.startswith(missing + ".")):
        return ConfigError(
            [f"connector.handler: cannot import {module_name!r}: no such module in {project_dir}"],
            source=str(project_dir / "c2c.yaml"),
            hint="Check the module path (module.path:function, relative to the project directory).",
        )
    where = _location(exc, project_dir)
    text = exc.msg if isinstance(exc, SyntaxError) and exc.msg else str(exc)
    message = f"handler failed to load: {where}: {type(exc).__name__}" + (f": {text}" if text else "")
    file = where.rsplit(":", 1)[0]
    if isinstance(exc, ImportError):
        return HandlerLoadError(
            message, hint=f"Install the project's dependencies, or fix the import in {file}."
        )
    return HandlerLoadError(message, hint=f"Fix {file}, then run again.")


def _location(exc: BaseException, project_dir: Path) -> str:
    """``connector/handler.py:3``: the failing line in the project (the error's own for a SyntaxError)."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{_relative(exc.filename, project_dir)}:{exc.lineno or 0}"
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if _is_inside(f.filename, project_dir)]
    frame = inside[-1] if inside else (frames[-1] if frames else None)
    if frame is None:
        return str(project_dir)
    return f"{_relative(frame.filename, project_dir)}:{frame.lineno or 0}"


def _is_inside(filename: str, project_dir: Path) -> bool:
    try:
        Path(filename).resolve().relative_to(project_dir)
    except (ValueError, OSError):
        return False
    return True


def _relative(filename: str, project_dir: Path) -> str:
    if _is_inside(filename, project_dir):
        return Path(filename).resolve().relative_to(project_dir).as_posix()
    return filename


def error_to_json(exc: C2CError) -> dict[str, Any]:
    """The worker protocol's form of a load failure (the parent raises it again)."""
    if isinstance(exc, ConfigError):
        return {"kind": "config", "problems": exc.problems, "source": exc.source, "hint": exc.hint}
    return {"kind": "load", "message": exc.message, "hint": exc.hint}


def error_from_json(data: dict[str, Any]) -> C2CError:
    """The inverse of :func:`error_to_json`."""
    hint = data.get("hint")
    if data.get("kind") == "config":
        return ConfigError(
            [str(p) for p in data.get("problems") or []], source=str(data["source"]), hint=hint
        )
    return HandlerLoadError(str(data.get("message") or "handler failed to load"), hint=hint)

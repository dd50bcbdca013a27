"""Per-user locations: the c2c home directory (STYLE.md §5) and atomic, private file writes."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

__all__ = ["atomic_write_text", "c2c_home"]


def c2c_home() -> Path:
    """The per-user c2c directory: ``$C2C_HOME``, else the platform's config dir (STYLE.md §5).

    Linux and others: ``$XDG_CONFIG_HOME/c2c`` or ``~/.config/c2c``; macOS: ``~/Library/Application
    Support/c2c``; Windows: ``%APPDATA%/c2c``.
    """
    if env := os.environ.get("C2C_HOME"):
        return Path(env).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "c2c"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "c2c"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "c2c"


def atomic_write_text(path: Path, text: str, *, mode: int = 0o600) -> None:
    """Write ``text`` to ``path`` atomically: temp file in the same dir, fsync, chmod, rename.

    A reader never sees a half-written file, and the file never exists with wider permissions than
    ``mode`` (the temp file is created 0600 by ``mkstemp``).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise

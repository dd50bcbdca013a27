"""Per-user locations: the c2c home directory (STYLE.md §5), its usability, and atomic, private writes."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from c2c_cli.errors import UsageError

__all__ = ["atomic_write_text", "c2c_home", "home_problem", "require_usable_home"]


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


def home_problem(home: Path) -> str | None:
    """Why ``home`` cannot hold c2c's files (tokens, server pointers), or ``None`` when it can.

    A missing home is fine when its nearest existing ancestor is a writable directory (it is created on
    first write). Writability is probed by creating (and at once deleting) a temporary file, because
    permission bits do not tell: root may write a 0555 directory, nobody may write a read-only mount.
    """
    existing = home
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a directory"
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        return f"{existing} is not writable ({exc.strerror or type(exc).__name__})"
    return None


def require_usable_home(home: Path | None = None) -> Path:
    """The c2c home, after checking it can be written (issue 13 §13: before a sign-in, not after).

    Raises:
        UsageError: exit 2, with a hint, when it cannot.
    """
    home = c2c_home() if home is None else home
    if problem := home_problem(home):
        raise UsageError(
            f"the c2c home {home} cannot be used: {problem}",
            hint="Set C2C_HOME to a writable directory (it keeps the OAuth tokens), or fix its permissions.",
        )
    return home


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

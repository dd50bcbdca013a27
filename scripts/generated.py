"""What the generator scripts share: write a generated file atomically, or check that it is up to date."""

from __future__ import annotations

from pathlib import Path

from c2c_cli.paths import atomic_write_text


def check_or_write(outputs: dict[Path, str], *, check: bool, command: str) -> int:
    """Write each ``path -> text`` (``check`` False), or report which committed files are stale.

    Returns:
        The exit status: 1 when ``check`` finds a stale file, else 0.
    """
    if check:
        stale = [
            str(p) for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text
        ]
        print(f"stale: {', '.join(stale)} (run {command})" if stale else "up to date")
        return 1 if stale else 0
    for path, text in outputs.items():
        atomic_write_text(path, text, mode=0o644)
        print(f"wrote {path} ({len(text)} bytes)")
    return 0

"""Where the client secret comes from (STYLE.md §5: never a flag value)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from c2c_cli.config import OAuthSettings
from c2c_cli.errors import UsageError

__all__ = ["SECRET_ENV", "find_client_secret", "missing_secret"]

#: the fallback environment variable when ``c2c.yaml`` names neither a variable nor a file.
SECRET_ENV = "C2C_CLIENT_SECRET"


def find_client_secret(
    settings: OAuthSettings, project_dir: Path, environ: Mapping[str, str] | None = None
) -> str | None:
    """The client secret from ``oauth.client_secret_env``, ``oauth.client_secret_file`` or ``$C2C_CLIENT_SECRET``.

    Args:
        settings: ``oauth:`` from ``c2c.yaml``.
        project_dir: relative ``client_secret_file`` paths are resolved against it.
        environ: the environment (default ``os.environ``).

    Returns:
        The secret, or ``None`` when none is set (the CLI then prompts, hidden, on a terminal).

    Raises:
        UsageError: ``client_secret_file`` is set but cannot be read or is empty.
    """
    env = os.environ if environ is None else environ
    if settings.client_secret_env and env.get(settings.client_secret_env):
        return env[settings.client_secret_env]
    if settings.client_secret_file:
        return _read_secret_file(project_dir / Path(settings.client_secret_file).expanduser())
    return env.get(SECRET_ENV) or None


def _read_secret_file(path: Path) -> str:
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(
            f"cannot read oauth.client_secret_file {path}: {getattr(exc, 'strerror', None) or exc}",
            hint="Create the file with only the client secret in it (chmod 600).",
        ) from None
    if not secret:
        raise UsageError(f"oauth.client_secret_file {path} is empty")
    return secret


def missing_secret(settings: OAuthSettings) -> UsageError:
    """The error for "no secret found", naming where *this* project's c2c.yaml looks (issue 13 §18)."""
    if settings.client_secret_env:
        name = settings.client_secret_env
        return UsageError(
            f"no OAuth client secret found: ${name} (oauth.client_secret_env in c2c.yaml) is not set",
            hint=f"export {name}=<the client secret>, then run the command again.",
        )
    return UsageError(
        "no OAuth client secret found",
        hint=f"export {SECRET_ENV}=<the client secret>, or set oauth.client_secret_env / "
        "oauth.client_secret_file in c2c.yaml.",
    )

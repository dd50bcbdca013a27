"""The token store: one record per profile in ``<c2c home>/tokens.json``, private and written atomically.

File format (``version`` 1)::

    {"version": 1, "profiles": {"default": {"access_token": "...", "refresh_token": "...", ...}}}

The file is written with :func:`c2c_cli.paths.atomic_write_text` (temp file, fsync, rename, mode 0600)
and refused when group or others may read it (STYLE.md §5). Writers in one process are serialized by a
lock; concurrent writers in different processes are not coordinated (last writer wins).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import stat
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from c2c_cli.errors import AuthError, UsageError
from c2c_cli.oauth.tokens import fingerprint
from c2c_cli.paths import atomic_write_text, c2c_home

__all__ = ["DEFAULT_PROFILE", "STORE_FILENAME", "TokenRecord", "TokenStore", "check_profile_name"]

DEFAULT_PROFILE = "default"
STORE_FILENAME = "tokens.json"
_VERSION = 1
_PROFILE = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_lock = threading.Lock()


@dataclass(frozen=True)
class TokenRecord:
    """Tokens of one linked account. Tokens are excluded from ``repr`` so a stray log line cannot leak them.

    Attributes:
        profile: the store key.
        access_token: the bearer token.
        refresh_token: the refresh token, if the provider issued one.
        token_type: ``Bearer`` normally (RFC 6750).
        expires_at: epoch seconds, ``None`` when the provider sent no ``expires_in``.
        scopes: granted scopes (RFC 6749 §5.1 ``scope``, else the requested ones).
        user_id: the end-user id (JWT ``sub`` or the userinfo endpoint), ``None`` when not resolvable.
        user_id_source: ``jwt`` or ``userinfo``.
        obtained_at: epoch seconds of the token response.
        client_id: the client the tokens were issued to.
        token_url: the token endpoint that issued them (refresh and revocation stay at its origin).
        revocation_url: ``oauth.revocation_url`` at login ("" when none was configured, or in stores
            written before c2c recorded it); see :mod:`c2c_cli.oauth.origin`.
    """

    profile: str
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    token_type: str = "Bearer"
    expires_at: float | None = None
    scopes: tuple[str, ...] = ()
    user_id: str | None = None
    user_id_source: str | None = None
    obtained_at: float = 0.0
    client_id: str = ""
    token_url: str = ""
    revocation_url: str = ""

    def expires_in(self, now: float) -> float | None:
        """Seconds until the access token expires (negative once expired), ``None`` if unknown."""
        return None if self.expires_at is None else self.expires_at - now

    def summary(self, now: float) -> dict[str, Any]:
        """What ``status --json`` shows: everything but the tokens, which appear as fingerprints.

        Shape: ``{"profile", "user_id", "user_id_source", "scopes": [...], "expires_at": ISO-8601 UTC or
        null, "expires_in": seconds (negative once expired) or null, "expired": bool or null,
        "refresh_available": bool, "access_token_fingerprint", "refresh_token_fingerprint",
        "token_type", "client_id", "token_url", "revocation_url", "obtained_at": ISO-8601 UTC}``.
        """
        remaining = self.expires_in(now)
        return {
            "profile": self.profile,
            "user_id": self.user_id,
            "user_id_source": self.user_id_source,
            "scopes": list(self.scopes),
            "expires_at": _iso(self.expires_at),
            "expires_in": None if remaining is None else int(remaining),
            "expired": None if remaining is None else remaining <= 0,
            "refresh_available": bool(self.refresh_token),
            "access_token_fingerprint": fingerprint(self.access_token),
            "refresh_token_fingerprint": fingerprint(self.refresh_token),
            "token_type": self.token_type,
            "client_id": self.client_id,
            "token_url": self.token_url,
            "revocation_url": self.revocation_url,
            "obtained_at": _iso(self.obtained_at),
        }

    def to_json(self) -> dict[str, Any]:
        """The stored form (includes the tokens: only ever written to the 0600 store)."""
        data = dataclasses.asdict(self)
        data["scopes"] = list(self.scopes)
        del data["profile"]
        return data

    @classmethod
    def from_json(cls, profile: str, data: Any) -> TokenRecord:
        """Rebuild a record; ``ValueError`` when the stored shape is wrong."""
        if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
            raise ValueError("record has no access_token")
        known = {f.name for f in dataclasses.fields(cls)} - {"profile"}
        values = {k: v for k, v in data.items() if k in known}
        values["scopes"] = tuple(str(s) for s in values.get("scopes") or ())
        try:
            return cls(profile=profile, **values)
        except TypeError as exc:
            raise ValueError("record has unexpected fields") from exc


def _iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, tz=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def check_profile_name(profile: str) -> str:
    """Return ``profile`` when it is a valid name, else raise :class:`UsageError`."""
    if not _PROFILE.fullmatch(profile):
        raise UsageError(
            f"invalid profile name {profile!r}", hint="Use 1-64 characters of letters, digits, '_', '.', '-'."
        )
    return profile


class TokenStore:
    """Profiles of tokens in one JSON file.

    Args:
        path: the store file; default ``c2c_home()/tokens.json``.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else c2c_home() / STORE_FILENAME

    def get(self, profile: str) -> TokenRecord | None:
        """The record of ``profile``, or ``None`` when there is none."""
        data = self._read().get(check_profile_name(profile))
        if data is None:
            return None
        try:
            return TokenRecord.from_json(profile, data)
        except ValueError:
            raise self._corrupt(f"profile {profile!r} is malformed") from None

    def require(self, profile: str) -> TokenRecord:
        """The record of ``profile``; :class:`AuthError` (exit 4) when the profile has never logged in."""
        record = self.get(profile)
        if record is None:
            option = "" if profile == DEFAULT_PROFILE else f" --profile {profile}"
            raise AuthError(f"no tokens for profile {profile!r}", hint=f"Run 'c2c oauth login{option}'.")
        return record

    def profiles(self) -> tuple[str, ...]:
        """Stored profile names, sorted."""
        return tuple(sorted(self._read()))

    def save(self, record: TokenRecord) -> None:
        """Insert or replace the record of ``record.profile``."""
        check_profile_name(record.profile)
        with _lock:
            profiles = self._read()
            profiles[record.profile] = record.to_json()
            self._write(profiles)

    def delete(self, profile: str) -> bool:
        """Remove ``profile``; whether it existed. The file is removed with its last profile."""
        with _lock:
            profiles = self._read()
            if profiles.pop(check_profile_name(profile), None) is None:
                return False
            if profiles:
                self._write(profiles)
            else:
                self.path.unlink(missing_ok=True)
            return True

    def _read(self) -> dict[str, Any]:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return {}
        _refuse_shared(self.path, info)
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            raise self._corrupt("is not readable JSON") from None
        if not isinstance(document, dict) or not isinstance(document.get("profiles"), dict):
            raise self._corrupt("has no 'profiles' mapping")
        if document.get("version") != _VERSION:
            raise self._corrupt(f"has unsupported version {document.get('version')!r}")
        return dict(document["profiles"])

    def _write(self, profiles: dict[str, Any]) -> None:
        text = json.dumps({"version": _VERSION, "profiles": profiles}, indent=2, sort_keys=True)
        try:
            if not self.path.parent.exists():
                self.path.parent.mkdir(mode=0o700, parents=True)
            atomic_write_text(self.path, text + "\n", mode=0o600)
        except OSError as exc:
            raise UsageError(
                f"cannot write the token store {self.path}: {exc.strerror or type(exc).__name__}",
                hint="Set C2C_HOME to a writable directory, or fix its permissions.",
            ) from None

    def _corrupt(self, what: str) -> AuthError:
        return AuthError(
            f"token store {self.path} {what}",
            hint=f"Delete {self.path} and run 'c2c oauth login' again.",
        )


def _refuse_shared(path: Path, info: os.stat_result) -> None:
    # STYLE.md §5: tokens live in a 0600 file; a store others can read may already have leaked.
    if os.name == "posix" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        mode = stat.S_IMODE(info.st_mode)
        raise AuthError(
            f"token store {path} is accessible by group or others (mode {mode:04o})",
            hint=f"Run 'chmod 600 {path}', and revoke the tokens if others may have read them.",
        )

"""``<project>/.c2c/state.json``: what ``c2c register`` created, written atomically after every step.

The file is a cache of ids, never the source of truth: every run re-reads AWS (``observe``) and uses the
ids here only to find resources faster. ``token_seed`` makes the ``ClientToken`` of each create step
stable across an interrupted run and its re-run (no duplicates), yet new after ``c2c unregister``
deletes the file (so a replayed token can never resurrect a deleted resource's id).

JSON shape (version 1): ``{"version": 1, "account_id", "region", "function_arn", "statement_id",
"kms_key_arn", "kms_key_created", "secret_arn", "secret_version_id", "connector_id", "destination_id",
"association_ids": [...], "token_seed", "auth_materials": {"<AuthMaterialName>": {"secret_arn",
"secret_version_id"}}}``; absent values are ``null`` (``auth_materials`` is ``{}`` for OAuth 2.0).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2c_cli.errors import UsageError
from c2c_cli.paths import atomic_write_text

__all__ = [
    "STATE_PATH",
    "RegistrationState",
    "client_token",
    "load_state",
    "remove_state",
    "save_state",
    "state_path",
]

STATE_PATH = Path(".c2c") / "state.json"
_VERSION = 1


@dataclass(frozen=True)
class RegistrationState:
    """Ids and ARNs of the registered resources (see the module docstring for the JSON)."""

    account_id: str | None = None
    region: str | None = None
    function_arn: str | None = None
    statement_id: str | None = None
    kms_key_arn: str | None = None
    kms_key_created: bool = False
    secret_arn: str | None = None
    secret_version_id: str | None = None
    connector_id: str | None = None
    destination_id: str | None = None
    association_ids: tuple[str, ...] = ()
    token_seed: str | None = None
    auth_materials: dict[str, dict[str, str | None]] = field(default_factory=dict)

    def material(self, name: str) -> dict[str, str | None]:
        """The recorded secret of General Authorization's auth material ``name`` (empty when none)."""
        return self.auth_materials.get(name, {})

    def with_material(self, name: str, arn: str | None, version_id: str | None) -> RegistrationState:
        """A copy recording the secret of auth material ``name``."""
        ref = {"secret_arn": arn, "secret_version_id": version_id}
        return self.update(auth_materials={**self.auth_materials, name: ref})

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape."""
        data = dataclasses.asdict(self)
        data["association_ids"] = list(self.association_ids)
        return {"version": _VERSION, **data}

    def update(self, **changes: Any) -> RegistrationState:
        """A copy with ``changes`` applied."""
        return dataclasses.replace(self, **changes)

    def with_seed(self) -> RegistrationState:
        """This state, with a ``token_seed`` (a fresh random one when absent)."""
        return self if self.token_seed else self.update(token_seed=secrets.token_hex(16))


def state_path(project_dir: Path) -> Path:
    """Where the state of the project at ``project_dir`` lives."""
    return project_dir / STATE_PATH


def load_state(project_dir: Path) -> RegistrationState:
    """The recorded state, or an empty one when the file does not exist.

    Raises:
        UsageError: when the file exists but is not a state file.
    """
    path = state_path(project_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return RegistrationState()
    except (OSError, ValueError) as exc:
        raise UsageError(
            f"{path}: unreadable state file ({exc})", hint=f"Delete {path} and re-run."
        ) from None
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        raise UsageError(
            f"{path}: not a version {_VERSION} c2c state file", hint=f"Delete {path} and re-run."
        )
    names = {f.name for f in dataclasses.fields(RegistrationState)}
    values = {k: v for k, v in data.items() if k in names}
    values["association_ids"] = tuple(values.get("association_ids") or ())
    materials = values.get("auth_materials")
    values["auth_materials"] = dict(materials) if isinstance(materials, dict) else {}
    return RegistrationState(**values)


def save_state(project_dir: Path, state: RegistrationState) -> None:
    """Write the state atomically (0600; the file holds no secrets, only ids)."""
    text = json.dumps(state.to_json(), indent=2, sort_keys=True) + "\n"
    atomic_write_text(state_path(project_dir), text)


def remove_state(project_dir: Path) -> None:
    """Delete the state file if present."""
    state_path(project_dir).unlink(missing_ok=True)


def client_token(state: RegistrationState, step: str) -> str:
    """A deterministic ``ClientToken`` for one step: 64 hex chars (``[a-zA-Z0-9=_-]{1,64}``, §7.2)."""
    if not state.token_seed:
        raise ValueError("state has no token_seed; call with_seed() first")
    return hashlib.sha256(f"{state.token_seed}:{step}".encode()).hexdigest()

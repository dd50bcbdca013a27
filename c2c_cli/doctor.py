"""``c2c doctor``: is this machine ready to build, test and register connectors?

Each check returns a :class:`Check` (pass / warn / fail with a detail and a hint). Nothing here calls AWS
unless ``online`` is set; the credential check resolves the chain locally with the EC2 metadata lookup
disabled, so it never leaves the machine. Secrets are never part of a detail: only where credentials
come from.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from c2c_cli.config import find_config, load_config
from c2c_cli.errors import C2CError

__all__ = ["Check", "DoctorReport", "run_doctor"]

Status = Literal["pass", "warn", "fail"]
_CORE = (
    "typer",
    "rich",
    "boto3",
    "requests-oauthlib",
    "pyyaml",
    "jsonschema",
    "jinja2",
    "flask",
    "authlib",
    "moto",
)
_DEV = ("pytest", "hypothesis", "ruff", "mypy")


@dataclass(frozen=True)
class Check:
    """One doctor finding."""

    id: str
    status: Status
    detail: str
    hint: str = ""

    def to_json(self) -> dict[str, str]:
        """Stable JSON form."""
        return {"id": self.id, "status": self.status, "detail": self.detail, "hint": self.hint}


@dataclass(frozen=True)
class DoctorReport:
    """All findings; ``ok`` when none failed."""

    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        """No check failed (warnings allowed)."""
        return all(c.status != "fail" for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        """The documented ``--json`` shape: ``{"ok": bool, "checks": [{id, status, detail, hint}]}``."""
        return {"ok": self.ok, "checks": [c.to_json() for c in self.checks]}


def check_python(version: tuple[int, int] = sys.version_info[:2]) -> Check:
    """Python 3.11 or newer."""
    text = f"Python {version[0]}.{version[1]} at {sys.executable}"
    if version >= (3, 11):
        return Check("python", "pass", text)
    return Check("python", "fail", text, "c2c needs Python 3.11 or newer")


def check_packages(version_of: Callable[[str], str] = metadata.version) -> list[Check]:
    """Runtime dependencies (fail if missing) and the dev extra (warn if missing)."""
    out = []
    for group, names, missing_status in (("packages", _CORE, "fail"), ("dev-extra", _DEV, "warn")):
        found, missing = [], []
        for name in names:
            try:
                found.append(f"{name} {version_of(name)}")
            except metadata.PackageNotFoundError:
                missing.append(name)
        if missing:
            hint = "pip install -e '.[dev]'" if group == "dev-extra" else "pip install c2c-cli again"
            out.append(Check(group, missing_status, f"missing: {', '.join(missing)}", hint))  # type: ignore[arg-type]
        else:
            out.append(Check(group, "pass", ", ".join(found)))
    return out


def check_home(home: Path) -> Check:
    """The c2c home (tokens, server pointer files) is a directory c2c can write (issue 13 §13)."""
    from c2c_cli.paths import home_problem

    problem = home_problem(home)
    if problem:
        hint = "set C2C_HOME to a writable directory, or fix its permissions"
        return Check("home", "fail", f"{home}: {problem}", hint)
    return Check("home", "pass", f"{home} is writable" if home.exists() else f"{home} (created on first use)")


def check_token_store(home: Path) -> Check:
    """The OAuth token store, if any, is readable only by its owner."""
    from c2c_cli.oauth.store import TokenStore

    store = TokenStore(home / "tokens.json")
    if not store.path.exists():
        return Check("token-store", "pass", f"{store.path} (no tokens yet)")
    try:
        profiles = store.profiles()
    except C2CError as exc:
        return Check("token-store", "fail", exc.message, exc.hint or "")
    return Check("token-store", "pass", f"{store.path}: 0600, profiles: {', '.join(profiles) or 'none'}")


def check_loopback(host: str = "127.0.0.1") -> Check:
    """Local servers (sandbox, emulator, OAuth callback) can bind an ephemeral loopback port."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((host, 0))
            port = sock.getsockname()[1]
    except OSError as exc:
        return Check(
            "loopback", "fail", f"cannot bind {host}: {exc.strerror}", "check the loopback interface"
        )
    return Check("loopback", "pass", f"{host} ephemeral ports free (got {port})")


def check_project(start: Path) -> Check:
    """``c2c.yaml`` of the project, if there is one, is valid."""
    path = find_config(start)
    if path is None:
        return Check(
            "project", "warn", f"no c2c.yaml in {start} or its parents", "run c2c init, or pass --project"
        )
    try:
        cfg = load_config(path.parent)
    except C2CError as exc:
        return Check("project", "fail", exc.message.replace("\n", " "), exc.hint or "")
    return Check("project", "pass", f"{path}: connector {cfg.connector.name} ({cfg.connector.auth})")


def run_doctor(
    *,
    project: Path,
    home: Path,
    online: bool = False,
    aws_checks: Callable[[bool], list[tuple[str, str, str, str]]] | None = None,
) -> DoctorReport:
    """Run every check.

    Args:
        project: where to look for ``c2c.yaml``.
        home: the c2c home (token store).
        online: allow network calls (STS) in the AWS checks.
        aws_checks: the AWS credential/region checks (default: :func:`c2c_cli.aws.doctor.aws_checks`).
    """
    if aws_checks is None:
        from c2c_cli.aws.doctor import aws_checks as default_aws_checks

        aws_checks = default_aws_checks
    aws = [Check(i, s, d, h) for i, s, d, h in aws_checks(online)]  # type: ignore[arg-type]
    checks = [check_python(), *check_packages(), *aws, check_home(home), check_token_store(home)]
    checks.append(check_loopback())
    checks.append(check_project(project))
    return DoctorReport(tuple(checks))

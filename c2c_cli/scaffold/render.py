"""Render a template into a new project directory, all or nothing.

Every input is checked before anything is written. The whole project is rendered into a temporary
directory next to the destination (same file system), then renamed into place in one step; with
``force`` into an existing directory, each rendered file replaces its namesake (files the template does
not produce are kept). On any error the temporary directory is removed, so no half-written project is
ever left behind.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from c2c_cli import __version__
from c2c_cli.config import validate_connector_name
from c2c_cli.errors import C2CError, UsageError
from c2c_cli.network import is_loopback
from c2c_cli.scaffold.templates import TemplateInfo, get_template

__all__ = [
    "DEFAULT_VENDOR_URL",
    "RenderResult",
    "ScaffoldError",
    "check_destination",
    "render_project",
    "vendor_url_problem",
]

DEFAULT_VENDOR_URL = "http://127.0.0.1:8787"
_URL = re.compile(r"https?://[^\s/?#]+(/[^\s?#]*)?")
_SKIPPED_DIRS = {"__pycache__", ".pytest_cache", ".ruff_cache"}
# Renamed on output: a literal ".gitignore" inside the package would be read by git and hatch as rules.
_RENAMES = {"gitignore": ".gitignore"}
# contract.md §7.2: CloudConnectorDescription is [0-9A-Za-z_\- ]+, so no dots, colons or parentheses.
_AUTH_LABELS = {"oauth2": "OAuth2 account linking", "general": "General Authorization"}


class ScaffoldError(C2CError):
    """The project could not be written (I/O or template error); nothing was left behind."""


@dataclass(frozen=True)
class RenderResult:
    """A rendered project.

    Args:
        dest: the project directory.
        template: the template's name.
        name: the connector name.
        files: every file written, relative POSIX paths, sorted.
    """

    dest: Path
    template: str
    name: str
    files: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The ``c2c init --json`` shape."""
        return {
            "path": str(self.dest),
            "template": self.template,
            "name": self.name,
            "files": list(self.files),
        }


def check_destination(dest: Path, *, force: bool) -> None:
    """Refuse a file, or a non-empty directory without ``force``.

    Raises:
        UsageError: the destination cannot take a new project.
    """
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} exists and is not a directory")
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise UsageError(
            f"{dest} is not empty",
            hint="Pick a new directory, or pass --force to overwrite the template's files.",
        )


def vendor_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the vendor API's base URL, or ``None``.

    Plain http is accepted only for loopback: the generated connector refuses to send credentials
    anywhere else without TLS (its ``connector/network.py`` is a copy of :mod:`c2c_cli.network`).
    """
    if not _URL.fullmatch(url):
        return f"vendor URL must be an http(s) URL (got {url!r})"
    if url.lower().startswith("http://") and not is_loopback(url):
        return f"vendor URL must be https unless it is loopback (got {url!r})"
    return None


def _check_inputs(name: str, vendor_url: str) -> None:
    problem = validate_connector_name(name)
    if problem:
        raise UsageError(problem, hint="e.g. --name acme-connector")
    problem = vendor_url_problem(vendor_url)
    if problem:
        raise UsageError(problem, hint=f"e.g. {DEFAULT_VENDOR_URL}")


def _sources(template: TemplateInfo) -> dict[str, Path]:
    """Output path -> source file; later layers override earlier ones; ``_*`` files are partials."""
    out: dict[str, Path] = {}
    for layer in template.layers:
        for path in sorted(layer.rglob("*")):
            relative = path.relative_to(layer)
            skipped = _SKIPPED_DIRS.intersection(relative.parts) or path.suffix == ".pyc"
            if not path.is_file() or skipped or (path.name.startswith("_") and path.name != "__init__.py"):
                continue
            target = relative.with_suffix("") if path.suffix == ".j2" else relative
            target = target.with_name(_RENAMES.get(target.name, target.name))
            out[target.as_posix()] = path
    return out


def _environment(template: TemplateInfo) -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in reversed(template.layers)]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def _write_all(template: TemplateInfo, root: Path, variables: dict[str, Any]) -> tuple[str, ...]:
    import jinja2

    env = _environment(template)
    sources = _sources(template)
    for target, source in sources.items():
        out = root / target
        out.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".j2":
            layer = next(p for p in template.layers if source.is_relative_to(p))
            try:
                text = env.get_template(source.relative_to(layer).as_posix()).render(**variables)
            except jinja2.TemplateError as exc:
                raise ScaffoldError(f"template {template.name}: {source.name}: {exc}") from None
            out.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(source, out)
    return tuple(sorted(sources))


def _walk_files(root: Path) -> Iterator[Path]:
    return (p for p in sorted(root.rglob("*")) if p.is_file())


def _move_into_place(staging: Path, dest: Path) -> None:
    if not dest.exists():
        staging.replace(dest)
        return
    if not any(dest.iterdir()):
        dest.rmdir()
        staging.replace(dest)
        return
    for path in _walk_files(staging):
        target = dest / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        path.replace(target)


def render_project(
    template: str | TemplateInfo | None,
    dest: Path,
    *,
    name: str,
    vendor_url: str = DEFAULT_VENDOR_URL,
    force: bool = False,
    clock: Callable[[], dt.datetime] | None = None,
) -> RenderResult:
    """Render a template into ``dest``.

    Args:
        template: a template name from :func:`~c2c_cli.scaffold.list_templates` (``None``: the default),
            or a :class:`TemplateInfo` describing custom layers.
        dest: the project directory (created; must be absent or empty unless ``force``).
        name: the connector name (Lambda function and cloud connector name).
        vendor_url: the vendor API the project targets by default (the c2c sandbox).
        force: write into a non-empty directory, replacing the template's files.
        clock: returns "now" (the project's creation date), for reproducible output.

    Raises:
        UsageError: bad name, URL, template or destination (nothing written).
        ScaffoldError: rendering or writing failed (nothing left behind).
    """
    info = template if isinstance(template, TemplateInfo) else get_template(template)
    _check_inputs(name, vendor_url)
    dest = dest.expanduser().resolve()
    check_destination(dest, force=force)
    now = (clock or (lambda: dt.datetime.now(dt.UTC)))()
    variables = {
        "name": name,
        "template": info.name,
        "auth": info.auth,
        "vendor_url": vendor_url.rstrip("/"),
        "description": f"{name} C2C connector - {_AUTH_LABELS.get(info.auth, info.auth)}",
        "c2c_version": __version__,
        "created": now.date().isoformat(),
    }
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".c2c-init", dir=dest.parent))
    except OSError as exc:
        raise ScaffoldError(f"cannot create {dest.parent}: {exc.strerror}") from None
    try:
        project = staging / "project"  # mkdtemp's own directory is private (0700); this one follows umask
        project.mkdir()
        files = _write_all(info, project, variables)
        _move_into_place(project, dest)
    except OSError as exc:
        raise ScaffoldError(f"cannot write the project to {dest}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RenderResult(dest, info.name, name, files)

"""The templates shipped in ``connector_templates``: discovery and their manifests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from c2c_cli.errors import UsageError

__all__ = ["TemplateInfo", "get_template", "list_templates", "templates_root"]

_MANIFEST = "manifest.json"


@dataclass(frozen=True)
class TemplateInfo:
    """One template.

    Args:
        name: what ``c2c init --template`` takes.
        description: one line for ``--list-templates``.
        auth: ``oauth2`` or ``general`` (``connector.auth`` in c2c.yaml).
        default: whether ``c2c init`` uses it when none is named.
        layers: the ``template/`` directories rendered in order; later ones override earlier files.
    """

    name: str
    description: str
    auth: str
    default: bool
    layers: tuple[Path, ...]

    def to_json(self) -> dict[str, object]:
        """The ``c2c init --list-templates --json`` shape."""
        return {
            "name": self.name,
            "description": self.description,
            "auth": self.auth,
            "default": self.default,
        }


def templates_root() -> Path:
    """The ``connector_templates`` package directory."""
    from connector_templates import TEMPLATES_DIR

    return TEMPLATES_DIR


def _load(manifest: Path) -> TemplateInfo:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    root = manifest.parent.parent
    return TemplateInfo(
        name=str(data["name"]),
        description=str(data["description"]),
        auth=str(data["auth"]),
        default=bool(data.get("default", False)),
        layers=tuple(root / layer / "template" for layer in data["layers"]),
    )


def list_templates() -> list[TemplateInfo]:
    """Every shipped template, the default first, then by name."""
    found = [_load(path) for path in sorted(templates_root().glob(f"*/{_MANIFEST}"))]
    return sorted(found, key=lambda t: (not t.default, t.name))


def get_template(name: str | None) -> TemplateInfo:
    """The template called ``name`` (``None``: the default).

    Raises:
        UsageError: no such template.
    """
    templates = list_templates()
    for template in templates:
        if template.name == name or (name is None and template.default):
            return template
    names = ", ".join(t.name for t in templates)
    raise UsageError(f"unknown template {name!r}", hint=f"use one of: {names} (c2c init --list-templates)")

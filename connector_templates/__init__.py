"""Connector project templates rendered by ``c2c init`` (package data).

Each template is a directory holding ``manifest.json`` (name, description, auth type, the layers it is made
of) and a ``template/`` tree. ``_common/template`` is the shared layer; a template's own layer adds its
auth-specific files and overrides common ones. Files ending in ``.j2`` are Jinja2 templates; everything
else (the Python sources, tests) is copied verbatim, so those stay plain, lintable, testable files.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["TEMPLATES_DIR"]

TEMPLATES_DIR = Path(__file__).resolve().parent

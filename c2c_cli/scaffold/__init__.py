"""scaffold: render a connector template from ``connector_templates`` into a new project (``c2c init``).

How it works: :func:`list_templates` reads each template's ``manifest.json``; a template is a stack of
layers (``_common`` first, then its own), later layers overriding files of earlier ones.
:func:`render_project` checks every input first (template, connector name with the rule from
:mod:`c2c_cli.config`, vendor URL, destination), renders ``*.j2`` files with Jinja2 and copies the rest
verbatim into a temporary directory beside the destination, then renames it into place, so a failure
never leaves a half-written project. Jinja2 is imported only while rendering.
"""

from __future__ import annotations

from c2c_cli.scaffold.render import (
    DEFAULT_VENDOR_URL,
    RenderResult,
    ScaffoldError,
    check_destination,
    render_project,
    vendor_url_problem,
)
from c2c_cli.scaffold.templates import TemplateInfo, get_template, list_templates

__all__ = [
    "DEFAULT_VENDOR_URL",
    "RenderResult",
    "ScaffoldError",
    "TemplateInfo",
    "check_destination",
    "get_template",
    "list_templates",
    "render_project",
    "vendor_url_problem",
]

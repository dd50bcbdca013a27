"""Wires one sandbox's WSGI application: Flask + Authlib routes inside the fault middleware."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from authlib.integrations.flask_oauth2 import ResourceProtector
from flask import Flask, Response, jsonify
from werkzeug.exceptions import MethodNotAllowed, NotFound

from c2c_cli.sandbox.admin import admin_blueprint
from c2c_cli.sandbox.api import api_blueprint
from c2c_cli.sandbox.faults import FaultMiddleware, Wsgi
from c2c_cli.sandbox.oauth_server import TokenValidator, build_authorization_server
from c2c_cli.sandbox.oauth_views import oauth_blueprint
from c2c_cli.sandbox.runtime import Runtime

__all__ = ["create_app"]


def _json_error(exc: NotFound | MethodNotAllowed) -> tuple[Response, int]:
    code = exc.code or 500
    return jsonify(
        {"error": "not_found" if code == 404 else "method_not_allowed", "error_description": exc.description}
    ), code


def create_app(rt: Runtime, info: Callable[[], dict[str, Any]], reset: Callable[[], None]) -> Wsgi:
    """The sandbox's WSGI app for runtime ``rt``."""
    # Authlib logs issued tokens at DEBUG; the sandbox's logs must never hold a token (STYLE.md §5).
    logging.getLogger("authlib").setLevel(logging.INFO)
    app = Flask("c2c_sandbox")
    server = build_authorization_server(app, rt)
    protector = ResourceProtector()
    protector.register_token_validator(TokenValidator(rt))
    app.register_blueprint(oauth_blueprint(rt, server, protector))
    app.register_blueprint(api_blueprint(rt, protector))
    app.register_blueprint(admin_blueprint(rt, info, reset))
    app.register_error_handler(NotFound, _json_error)
    app.register_error_handler(MethodNotAllowed, _json_error)
    app.add_url_rule("/", "root", lambda: jsonify({"service": "c2c sandbox", "docs": "docs/sandbox-api.md"}))
    return FaultMiddleware(app, rt.faults)

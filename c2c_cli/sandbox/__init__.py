"""sandbox: a local third-party device cloud with a real OAuth 2.0 server (docs/sandbox-api.md).

How it works: :func:`start_sandbox` opens a sqlite database (seeding users, devices and clients on first
use), builds a Flask app around Authlib's authorization server (code grant + PKCE, refresh rotation,
RFC 7009 revocation, RFC 7662 introspection) and a ``/v1`` device API, wraps it in fault-injection
middleware and serves it with werkzeug on a daemon thread. Commands are accepted at once and applied by a
worker thread, which then POSTs HMAC-signed webhooks. Heavy imports (flask, authlib, werkzeug) happen only
when a sandbox starts, so ``c2c --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from c2c_cli.lazy import exports
from c2c_cli.sandbox.settings import ClientConfig, SandboxError, SandboxSettings, c2c_home

if TYPE_CHECKING:
    from c2c_cli.sandbox.server import Sandbox, start_sandbox

__all__ = ["ClientConfig", "Sandbox", "SandboxError", "SandboxSettings", "c2c_home", "start_sandbox"]


# The server (and its store and device modules) loads on first use, not when the CLI starts.
__getattr__ = exports(__name__, {"Sandbox": "server", "start_sandbox": "server"})

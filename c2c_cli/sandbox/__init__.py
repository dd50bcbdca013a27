"""sandbox: a local third-party device cloud with a real OAuth 2.0 server (docs/sandbox-api.md).

How it works: :func:`start_sandbox` opens a sqlite database (seeding users, devices and clients on first
use), builds a Flask app around Authlib's authorization server (code grant + PKCE, refresh rotation,
RFC 7009 revocation, RFC 7662 introspection) and a ``/v1`` device API, wraps it in fault-injection
middleware and serves it with werkzeug on a daemon thread. Commands are accepted at once and applied by a
worker thread, which then POSTs HMAC-signed webhooks. Heavy imports (flask, authlib, werkzeug) happen only
when a sandbox starts, so ``c2c --help`` stays fast.
"""

from __future__ import annotations

from c2c_cli.sandbox.server import Sandbox, start_sandbox
from c2c_cli.sandbox.settings import ClientConfig, SandboxError, SandboxSettings, c2c_home

__all__ = ["ClientConfig", "Sandbox", "SandboxError", "SandboxSettings", "c2c_home", "start_sandbox"]

"""Fixtures for the sandbox integration tests: servers on ephemeral loopback ports, a fake clock, a
webhook receiver, and a helper that runs the real authorize -> code -> token flow."""

from __future__ import annotations

import dataclasses
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from requests_oauthlib import OAuth2Session

from c2c_cli.sandbox import Sandbox, SandboxSettings, start_sandbox
from c2c_cli.sandbox.browser import login_and_consent

CALLBACK = "http://127.0.0.1:8765/callback"


class FakeClock:
    """Epoch seconds that only move when a test says so."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def _insecure_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    # oauthlib refuses http:// even on loopback unless told; the sandbox only listens on 127.0.0.1.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., Sandbox]]:
    started: list[Sandbox] = []

    def make(**overrides: Any) -> Sandbox:
        base = SandboxSettings(
            port=0, db=":memory:", users=("alice", "bob"), devices_per_user=5, seed=7, command_delay_ms=5
        )
        sb = start_sandbox(dataclasses.replace(base, **overrides))
        started.append(sb)
        return sb

    yield make
    for sb in started:
        sb.stop()


@pytest.fixture
def sandbox(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox()


class Flow:
    """The real OAuth flow with requests-oauthlib: authorize page -> code -> token endpoint."""

    @staticmethod
    def session(sb: Sandbox, client: dict[str, Any] | None = None, **kwargs: Any) -> OAuth2Session:
        info = client or sb.info
        kwargs.setdefault("pkce", "S256")
        kwargs.setdefault("redirect_uri", CALLBACK)
        return OAuth2Session(info["client_id"], **kwargs)

    @staticmethod
    def authorize(sb: Sandbox, session: OAuth2Session, username: str = "alice", consent: bool = True) -> str:
        """The browser part; returns the redirect Location."""
        url, _state = session.authorization_url(sb.info["authorize_url"])
        password = next(u["password"] for u in sb.info["users"] if u["username"] == username)
        return login_and_consent(url, username, password, consent=consent)

    @staticmethod
    def client_auth(info: dict[str, Any], refresh: bool = False) -> dict[str, Any]:
        """fetch_token (or refresh_token) kwargs for the client's configured auth method."""
        if info["token_endpoint_auth"] == "HTTP_BASIC":
            return {"auth": (info["client_id"], info["client_secret"])}
        body = {"client_id": info["client_id"]}  # refresh_token() puts extra kwargs in the body
        if info["token_endpoint_auth"] == "REQUEST_BODY_CREDENTIALS":
            body["client_secret"] = info["client_secret"]
        if refresh:
            return body
        return {"client_secret": body.get("client_secret"), "include_client_id": True}

    def fetch_token(
        self, sb: Sandbox, session: OAuth2Session, location: str, client: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        info = client or sb.info
        token: dict[str, Any] = session.fetch_token(
            sb.info["token_url"], authorization_response=location, **self.client_auth(info)
        )
        return token

    def linked(self, sb: Sandbox, username: str = "alice") -> tuple[OAuth2Session, dict[str, Any]]:
        """A session holding tokens for ``username`` after the full real flow."""
        session = self.session(sb)
        token = self.fetch_token(sb, session, self.authorize(sb, session, username))
        return session, token


@pytest.fixture
def flow() -> Flow:
    return Flow()


class WebhookReceiver:
    """A loopback HTTP server recording every POST (headers + raw body)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.received.append((dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(
            target=lambda: self.server.serve_forever(poll_interval=0.05), daemon=True
        )
        self.thread.start()

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.received]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    r = WebhookReceiver()
    yield r
    r.close()

"""Names that only look like loopback get nothing: no client secret, no token (issue 13 §1).

``http://127.0.0.1.evil.com`` used to pass a ``startswith("127.")`` test, so the refresh grant went out
over plain http to a remote name. To see what *would* leave the machine without resolving that name,
``HTTP_PROXY`` points at a real listener on 127.0.0.1: requests hands every plain-http request to it,
whatever the host. The listener answers like a token endpoint, so a leaking client would even succeed.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from c2c_cli.cli import app
from c2c_cli.config import OAuthSettings
from c2c_cli.errors import AuthError
from c2c_cli.oauth import TokenRecord, TokenStore, refresh, revoke_tokens

LOOKALIKES = ["127.0.0.1.evil.com", "localhost.evil.com", "127.1", "0x7f000001"]
TOKEN = '{"access_token": "new", "token_type": "Bearer", "expires_in": 60}'


class Listener:
    """A plain-http proxy target that records every request it receives."""

    def __init__(self) -> None:
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                received.append((self.path, dict(self.headers), self.rfile.read(length)))
                body = TOKEN.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def listener(monkeypatch: pytest.MonkeyPatch) -> Iterator[Listener]:
    spy = Listener()
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, spy.url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield spy
    spy.server.shutdown()
    spy.server.server_close()


def _settings(host: str) -> OAuthSettings:
    return OAuthSettings(
        authorization_url=f"http://{host}:8787/oauth/authorize",
        token_url=f"http://{host}:8787/oauth/token",
        revocation_url=f"http://{host}:8787/oauth/revoke",
        client_id="c2c-sandbox-client",
    )


def _record(settings: OAuthSettings) -> TokenRecord:
    return TokenRecord(
        "default",
        access_token="the-access-token",
        refresh_token="the-refresh-token",
        token_url=settings.token_url,
        revocation_url=settings.revocation_url or "",
    )


@pytest.mark.parametrize("host", LOOKALIKES)
def test_refresh_sends_nothing_to_a_lookalike_host(listener: Listener, host: str) -> None:
    settings = _settings(host)
    with pytest.raises(AuthError, match="https"):
        refresh(_record(settings), settings, "the-client-secret")
    assert listener.received == []


@pytest.mark.parametrize("host", LOOKALIKES)
def test_revocation_sends_nothing_to_a_lookalike_host(listener: Listener, host: str) -> None:
    settings = _settings(host)
    with pytest.raises(AuthError, match="https"):
        revoke_tokens(_record(settings), settings, "the-client-secret")
    assert listener.received == []


@pytest.mark.parametrize("command", [["refresh"], ["logout"], ["token"]])
def test_the_cli_refuses_a_lookalike_token_url_with_exit_4(
    listener: Listener, tmp_path: Path, command: list[str]
) -> None:
    settings = _settings("127.0.0.1.evil.com")
    home, project = tmp_path / "home", tmp_path / "project"
    project.mkdir()
    lines = "".join(f"  {k}: {getattr(settings, k)}\n" for k in ("authorization_url", "token_url"))
    lines += f"  revocation_url: {settings.revocation_url}\n  client_id: {settings.client_id}\n"
    (project / "c2c.yaml").write_text(f"connector:\n  name: acme\noauth:\n{lines}")
    expired = TokenRecord(**{**_record(settings).__dict__, "expires_at": 0.0})
    TokenStore(home / "tokens.json").save(expired)
    env = {"C2C_HOME": str(home), "C2C_CLIENT_SECRET": "the-client-secret"}
    result = CliRunner().invoke(app, ["oauth", *command, "--project", str(project)], env=env)
    assert result.exit_code == 4, result.output
    assert result.stderr.startswith("Error: ") and "https" in result.stderr
    assert "the-client-secret" not in result.output and "the-refresh-token" not in result.output
    assert listener.received == []
    assert json.loads((home / "tokens.json").read_text())["profiles"]["default"]["refresh_token"]

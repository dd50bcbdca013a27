"""The exact bytes of client authentication (RFC 6749 §2.3.1) and revocation (RFC 7009 §2.1) requests."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote

import pytest

from c2c_cli.config import OAuthSettings
from c2c_cli.errors import AuthError
from c2c_cli.oauth import OAuthClient

CLIENT_ID = "client:id/ü"
SECRET = "p@ss word+/=%"


class Capture(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict] = []
        self.reply: tuple[int, str] = (200, json.dumps({"access_token": "AT", "token_type": "Bearer"}))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Capture

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self.server.requests.append(
            {"path": self.path, "headers": dict(self.headers), "form": parse_qs(body)}
        )
        status, text = self.server.reply
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def capture():
    server = Capture()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _client(capture: Capture, scheme: str) -> OAuthClient:
    settings = OAuthSettings(
        authorization_url=f"{capture.url}/authorize",
        token_url=f"{capture.url}/token",
        revocation_url=f"{capture.url}/revoke",
        client_id=CLIENT_ID,
        token_endpoint_auth=scheme,  # type: ignore[arg-type]
    )
    return OAuthClient(settings, SECRET)


def _basic() -> str:
    raw = f"{quote(CLIENT_ID, safe='')}:{quote(SECRET, safe='')}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def _calls(client: OAuthClient) -> None:
    client.exchange_code("the-code", "http://127.0.0.1:1/callback", "v" * 43)
    client.refresh("the-refresh-token")
    client.revoke("the-refresh-token", "refresh_token")


def test_http_basic_sends_urlencoded_credentials_in_the_header_only(capture):
    _calls(_client(capture, "HTTP_BASIC"))
    assert [r["path"] for r in capture.requests] == ["/token", "/token", "/revoke"]
    for request in capture.requests:
        assert request["headers"]["Authorization"] == _basic()
        assert "client_secret" not in request["form"]
        assert "client_id" not in request["form"]


def test_request_body_credentials_sends_them_in_the_form_only(capture):
    _calls(_client(capture, "REQUEST_BODY_CREDENTIALS"))
    for request in capture.requests:
        assert "Authorization" not in request["headers"]
        assert request["form"]["client_id"] == [CLIENT_ID]
        assert request["form"]["client_secret"] == [SECRET]


def test_token_requests_carry_the_grant_parameters(capture):
    _calls(_client(capture, "HTTP_BASIC"))
    code, refresh, revoke = (r["form"] for r in capture.requests)
    assert code["grant_type"] == ["authorization_code"]
    assert code["code"] == ["the-code"]
    assert code["redirect_uri"] == ["http://127.0.0.1:1/callback"]
    assert code["code_verifier"] == ["v" * 43]
    assert refresh["grant_type"] == ["refresh_token"]
    assert refresh["refresh_token"] == ["the-refresh-token"]
    assert revoke == {"token": ["the-refresh-token"], "token_type_hint": ["refresh_token"]}


@pytest.mark.parametrize(
    "reply, expected",
    [
        ((500, "<html>oops</html>"), "HTTP 500"),
        (
            (400, json.dumps({"error": "invalid_grant", "error_description": f"bad {SECRET}"})),
            "invalid_grant",
        ),
        ((200, json.dumps({"token_type": "Bearer"})), "access token"),
        ((200, "<html>leaked-token-123</html>"), "Missing access token"),
        ((200, json.dumps(["leaked-token-123"])), "invalid token response"),
        (
            (200, json.dumps({"access_token": "leaked-token-123", "expires_in": "soon"})),
            "invalid token response",
        ),
    ],
)
def test_token_endpoint_errors_are_auth_errors_without_secrets(capture, reply, expected):
    capture.reply = reply
    with pytest.raises(AuthError) as info:
        _client(capture, "REQUEST_BODY_CREDENTIALS").exchange_code("the-code", "http://127.0.0.1:1/cb", None)
    assert expected in info.value.message
    assert SECRET not in info.value.message
    assert "the-code" not in info.value.message
    assert "leaked-token-123" not in info.value.message


def test_revocation_error_status_is_an_auth_error(capture):
    capture.reply = (503, "{}")
    with pytest.raises(AuthError, match="HTTP 503"):
        _client(capture, "HTTP_BASIC").revoke("tok-123456", "access_token")


def test_scope_change_is_accepted_and_reported_by_the_server_scope(capture):
    capture.reply = (200, json.dumps({"access_token": "AT", "token_type": "Bearer", "scope": "narrower"}))
    client = _client(capture, "HTTP_BASIC")
    token = client.exchange_code("c", "http://127.0.0.1:1/cb", None)
    assert token["access_token"] == "AT"

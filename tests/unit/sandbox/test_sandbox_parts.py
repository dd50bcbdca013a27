"""Pure parts of the sandbox: settings, redirect matching, cursors, signatures, faults, seeding, control."""

from __future__ import annotations

import dataclasses
import json
import sqlite3

import pytest

from c2c_cli.errors import UsageError
from c2c_cli.sandbox import SandboxSettings, c2c_home
from c2c_cli.sandbox.devices import decode_cursor, encode_cursor
from c2c_cli.sandbox.events import sign, verify_signature
from c2c_cli.sandbox.faults import fault_response
from c2c_cli.sandbox.oauth_models import SandboxClient
from c2c_cli.sandbox.seed import ensure_seeded, user_rows
from c2c_cli.sandbox.store import Store


def _client(uris, loopback):
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    row = conn.execute(
        "SELECT 'c' AS client_id, 's' AS secret, 'client_secret_basic' AS auth_method, ? AS redirect_uris,"
        " ? AS allow_loopback, 'devices:read' AS scope",
        (json.dumps(uris), int(loopback)),
    ).fetchone()
    return SandboxClient(row)


@pytest.mark.parametrize(
    ("uri", "loopback", "ok"),
    [
        ("https://a.example/cb", False, True),
        ("https://a.example/cb2", False, False),
        ("https://a.example/cb#frag", False, False),
        ("http://127.0.0.1:1234/x", True, True),
        ("http://[::1]:1234/x", True, True),
        ("http://127.0.0.1:1234/x", False, False),
        ("https://127.0.0.1:1234/x", True, False),
        ("http://127.0.0.1.evil.example/x", True, False),
    ],
)
def test_redirect_uri_matching(uri, loopback, ok):
    assert _client(["https://a.example/cb"], loopback).check_redirect_uri(uri) is ok


def test_registered_loopback_uri_matches_any_port():
    client = _client(["http://127.0.0.1:5000/cb"], False)
    assert client.check_redirect_uri("http://127.0.0.1:6123/cb")
    assert not client.check_redirect_uri("http://127.0.0.1:6123/other")


def test_client_auth_method_is_exclusive():
    client = _client([], False)
    assert client.check_endpoint_auth_method("client_secret_basic", "token")
    assert not client.check_endpoint_auth_method("client_secret_post", "token")
    assert not client.check_endpoint_auth_method("none", "token")


def test_unknown_scopes_are_dropped():
    client = _client([], False)
    assert client.get_allowed_scope("devices:read openid") == "devices:read"
    assert client.get_allowed_scope(None) == "devices:read"


def test_cursor_round_trip_and_rejects_foreign_values():
    assert decode_cursor(encode_cursor("dev-abc")) == "dev-abc"
    for bad in ("%%%", "ZGV2LWFiYw", ""):
        with pytest.raises(ValueError):
            decode_cursor(bad)


def test_signature_round_trip():
    sig = sign("secret", "1700000000", b'{"a":1}')
    assert sig.startswith("sha256=")
    assert verify_signature("secret", "1700000000", b'{"a":1}', sig)
    assert not verify_signature("secret", "1700000001", b'{"a":1}', sig)
    assert not verify_signature("secret", "1700000000", b'{"a":2}', sig)


@pytest.mark.parametrize(
    ("fault", "status", "error"),
    [
        ("invalid_grant", 400, "invalid_grant"),
        ("invalid_client", 401, "invalid_client"),
        ("503", 503, "temporarily_unavailable"),
        ("429", 429, "rate_limited"),
        ("500", 500, "server_error"),
    ],
)
def test_fault_responses(fault, status, error):
    got_status, body, _ = fault_response(fault)
    assert (got_status, body["error"]) == (status, error)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"host": "0.0.0.0"}, "not loopback"),
        ({"host": "127.0.0.1.evil.com"}, "not loopback"),  # issue 13 §1: parsed, not a prefix
        ({"host": "localhost.evil.com"}, "not loopback"),
        ({"error_rate": 2.0}, "error rate"),
        ({"users": ("a", "a")}, "unique"),
        ({"auto_consent": "zed"}, "not seeded"),
        ({"users": ()}, "at least one user"),
    ],
)
def test_settings_problems(changes, message):
    with pytest.raises(UsageError, match=message):
        dataclasses.replace(SandboxSettings(), **changes).check()


def test_public_host_allowed_with_flag():
    SandboxSettings(host="0.0.0.0", allow_public=True).check()


def test_c2c_home_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("C2C_HOME", str(tmp_path / "h"))
    assert c2c_home() == tmp_path / "h"


def test_c2c_home_defaults_to_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("C2C_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert c2c_home() == tmp_path / "c2c"


def test_seeding_users_and_passwords():
    store = Store(":memory:")
    assert ensure_seeded(store, SandboxSettings(users=("alice", "bob:s3cret"), devices_per_user=3))
    users = user_rows(store)
    assert [(u.username, u.password, u.user_id) for u in users] == [
        ("alice", "alice-password", "user-0001"),
        ("bob", "s3cret", "user-0002"),
    ]
    assert not ensure_seeded(store, SandboxSettings())  # already seeded: nothing changes
    assert store.one("SELECT COUNT(*) AS n FROM devices")["n"] == 6


def test_seeding_10000_devices_in_one_transaction():
    store = Store(":memory:")
    ensure_seeded(store, SandboxSettings(users=("alice",), devices_per_user=10_000))
    rows = store.all("SELECT id FROM devices")
    assert len({r["id"] for r in rows}) == 10_000

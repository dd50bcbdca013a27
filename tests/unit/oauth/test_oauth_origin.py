"""Stored tokens only go back to the origin that issued them (issue 13 §2)."""

import dataclasses
import re

import pytest

from c2c_cli.config import OAuthSettings
from c2c_cli.errors import AuthError
from c2c_cli.oauth.origin import check_revocation_origin, check_token_origin, origin
from c2c_cli.oauth.refresh import refresh, refresh_profile, valid_access_token
from c2c_cli.oauth.revoke import logout
from c2c_cli.oauth.store import TokenRecord, TokenStore

ISSUER = OAuthSettings(
    authorization_url="https://idp.example/authorize",
    token_url="https://idp.example/token",
    revocation_url="https://idp.example/revoke",
    client_id="c",
)
RECORD = TokenRecord(
    "default",
    access_token="AT-1234",
    refresh_token="RT-1234",
    expires_at=0.0,
    token_url=ISSUER.token_url,
    revocation_url=ISSUER.revocation_url or "",
)


def _never() -> str:
    raise AssertionError("the client secret must not be looked up for a refused call")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://IdP.example/token", "https://idp.example:443/other"),
        ("http://127.0.0.1:8787/oauth/token", "http://127.0.0.1:8787/oauth/revoke"),
        ("http://[::1]/t", "http://[::1]:80/u"),
    ],
)
def test_same_origin(a, b):
    assert origin(a) == origin(b) != ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://idp.example/token", "http://idp.example/token"),
        ("https://idp.example/token", "https://idp.example:8443/token"),
        ("https://idp.example/token", "https://evil.example/token"),
        ("https://idp.example/token", "https://idp.example.evil.com/token"),
        ("http://127.0.0.1:8787/t", "http://127.0.0.1:8788/t"),
    ],
)
def test_different_origin(a, b):
    assert origin(a) != origin(b)


MOVED = dataclasses.replace(ISSUER, token_url="https://evil.example/token")


def test_refresh_refuses_a_token_url_at_another_origin_before_the_secret_is_read():
    with pytest.raises(AuthError, match=re.escape("came from https://idp.example:443")) as info:
        refresh(RECORD, MOVED, _never)
    assert info.value.exit_code == 4
    assert "c2c oauth login" in (info.value.hint or "")
    assert "\n" not in info.value.message


def test_refresh_profile_keeps_the_stored_tokens_when_refused(tmp_path):
    store = TokenStore(tmp_path / "tokens.json")
    store.save(RECORD)
    with pytest.raises(AuthError, match=re.escape("evil.example")):
        refresh_profile(settings=MOVED, secret=_never, store=store)
    assert store.require("default") == RECORD


def test_token_for_scripts_refuses_even_a_fresh_token(tmp_path):
    store = TokenStore(tmp_path / "tokens.json")
    store.save(dataclasses.replace(RECORD, expires_at=None))
    assert valid_access_token(settings=MOVED, secret=_never, store=store) == "AT-1234"  # the simulator
    with pytest.raises(AuthError, match="came from"):
        valid_access_token(settings=MOVED, secret=_never, store=store, same_origin=True)


def test_a_record_without_its_token_url_is_refused():
    with pytest.raises(AuthError, match="do not record which provider") as info:
        check_token_origin(dataclasses.replace(RECORD, token_url=""), ISSUER)
    assert "c2c oauth login --profile" not in (info.value.hint or "")


def test_the_hint_names_the_profile():
    with pytest.raises(AuthError) as info:
        check_token_origin(dataclasses.replace(RECORD, profile="work"), MOVED)
    assert "c2c oauth login --profile work" in (info.value.hint or "")


def test_logout_refuses_a_revocation_url_at_another_origin_and_keeps_the_tokens(tmp_path):
    store = TokenStore(tmp_path / "tokens.json")
    store.save(RECORD)
    moved = dataclasses.replace(ISSUER, revocation_url="https://evil.example/revoke")
    with pytest.raises(AuthError, match=re.escape("oauth.revocation_url is at https://evil.example:443")):
        logout(settings=moved, secret=_never, store=store)
    assert store.require("default") == RECORD


@pytest.mark.parametrize(
    ("revocation_url", "ok"),
    [("https://idp.example/oauth/revoke", True), ("https://evil.example/revoke", False)],
)
def test_a_record_without_a_revocation_url_may_revoke_at_its_token_origin(revocation_url, ok):
    old = dataclasses.replace(RECORD, revocation_url="")
    settings = dataclasses.replace(ISSUER, revocation_url=revocation_url)
    if ok:
        check_revocation_origin(old, settings)
    else:
        with pytest.raises(AuthError, match="came from"):
            check_revocation_origin(old, settings)


def test_no_revocation_url_configured_needs_no_check():
    check_revocation_origin(RECORD, dataclasses.replace(ISSUER, revocation_url=None))

import logging
import queue
import socket
import time

import pytest
import requests

from c2c_cli.errors import AuthError, UsageError
from c2c_cli.oauth import (
    LoginOptions,
    Prompt,
    TokenStore,
    login,
    logout,
    refresh,
    revoke_tokens,
    valid_access_token,
)
from c2c_cli.sandbox.browser import login_and_consent


def _me(sb, token: str) -> requests.Response:
    return requests.get(f"{sb.base_url}/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_login_gets_tokens_for_the_signed_in_user(sandbox, browser, oauth_settings):
    secret = sandbox.info["client_secret"]
    record = login(oauth_settings(sandbox), secret, opener=browser(sandbox, ("bob",)))
    assert record.user_id == sandbox.user_id("bob")
    assert record.user_id_source == "jwt"
    assert record.refresh_token
    assert set(record.scopes) == set(sandbox.info["scope"].split())
    assert record.expires_in(time.time()) == pytest.approx(sandbox.info["token_ttl"], abs=30)
    assert _me(sandbox, record.access_token).json()["user_id"] == sandbox.user_id("bob")


def test_requested_scope_subset_is_recorded(sandbox, browser, oauth_settings):
    options = LoginOptions(scopes=("devices:read",))
    record = login(
        oauth_settings(sandbox), sandbox.info["client_secret"], opener=browser(sandbox), options=options
    )
    assert record.scopes == ("devices:read",)


def test_refresh_rotates_tokens_with_the_configured_scheme(sandbox, browser, oauth_settings):
    settings, secret = oauth_settings(sandbox), sandbox.info["client_secret"]
    first = login(settings, secret, opener=browser(sandbox))
    second = refresh(first, settings, secret)
    assert second.access_token != first.access_token
    assert second.refresh_token != first.refresh_token
    assert second.user_id == first.user_id
    assert _me(sandbox, second.access_token).status_code == 200
    with pytest.raises(AuthError, match="invalid_grant"):
        refresh(first, settings, secret)  # the rotated-out refresh token is dead


def test_revoked_tokens_are_rejected_by_the_sandbox(sandbox, browser, oauth_settings):
    settings, secret = oauth_settings(sandbox), sandbox.info["client_secret"]
    record = login(settings, secret, opener=browser(sandbox))
    assert revoke_tokens(record, settings, secret) == ("refresh_token", "access_token")
    assert _me(sandbox, record.access_token).status_code == 401
    with pytest.raises(AuthError, match="invalid_grant"):
        refresh(record, settings, secret)


def test_logout_revokes_and_deletes(sandbox, tmp_path, browser, oauth_settings):
    settings, secret = oauth_settings(sandbox), sandbox.info["client_secret"]
    store = TokenStore(tmp_path / "tokens.json")
    record = login(settings, secret, opener=browser(sandbox))
    store.save(record)
    result = logout(settings=settings, secret=secret, store=store)
    assert result.revoked == ("refresh_token", "access_token")
    assert store.get("default") is None
    assert _me(sandbox, record.access_token).status_code == 401


def test_logout_without_revoke_keeps_tokens_valid(make_sandbox, tmp_path, browser, oauth_settings):
    sb = make_sandbox()
    settings = oauth_settings(sb)
    store = TokenStore(tmp_path / "tokens.json")
    record = login(settings, sb.info["client_secret"], opener=browser(sb))
    store.save(record)
    result = logout(settings=settings, secret=None, store=store, revoke=False)
    assert result.revocation_skipped == "--no-revoke"
    assert store.get("default") is None
    assert _me(sb, record.access_token).status_code == 200


def test_paste_back_mode_completes_without_the_loopback_request(make_sandbox, oauth_settings):
    sb = make_sandbox()
    prompts: queue.Queue[Prompt] = queue.Queue()

    def paste() -> str:
        # The browser runs "elsewhere": we only get the final URL, never a request to the loopback server.
        return login_and_consent(prompts.get(timeout=10).url, "alice", "alice-password") + "\n"

    record = login(oauth_settings(sb), sb.info["client_secret"], opener=None, paste=paste, notify=prompts.put)
    assert record.user_id == sb.user_id("alice")


def test_denied_consent_is_an_auth_error(make_sandbox, browser, oauth_settings):
    sb = make_sandbox()
    with pytest.raises(AuthError, match="access_denied") as info:
        login(oauth_settings(sb), sb.info["client_secret"], opener=browser(sb, consent=False))
    assert info.value.exit_code == 4


def test_a_forged_state_is_ignored_and_the_real_redirect_completes(make_sandbox, oauth_settings):
    # issue 13 §5: a wrong-state callback (a CSRF attempt, or any local process) must not end the login.
    sb = make_sandbox()
    answers: list[int] = []

    def browser(url: str) -> bool:
        location = login_and_consent(url, "alice", "alice-password")
        answers.append(requests.get(location.replace("state=", "state=forged"), timeout=10).status_code)
        answers.append(requests.get(location, timeout=10).status_code)
        return True

    record = login(oauth_settings(sb), sb.info["client_secret"], opener=browser)
    assert answers == [400, 200]
    assert record.user_id == sb.user_id("alice")


def test_only_a_forged_state_times_out(make_sandbox, browser, oauth_settings):
    sb = make_sandbox()
    forge = browser(sb, tamper=lambda url: url.replace("state=", "state=forged"))
    with pytest.raises(AuthError, match="no authorization response"):
        login(oauth_settings(sb), sb.info["client_secret"], opener=forge, options=LoginOptions(timeout=1))


def test_port_in_use_is_a_usage_error(make_sandbox, browser, oauth_settings):
    sb = make_sandbox()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        options = LoginOptions(port=busy.getsockname()[1])
        with pytest.raises(UsageError, match="in use"):
            login(oauth_settings(sb), sb.info["client_secret"], opener=browser(sb), options=options)


def test_exact_port_is_used_for_the_redirect(make_sandbox, browser, oauth_settings):
    sb = make_sandbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    prompts: list[Prompt] = []
    login(
        sb_settings := oauth_settings(sb),
        sb.info["client_secret"],
        opener=browser(sb),
        notify=prompts.append,
        options=LoginOptions(port=port),
    )
    assert prompts[0].redirect_uri == f"http://127.0.0.1:{port}/callback"
    assert sb_settings.client_id in prompts[0].url


def test_timeout_is_an_auth_error(make_sandbox, oauth_settings):
    sb = make_sandbox()
    with pytest.raises(AuthError, match="no authorization response"):
        login(
            oauth_settings(sb),
            sb.info["client_secret"],
            opener=lambda url: True,
            options=LoginOptions(timeout=0.3),
        )


def test_wrong_secret_is_reported_without_the_secret(make_sandbox, browser, oauth_settings):
    sb = make_sandbox()
    wrong = "wrong-secret-value-123"
    with pytest.raises(AuthError) as info:
        login(oauth_settings(sb), wrong, opener=browser(sb))
    assert "invalid_client" in info.value.message
    assert wrong not in info.value.message + (info.value.hint or "")


def test_valid_access_token_refreshes_near_expiry(sandbox, tmp_path, browser, oauth_settings):
    settings, secret = oauth_settings(sandbox), sandbox.info["client_secret"]
    store = TokenStore(tmp_path / "tokens.json")
    record = login(settings, secret, opener=browser(sandbox))
    store.save(record)
    near_expiry = lambda: record.expires_at - 30  # noqa: E731 - a fake clock
    token = valid_access_token(settings=settings, secret=secret, store=store, clock=near_expiry)
    assert token != record.access_token
    assert store.require("default").access_token == token
    assert _me(sandbox, token).status_code == 200
    # Still fresh for the same clock: no second refresh, the same token comes back.
    assert valid_access_token(settings=settings, secret=secret, store=store, clock=near_expiry) == token


def test_debug_logging_never_records_tokens_or_the_secret(make_sandbox, browser, oauth_settings, caplog):
    sb = make_sandbox()
    settings, secret = oauth_settings(sb), sb.info["client_secret"]
    caplog.set_level(logging.DEBUG)  # as if a user configured root logging at DEBUG
    record = login(settings, secret, opener=browser(sb))
    newer = refresh(record, settings, secret)
    revoke_tokens(newer, settings, secret)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for value in (secret, record.access_token, record.refresh_token, newer.access_token, newer.refresh_token):
        assert value not in logged

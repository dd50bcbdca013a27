import pytest

from c2c_cli.config import OAuthSettings
from c2c_cli.errors import AuthError
from c2c_cli.oauth.refresh import refresh, valid_access_token
from c2c_cli.oauth.store import TokenRecord, TokenStore

# Unreachable on purpose: these tests must not need the network.
SETTINGS = OAuthSettings(
    authorization_url="https://idp.invalid/authorize", token_url="https://idp.invalid/token", client_id="c"
)


def _no_secret() -> str:
    raise AssertionError("the secret must not be needed when the token is fresh")


@pytest.mark.parametrize("expires_at", [10_000.0, None])
def test_fresh_or_non_expiring_token_is_returned_without_refresh(tmp_path, expires_at):
    store = TokenStore(tmp_path / "tokens.json")
    store.save(TokenRecord(profile="default", access_token="AT", refresh_token="RT", expires_at=expires_at))
    token = valid_access_token(settings=SETTINGS, secret=_no_secret, store=store, clock=lambda: 1_000.0)
    assert token == "AT"


def test_not_logged_in_is_an_auth_error(tmp_path):
    with pytest.raises(AuthError, match="no tokens"):
        valid_access_token("work", settings=SETTINGS, secret="s", store=TokenStore(tmp_path / "t.json"))


def test_expiring_token_without_refresh_token_is_an_auth_error(tmp_path):
    store = TokenStore(tmp_path / "tokens.json")
    store.save(
        TokenRecord(profile="default", access_token="AT", expires_at=1_030.0, token_url=SETTINGS.token_url)
    )
    with pytest.raises(AuthError, match="no refresh token"):
        valid_access_token(settings=SETTINGS, secret="s", store=store, clock=lambda: 1_000.0)


def test_refresh_error_never_shows_the_refresh_token():
    record = TokenRecord(
        profile="default",
        access_token="AT-abcdef",
        refresh_token="RT-unreachable-123",
        token_url=SETTINGS.token_url,
    )
    with pytest.raises(AuthError) as info:
        refresh(record, SETTINGS, "client-secret-xyz")
    text = f"{info.value.message} {info.value.hint}"
    assert "RT-unreachable-123" not in text and "client-secret-xyz" not in text
    assert "cannot reach idp.invalid" in info.value.message

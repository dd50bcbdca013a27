import os
import queue
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from c2c_cli.config import OAuthSettings
from c2c_cli.errors import AuthError, UsageError
from c2c_cli.oauth.client import OAuthClient
from c2c_cli.oauth.flow import LoginOptions, Prompt, authorize
from c2c_cli.oauth.pkce import s256_challenge

SETTINGS = OAuthSettings(
    authorization_url="https://idp.example/authorize",
    token_url="https://idp.example/token",
    client_id="my client",
    scopes=("devices:read", "devices:write"),
)


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


class PasteBack:
    """Plays a user who copies the final URL from a browser on another machine."""

    def __init__(self, answer: str = "code=the-code&state={state}") -> None:
        self.prompts: queue.Queue[Prompt] = queue.Queue()
        self.answer = answer

    def notify(self, prompt: Prompt) -> None:
        self.prompts.put(prompt)

    def paste(self) -> str | None:
        prompt = self.prompts.get(timeout=5)
        return self.answer.format(state=_query(prompt.url)["state"])


def test_authorization_request_has_pkce_state_and_scopes():
    user = PasteBack()
    grant = authorize(
        OAuthClient(SETTINGS, "s"), LoginOptions(), opener=None, paste=user.paste, notify=user.notify
    )
    assert grant.code == "the-code"
    assert grant.redirect_uri.startswith("http://127.0.0.1:")
    assert grant.scopes == ("devices:read", "devices:write")


def test_url_parameters_follow_rfc6749_and_rfc7636():
    seen: list[str] = []

    def opener(url: str) -> bool:
        seen.append(url)
        query = _query(url)
        requests.get(f"{query['redirect_uri']}?code=c&state={query['state']}", timeout=5)
        return True

    grant = authorize(OAuthClient(SETTINGS, "s"), LoginOptions(scopes=("x",)), opener=opener)
    query = _query(seen[0])
    assert seen[0].startswith("https://idp.example/authorize?")
    assert query["response_type"] == "code"
    assert query["client_id"] == "my client"
    assert query["scope"] == "x"
    assert query["code_challenge_method"] == "S256"
    assert grant.verifier is not None
    assert query["code_challenge"] == s256_challenge(grant.verifier)
    assert len(query["state"]) >= 32


def test_a_forged_callback_does_not_abort_the_login():
    # issue 13 §5: a local process that races the browser with a wrong state is answered 400 and ignored.
    answers: list[int] = []

    def opener(url: str) -> bool:
        query = _query(url)
        forged = requests.get(f"{query['redirect_uri']}?error=access_denied&state=guess", timeout=5)
        answers.append(forged.status_code)
        requests.get(f"{query['redirect_uri']}?code=real&state={query['state']}", timeout=5)
        return True

    grant = authorize(OAuthClient(SETTINGS, "s"), LoginOptions(timeout=10), opener=opener)
    assert answers == [400]
    assert grant.code == "real"


def test_two_logins_use_different_state_and_verifier():
    urls: list[str] = []

    def opener(url: str) -> bool:
        urls.append(url)
        query = _query(url)
        requests.get(f"{query['redirect_uri']}?code=c&state={query['state']}", timeout=5)
        return True

    client = OAuthClient(SETTINGS, "s")
    authorize(client, LoginOptions(), opener=opener)
    authorize(client, LoginOptions(), opener=opener)
    first, second = (_query(u) for u in urls)
    assert first["state"] != second["state"]
    assert first["code_challenge"] != second["code_challenge"]


def test_no_pkce_omits_the_challenge():
    user = PasteBack()
    grant = authorize(
        OAuthClient(SETTINGS, "s"),
        LoginOptions(pkce=False),
        opener=None,
        paste=user.paste,
        notify=user.notify,
    )
    assert grant.verifier is None


def test_a_browser_that_did_not_open_leads_to_paste_mode():
    user = PasteBack()
    seen: list[Prompt] = []

    def notify(prompt: Prompt) -> None:
        seen.append(prompt)
        user.notify(prompt)

    authorize(
        OAuthClient(SETTINGS, "s"), LoginOptions(), opener=lambda url: False, paste=user.paste, notify=notify
    )
    assert seen[0].opened is False
    assert seen[0].paste is True
    assert seen[0].purpose == "sign in"


def test_timeout_is_an_auth_error_with_hint():
    with pytest.raises(AuthError) as info:
        authorize(OAuthClient(SETTINGS, "s"), LoginOptions(timeout=0.2), opener=lambda url: True)
    assert "no authorization response" in info.value.message
    assert "--timeout" in (info.value.hint or "")


def test_pasted_garbage_is_an_auth_error():
    user = PasteBack(answer="I am not a URL")
    with pytest.raises(AuthError, match="pasted text"):
        authorize(
            OAuthClient(SETTINGS, "s"), LoginOptions(), opener=None, paste=user.paste, notify=user.notify
        )


def test_pasted_state_mismatch_is_an_auth_error():
    user = PasteBack(answer="code=c&state={state}-forged")
    with pytest.raises(AuthError, match="state"):
        authorize(
            OAuthClient(SETTINGS, "s"), LoginOptions(), opener=None, paste=user.paste, notify=user.notify
        )


def test_loopback_still_completes_when_paste_reaches_end_of_input():
    prompts: queue.Queue[Prompt] = queue.Queue()

    def browser_elsewhere() -> None:
        query = _query(prompts.get(timeout=5).url)
        requests.get(f"{query['redirect_uri']}?code=lb&state={query['state']}", timeout=5)

    threading.Thread(target=browser_elsewhere, daemon=True).start()
    grant = authorize(
        OAuthClient(SETTINGS, "s"), LoginOptions(), opener=None, paste=lambda: None, notify=prompts.put
    )
    assert grant.code == "lb"


def test_non_loopback_redirect_completes_by_paste_only():
    user = PasteBack()
    options = LoginOptions(redirect_uri="https://app.example/oauth/cb")
    grant = authorize(OAuthClient(SETTINGS, "s"), options, opener=None, paste=user.paste, notify=user.notify)
    assert grant.redirect_uri == "https://app.example/oauth/cb"
    assert grant.code == "the-code"


def test_non_loopback_redirect_without_paste_is_a_usage_error():
    options = LoginOptions(redirect_uri="https://app.example/oauth/cb")
    with pytest.raises(UsageError, match="pasted back"):
        authorize(OAuthClient(SETTINGS, "s"), options, opener=lambda url: False)


def test_loopback_redirect_uri_without_port_is_a_usage_error():
    with pytest.raises(UsageError, match="no port"):
        authorize(OAuthClient(SETTINGS, "s"), LoginOptions(redirect_uri="http://127.0.0.1/cb"), opener=None)


def test_plain_http_to_a_remote_host_is_refused():
    settings = OAuthSettings(
        authorization_url="http://idp.example/authorize", token_url="https://idp.example/token", client_id="c"
    )
    with pytest.raises(AuthError, match="https"):
        OAuthClient(settings, "s")


def test_loopback_http_allowance_is_restored_afterwards(monkeypatch):
    monkeypatch.delenv("OAUTHLIB_INSECURE_TRANSPORT", raising=False)
    settings = OAuthSettings(
        authorization_url="http://127.0.0.1:9/authorize", token_url="http://127.0.0.1:9/token", client_id="c"
    )
    url = OAuthClient(settings, "s").authorization_url("http://127.0.0.1:1/callback", "st", None, [])
    assert url.startswith("http://127.0.0.1:9/authorize?")
    assert "OAUTHLIB_INSECURE_TRANSPORT" not in os.environ


def test_a_users_own_insecure_transport_setting_survives(monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "yes")
    settings = OAuthSettings(
        authorization_url="http://127.0.0.1:9/authorize", token_url="http://127.0.0.1:9/token", client_id="c"
    )
    OAuthClient(settings, "s").authorization_url("http://127.0.0.1:1/callback", "st", None, [])
    assert os.environ["OAUTHLIB_INSECURE_TRANSPORT"] == "yes"


def test_non_loopback_redirect_is_pasted_even_when_a_browser_opened():
    user = PasteBack()
    options = LoginOptions(redirect_uri="https://app.example/oauth/cb")
    grant = authorize(
        OAuthClient(SETTINGS, "s"), options, opener=lambda url: True, paste=user.paste, notify=user.notify
    )
    assert grant.code == "the-code"

import json
import re

from c2c_cli.config import OAuthSettings
from c2c_cli.oauth import CHECK_IDS, check_provider


def _statuses(report) -> dict[str, str]:
    return {item.id: item.status for item in report.items}


def _evidence(report, item_id: str) -> str:
    return next(item.evidence for item in report.items if item.id == item_id)


def test_check_passes_against_the_sandbox(sandbox, browser, oauth_settings):
    report = check_provider(
        oauth_settings(sandbox), sandbox.info["client_secret"], opener=browser(sandbox, ("alice", "bob"))
    )
    assert _statuses(report) == dict.fromkeys(CHECK_IDS, "pass")
    assert report.ok
    assert report.redirect_uri and report.redirect_uri.startswith("http://127.0.0.1:")
    assert "wrong code_verifier was refused" in _evidence(report, "pkce_s256")
    assert sandbox.user_id("bob") in _evidence(report, "per_user_tokens")


def test_report_never_contains_a_token(sandbox, browser, oauth_settings):
    report = check_provider(
        oauth_settings(sandbox), sandbox.info["client_secret"], opener=browser(sandbox, ("alice", "bob"))
    )
    text = json.dumps(report.to_json())
    assert not re.search(r"eyJ[A-Za-z0-9_-]{10,}", text)  # no JWT access token
    assert sandbox.info["client_secret"] not in text


def test_missing_refresh_token_fails_the_refresh_items(make_sandbox, browser, oauth_settings):
    sb = make_sandbox(issue_refresh_token=False)
    report = check_provider(
        oauth_settings(sb), sb.info["client_secret"], opener=browser(sb, ("alice", "bob"))
    )
    statuses = _statuses(report)
    assert statuses["refresh_token_issued"] == "fail"
    assert statuses["refresh_grant"] == "fail"
    assert statuses["authorization_code"] == "pass"
    assert statuses["per_user_tokens"] == "pass"
    assert not report.ok


def test_wrong_client_auth_scheme_is_named_with_the_fix(make_sandbox, browser, oauth_settings):
    sb = make_sandbox(token_endpoint_auth="HTTP_BASIC")
    settings = oauth_settings(sb, token_endpoint_auth="REQUEST_BODY_CREDENTIALS")
    report = check_provider(settings, sb.info["client_secret"], opener=browser(sb, ("alice", "bob")))
    statuses = _statuses(report)
    assert statuses["client_auth"] == "fail"
    assert "set oauth.token_endpoint_auth: HTTP_BASIC" in _evidence(report, "client_auth")
    assert statuses["client_auth_other"] == "warn"
    assert statuses["refresh_grant"] == "pass"  # the rest of the checks run with the working scheme
    assert not report.ok


def test_the_same_user_twice_fails_per_user_tokens(make_sandbox, browser, oauth_settings):
    sb = make_sandbox()
    report = check_provider(
        oauth_settings(sb), sb.info["client_secret"], opener=browser(sb, ("alice", "alice"))
    )
    assert _statuses(report)["per_user_tokens"] == "fail"


def test_single_user_mode_warns_about_per_user_tokens(make_sandbox, browser, oauth_settings):
    sb = make_sandbox()
    report = check_provider(
        oauth_settings(sb), sb.info["client_secret"], opener=browser(sb), second_user=False
    )
    assert _statuses(report)["per_user_tokens"] == "warn"
    assert report.ok


def test_no_revocation_endpoint_is_a_warning(make_sandbox, browser, oauth_settings):
    sb = make_sandbox()
    settings = oauth_settings(sb, revocation_url=None)
    report = check_provider(settings, sb.info["client_secret"], opener=browser(sb, ("alice", "bob")))
    assert _statuses(report)["revocation"] == "warn"


def test_no_userinfo_is_fine_when_the_token_is_a_jwt(make_sandbox, browser, oauth_settings):
    sb = make_sandbox()
    settings = oauth_settings(sb, userinfo_url=None)
    report = check_provider(settings, sb.info["client_secret"], opener=browser(sb, ("alice", "bob")))
    assert _statuses(report)["user_id"] == "pass"
    assert "JWT sub" in _evidence(report, "user_id")


def test_denied_consent_fails_the_authorization_code_item(make_sandbox, browser, oauth_settings):
    sb = make_sandbox()
    report = check_provider(oauth_settings(sb), sb.info["client_secret"], opener=browser(sb, consent=False))
    assert _statuses(report)["authorization_code"] == "fail"
    assert "access_denied" in _evidence(report, "authorization_code")
    assert not report.ok


def test_plain_http_to_a_remote_host_fails_without_contacting_it():
    settings = OAuthSettings(
        authorization_url="http://idp.invalid/authorize", token_url="https://idp.invalid/token", client_id="c"
    )
    report = check_provider(settings, "secret", opener=None)
    assert _statuses(report)["https"] == "fail"
    assert "http://idp.invalid/authorize" in _evidence(report, "https")
    assert not report.ok

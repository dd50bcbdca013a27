"""``c2c oauth check``: the service's OAuth requirements (contract.md §6.1) run against a real provider.

The check signs in through the same front channel as ``login`` (browser or paste-back; tests inject a
fake browser): once as a first user and once as a second, different user (``second_user=False`` turns
that into a warning). With the first user's code it probes PKCE by presenting a wrong ``code_verifier``
before the right one; it exercises the refresh grant with the configured client authentication and
then with the other scheme; finally it revokes the tokens and checks they are dead. Each requirement
becomes a :class:`CheckItem` whose evidence never contains a token (fingerprints only).

``--json`` shape (:meth:`CheckReport.to_json`)::

    {"ok": true, "counts": {"pass": 11, "warn": 1, "fail": 0}, "redirect_uri": "http://127.0.0.1:.../callback",
     "items": [{"id": "https", "status": "pass", "title": "...", "evidence": "..."}, ...]}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from c2c_cli.config import OAuthSettings
from c2c_cli.errors import AuthError
from c2c_cli.oauth.check_steps import (
    Redeemed,
    is_client_auth_error,
    probe_revocation,
    redeem,
    scheme_name,
    why,
)
from c2c_cli.oauth.client import OTHER_SCHEME, OAuthClient, Scheme
from c2c_cli.oauth.flow import Authorization, LoginOptions, Opener, Paste, Prompt, authorize, resolve_user_id
from c2c_cli.oauth.pkce import new_pkce
from c2c_cli.oauth.report import CHECK_IDS, CheckItem, CheckReport, Status, build_report
from c2c_cli.oauth.tokens import fingerprint, token_format_problem, user_id_problem
from c2c_cli.oauth.transport import insecure_urls

__all__ = ["CHECK_IDS", "CheckItem", "CheckReport", "check_provider"]

_SECOND_USER = (
    "sign in as a SECOND, different test user (sign out at the provider first, or use a private window)"
)


class _Checker:
    """Runs the steps in order; the first verdict recorded for an item wins."""

    def __init__(self, client: OAuthClient, login: Callable[[str], Authorization]) -> None:
        self.client = client
        self.login = login
        self.configured: Scheme = client.settings.token_endpoint_auth
        self.results: dict[str, tuple[Status, str]] = {}
        self.redirect_uri: str | None = None

    def set(self, item_id: str, status: Status, evidence: str) -> None:
        self.results.setdefault(item_id, (status, evidence))

    def first_user(self) -> Redeemed:
        grant = self.login("sign in as a first test user")
        self.redirect_uri = grant.redirect_uri
        if grant.verifier is None:
            self.set("pkce_s256", "warn", "not checked: PKCE disabled (--no-pkce)")
            return self._accept(redeem(self.client, grant, None, self.configured))
        probe = redeem(self.client, grant, new_pkce().verifier, self.configured)
        if probe.token is not None:
            self.set(
                "pkce_s256", "warn", "a wrong code_verifier was accepted: the server does not enforce PKCE"
            )
            return self._accept(probe)
        if probe.scheme is None:
            return self._accept(probe)
        first = redeem(self.client, grant, grant.verifier, probe.scheme)
        if first.token is None and first.scheme is not None:
            # Burning a code after a failed verifier is allowed (RFC 6749 §4.1.2): sign in once more.
            grant = self.login("sign in again as the first user (the PKCE probe used up the code)")
            first = redeem(self.client, grant, grant.verifier, probe.scheme)
        if first.token is not None:
            self.set(
                "pkce_s256", "pass", f"S256 accepted; a wrong code_verifier was refused ({probe.last_error})"
            )
        return self._accept(first, probe)

    def _accept(self, first: Redeemed, probe: Redeemed | None = None) -> Redeemed:
        errors = {**(probe.errors if probe else {}), **first.errors}
        configured_error = errors.get(self.configured)
        if configured_error is not None and is_client_auth_error(configured_error):
            works = first.scheme if first.token is not None else None
            advice = f"; {works} works: set oauth.token_endpoint_auth: {works}" if works else ""
            self.set(
                "client_auth",
                "fail",
                f"{scheme_name(self.configured)} refused: {why(configured_error)}{advice}",
            )
            other = OTHER_SCHEME[self.configured]
            if works == other:
                self.set("client_auth_other", "warn", f"{scheme_name(other)} accepted for the code exchange")
            elif other in errors:
                self.set(
                    "client_auth_other", "fail", f"{scheme_name(other)} refused too: {why(errors[other])}"
                )
        if first.token is None:
            self.set("authorization_code", "fail", f"the code exchange failed: {first.last_error}")
        else:
            self.set(
                "authorization_code",
                "pass",
                f"code redeemed at the token endpoint with {scheme_name(first.scheme)}",
            )
        return first

    def refresh(self, token: dict[str, Any], scheme: Scheme) -> dict[str, Any]:
        refresh_token = token.get("refresh_token")
        if not refresh_token:
            self.set("refresh_token_issued", "fail", "the token response has no refresh_token")
            self.set("refresh_grant", "fail", "cannot be tested without a refresh token")
            self.set("client_auth_other", "warn", "not checked: no refresh token to try it with")
            self.set(
                "client_auth",
                "pass",
                f"{scheme_name(scheme)} accepted for the code exchange (refresh untested)",
            )
            return token
        self.set(
            "refresh_token_issued", "pass", f"refresh token issued (fingerprint {fingerprint(refresh_token)})"
        )
        try:
            token = {**token, **self.client.refresh(refresh_token, scheme=scheme)}
        except AuthError as exc:
            self.set("refresh_grant", "fail", f"refresh with {scheme_name(scheme)} failed: {why(exc)}")
            if is_client_auth_error(exc):
                self.set("client_auth", "fail", f"{scheme_name(scheme)} refused for refresh: {why(exc)}")
            return token
        rotated = "rotated" if token.get("refresh_token") != refresh_token else "not rotated"
        evidence = f"new access token {fingerprint(str(token['access_token']))}; refresh token {rotated}"
        self.set("refresh_grant", "pass", evidence)
        self.set("client_auth", "pass", f"{scheme_name(scheme)} accepted for the code exchange and refresh")
        return self._other_scheme(token) if scheme == self.configured else token

    def _other_scheme(self, token: dict[str, Any]) -> dict[str, Any]:
        other = OTHER_SCHEME[self.configured]
        try:
            newer = self.client.refresh(str(token["refresh_token"]), scheme=other)
        except AuthError as exc:
            self.set(
                "client_auth_other",
                "pass",
                f"{scheme_name(other)} refused ({why(exc)}); keep {self.configured}",
            )
            return token
        self.set("client_auth_other", "pass", f"{scheme_name(other)} also accepted: either setting works")
        return {**token, **newer}

    def user_id(self, access_token: str, label: str) -> str | None:
        try:
            user_id, source = resolve_user_id(self.client, access_token)
        except AuthError as exc:
            self.set("user_id", "fail", f"{label}: {exc.message}")
            return None
        if user_id is None:
            why = "the access token is not a JWT with 'sub'"
            why += (
                " and the userinfo response has no sub/user_id/id"
                if self.client.settings.userinfo_url
                else (" and no oauth.userinfo_url is configured")
            )
            self.set("user_id", "fail", f"{label}: {why}")
            return None
        problem = user_id_problem(user_id)
        origin = "JWT sub" if source == "jwt" else "the userinfo endpoint"
        note = f"; it {problem}: the connector must map it" if problem else ""
        self.set("user_id", "warn" if problem else "pass", f"{label}: {user_id!r} from {origin}{note}")
        return user_id

    def token_format(self, token: dict[str, Any]) -> None:
        problems = [
            f"{name} {problem}"
            for name in ("access_token", "refresh_token")
            if token.get(name) and (problem := token_format_problem(str(token[name])))
        ]
        access = str(token["access_token"])
        shape = "a JWT" if access.count(".") == 2 else "opaque"
        if problems:
            self.set("token_format", "warn", "; ".join(problems))
        self.set("token_format", "pass", f"access token is {shape} ({len(access)} characters); alphabet OK")

    def second_user(self, first_id: str | None, scheme: Scheme) -> dict[str, Any] | None:
        try:
            grant = self.login(_SECOND_USER)
        except AuthError as exc:
            self.set("per_user_tokens", "fail", f"the second sign-in failed: {exc.message}")
            return None
        second = redeem(self.client, grant, grant.verifier, scheme)
        if second.token is None:
            self.set("per_user_tokens", "fail", f"the second code exchange failed: {second.last_error}")
            return None
        second_id = self.user_id(str(second.token["access_token"]), "second user")
        if first_id is None or second_id is None:
            self.set(
                "per_user_tokens", "fail", "the user ids are unknown, so the tokens cannot be told apart"
            )
        elif first_id == second_id:
            self.set("per_user_tokens", "fail", f"both sign-ins gave user id {first_id!r} (same user twice?)")
        else:
            self.set("per_user_tokens", "pass", f"first user {first_id!r}, second user {second_id!r}")
        return second.token


def check_provider(
    settings: OAuthSettings,
    secret: str,
    *,
    opener: Opener | None,
    paste: Paste | None = None,
    notify: Callable[[Prompt], None] | None = None,
    options: LoginOptions | None = None,
    second_user: bool = True,
) -> CheckReport:
    """Run every :data:`CHECK_IDS` requirement against the provider of ``settings``.

    Args:
        settings: ``oauth:`` from ``c2c.yaml``.
        secret: the client secret.
        opener: the browser (tests: a fake that signs in and follows the redirect).
        paste: reads a pasted redirect URL when no browser was opened.
        notify: told each authorization URL and whom to sign in as.
        options: redirect URI, port, scopes, timeout, PKCE.
        second_user: also sign in as a second user (per-user tokens); otherwise that item is a warning.

    Returns:
        The report; ``report.ok`` is false when any item failed.
    """
    if bad := insecure_urls(settings):
        results: dict[str, tuple[Status, str]] = {"https": ("fail", "plain http: " + ", ".join(bad))}
        return build_report(results, None, "the endpoints are not HTTPS, so no secret was sent")
    client = OAuthClient(settings, secret)
    opts = options or LoginOptions()

    def login(purpose: str) -> Authorization:
        return authorize(client, opts, opener=opener, paste=paste, notify=notify, purpose=purpose)

    checker = _Checker(client, login)
    checker.set("https", "pass", "every configured endpoint is https or loopback")
    try:
        skipped = _run(checker, second_user)
    except AuthError as exc:
        checker.set("authorization_code", "fail", exc.message)
        skipped = "the sign-in failed"
    return build_report(checker.results, checker.redirect_uri, skipped)


def _run(checker: _Checker, second_user: bool) -> str:
    first = checker.first_user()
    if first.token is None or first.scheme is None:
        return "the code exchange failed"
    checker.set("redirect_uri", "pass", _redirect_evidence(checker.redirect_uri))
    token = checker.refresh(first.token, first.scheme)
    checker.token_format(token)
    first_id = checker.user_id(str(token["access_token"]), "first user")
    second = checker.second_user(first_id, first.scheme) if second_user else None
    if not second_user:
        checker.set("per_user_tokens", "warn", "not checked: --single-user")
    checker.set("revocation", *probe_revocation(checker.client, token, first.scheme))
    if second is not None and checker.client.settings.revocation_url:
        probe_revocation(checker.client, second, first.scheme)  # leave no live tokens behind
    return "skipped"


def _redirect_evidence(redirect_uri: str | None) -> str:
    return (
        f"the provider accepted {redirect_uri}. For the service, allowlist the managed integrations "
        "OAuth callback URL (not published: contract.md §9 #14; take it from the AWS console or support)"
    )

"""Account linking: the OAuth callback, activation and unlinking (contract.md §6.2, §3.1, §3.4).

``/_emulator/oauth/callback`` is the service's redirect URI. It finds the association by ``state``
(compared in constant time), redeems the code at the destination's ``tokenUrl`` with the client id and
secret from the destination's Secrets Manager secret and its ``tokenEndpointAuthenticationScheme``
(``c2c_cli.oauth.OAuthClient``: HTTP_BASIC = client_secret_basic, REQUEST_BODY_CREDENTIALS =
client_secret_post, RFC 6749 §2.3.1) plus the PKCE verifier (RFC 7636 §4.5), invokes ``AWS.ActivateUser``
and ends in ``ASSOCIATION_SUCCEEDED`` (user id stored) or ``ASSOCIATION_FAILED`` (``ErrorMessage``).
The browser then goes to ``oAuthCompleteRedirectUrl``, with ``error``/``error_description`` on failure.
Tokens stay in the association row; keeping them fresh before an invocation is the driver's
(``driver.credentials``). Re-linking (``StartAccountAssociationRefresh``) builds a new authorization URL
and lives with the other association operations (``associations``).
"""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import urlencode

from c2c_cli.emulator.driver.credentials import tokens_from
from c2c_cli.emulator.driver.host import LinkError, error_message
from c2c_cli.emulator.driver.lifecycle import Lifecycle
from c2c_cli.emulator.http.admin import CALLBACK_PATH
from c2c_cli.emulator.http.store import ASSOCIATION
from c2c_cli.emulator.operations.context import Context, Handler
from c2c_cli.emulator.operations.discovery import forget_association
from c2c_cli.emulator.operations.things import remove_things_of

__all__ = ["HANDLERS", "activate", "callback"]

_FAILED, _SUCCEEDED = "ASSOCIATION_FAILED", "ASSOCIATION_SUCCEEDED"


def _claim(lc: Lifecycle, state: str) -> tuple[str, dict[str, Any], str] | None:
    """``(owner, association, PKCE verifier)`` waiting for ``state``, which is used up at once."""
    with lc.store.transaction():
        for owner, data in lc.store.all_of(ASSOCIATION):
            oauth = data.pop("_oauth", {})
            expected = oauth.get("state") or ""
            if expected and hmac.compare_digest(expected.encode(), state.encode()):
                lc.save_association(owner, data)  # a replayed callback finds nothing
                return owner, data, str(oauth.get("code_verifier") or "")
    return None


def _finish(lc: Lifecycle, owner: str, data: dict[str, Any], problem: str | None) -> None:
    data["AssociationState"] = _FAILED if problem else _SUCCEEDED
    if problem:
        data["ErrorMessage"] = error_message(problem)
    else:
        data.pop("ErrorMessage", None)
    lc.save_association(owner, data)


def _link(lc: Lifecycle, owner: str, data: dict[str, Any], code: str, verifier: str) -> str | None:
    """Exchange the code, activate the user; the problem, or None on success."""
    from c2c_cli.errors import C2CError

    try:
        client = lc.credentials.client_for(owner, data)
        redirect = lc.service.endpoint_url + CALLBACK_PATH
        token = client.exchange_code(code, redirect, verifier or None)
    except (C2CError, LinkError) as exc:
        return f"token exchange failed: {exc}"
    data["_tokens"] = tokens_from(token, lc.service.clock())
    lc.save_association(owner, data)
    return _activate_user(lc, data)


def _activate_user(lc: Lifecycle, data: dict[str, Any]) -> str | None:
    """Invoke ``AWS.ActivateUser`` and keep its ``userId`` (contract.md §3.1); the problem or None."""
    from c2c_cli.oauth.tokens import user_id_problem

    try:
        result = lc.invoke(data["AccountAssociationId"], "AWS.ActivateUser")
    except LinkError as exc:
        return str(exc)
    user_id = result.payload.get("userId")
    if not result.ok:
        return f"AWS.ActivateUser failed: {result.problem}"
    if not isinstance(user_id, str) or user_id_problem(user_id):
        return "AWS.ActivateUser returned no usable payload.userId (ThirdPartyUserId)"
    owner, fresh = lc.association(data["AccountAssociationId"])  # a refresh may have rotated the tokens
    fresh["_user_id"] = user_id
    lc.save_association(owner, fresh)
    return None


def activate(lc: Lifecycle, association_id: str) -> None:
    """Link a General Authorization association: ``AWS.ActivateUser`` with the secret reference."""
    problem = _activate_user(lc, lc.association(association_id)[1])
    owner, data = lc.association(association_id)
    _finish(lc, owner, data, problem)


def _complete_url(lc: Lifecycle, data: dict[str, Any], problem: str | None, error: str) -> str | None:
    url = lc.destination_of(data).get("AuthConfig", {}).get("oAuth", {}).get("oAuthCompleteRedirectUrl")
    if not url:
        return None
    if problem is None:
        return str(url)
    query = urlencode({"error": error, "error_description": error_message(problem)})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def callback(lc: Lifecycle, args: dict[str, str]) -> tuple[int, dict[str, str], str]:
    """Answer the browser at the redirect URI: ``(status, headers, html body)``."""
    found = _claim(lc, args.get("state", ""))
    if found is None:
        return 400, {}, _page("Unknown or already used state. Start the account linking again.")
    try:
        return _complete(lc, *found, args)
    except LinkError:  # deleted while the user was signing in
        return 400, {}, _page("The account association no longer exists.")


def _complete(
    lc: Lifecycle, owner: str, data: dict[str, Any], verifier: str, args: dict[str, str]
) -> tuple[int, dict[str, str], str]:
    """Exchange, activate, settle the state and redirect the browser (contract.md §6.2 steps 3-5)."""
    if args.get("error"):
        problem: str | None = f"authorization denied: {args['error']} {args.get('error_description', '')}"
        error = args["error"]
    elif not args.get("code"):
        problem, error = "the authorization server sent no code", "invalid_request"
    else:
        problem, error = _link(lc, owner, data, args["code"], verifier), "server_error"
    _, data = lc.association(data["AccountAssociationId"])
    _finish(lc, owner, data, problem)
    location = _complete_url(lc, data, problem, error)
    if location:
        return 302, {"Location": location}, ""
    text = "Account linked. You can close this window." if problem is None else "Account linking failed."
    return (200 if problem is None else 400), {}, _page(text)


def _page(text: str) -> str:
    from html import escape

    return f"<!doctype html><title>c2c emulator</title><p>{escape(text)}</p>"


def delete_account_association(ctx: Context, params: dict[str, Any]) -> None:
    """``DeleteAccountAssociation``: ``ASSOCIATION_DELETING``, then ``AWS.DeactivateUser``, then clean-up.

    The connector is invoked after the transaction (it may send events meanwhile) and before the
    answer, so the caller sees the association gone once the call returns (contract.md §1 steps 17-19).
    """
    aid = params["AccountAssociationId"]
    data = ctx.owned(ASSOCIATION, aid, "AccountAssociation")
    was_linked = any(data.get(k) for k in ("_tokens", "_user_id", "GeneralAuthorization"))
    data["AssociationState"] = "ASSOCIATION_DELETING"
    ctx.store.put(ctx.account.account_id, ASSOCIATION, aid, data, ctx.now)
    ctx.later(lambda lc: _unlink(lc, aid, was_linked))


def _unlink(lc: Lifecycle, association_id: str, was_linked: bool) -> None:
    if was_linked:
        try:
            lc.invoke(association_id, "AWS.DeactivateUser")
        except LinkError:
            pass  # nothing to revoke with: the refresh failed (recorded on the association)
    with lc.store.transaction():
        remove_things_of(lc, association_id)
        forget_association(lc, association_id)
        lc.store.delete(ASSOCIATION, association_id)


HANDLERS: dict[str, Handler] = {
    "DeleteAccountAssociation": delete_account_association,
}

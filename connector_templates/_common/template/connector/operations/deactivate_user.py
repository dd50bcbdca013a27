"""``AWS.DeactivateUser``: stop the user's events, then revoke access at the vendor (contract §3.4).

Order matters: the user is marked inactive first, so the webhook drops their events even if a vendor
call below fails; then the per-user webhook is removed (best effort) and :func:`connector.auth.revoke`
revokes the tokens (OAuth, RFC 7009) or does the General Authorization clean-up.
"""

from __future__ import annotations

from typing import Any

from connector import auth, store
from connector.context import Invocation
from connector.envelope import ConnectorError, ack


def _remove_webhook(invocation: Invocation) -> None:
    if auth.SHARED_WEBHOOK:
        return  # one API key's webhook serves other users too
    owner = auth.webhook_owner(invocation)
    known = store.hook(owner)
    if known is None:
        return
    try:
        invocation.vendor.delete_webhook(str(known["id"]))
    except ConnectorError as exc:
        if exc.code not in (401, 404):  # already gone with the token, or with the hook
            raise
    store.drop_hook(owner)


def _user_id(invocation: Invocation) -> str | None:
    try:
        return invocation.user_id
    except ConnectorError as exc:
        if exc.code != 401:
            raise
        return None  # an expired token names no user at /v1/me, but must still be revoked


def run(invocation: Invocation) -> dict[str, Any]:
    """Deactivate, unhook, revoke."""
    user_id = _user_id(invocation)
    if user_id is not None:
        store.deactivate_user(user_id)
        _remove_webhook(invocation)
    auth.revoke(invocation)
    return ack(200)

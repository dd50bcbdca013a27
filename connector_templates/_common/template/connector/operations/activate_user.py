"""``AWS.ActivateUser``: answer with the third-party user id (contract §3.1).

The id comes from :func:`connector.auth.user_id` (OAuth: the access token's JWT ``sub``, else the vendor's
``/v1/me``; General Authorization: the secret). The user is recorded as active, and when ``WEBHOOK_URL``
is set (template.yaml sets it to the webhook function's URL) the vendor's state-change webhook is
registered once per owner, so device events flow from then on; a failed registration is logged as an
error but does not fail the linking.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from connector import auth, store
from connector.context import Invocation
from connector.envelope import ConnectorError, ack
from connector.logs import log_json, register_secret


def _ensure_webhook(invocation: Invocation) -> str | None:
    url = os.environ.get("WEBHOOK_URL")
    if not url:
        return None
    owner = auth.webhook_owner(invocation)
    known = store.hook(owner)
    if known is None:
        try:
            created = invocation.vendor.add_webhook(url)
        except ConnectorError as exc:
            # Linking must not fail over events; the next ActivateUser (e.g. a relink) tries again.
            log_json(logging.ERROR, "webhook registration failed", code=exc.code, error=exc.message)
            return None
        register_secret(created["secret"])
        store.save_hook(owner, str(created["id"]), str(created["secret"]))
        known = {"id": created["id"], "secret": created["secret"]}
    return str(known["secret"])


def run(invocation: Invocation) -> dict[str, Any]:
    """Resolve the user id, record the user, register the webhook."""
    user_id = invocation.user_id
    secret = _ensure_webhook(invocation)
    store.activate_user(user_id, invocation.request.connector_id, secret)
    return ack(200, userId=user_id)

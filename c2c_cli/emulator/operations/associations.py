"""Account associations (contract.md §6.2, §7.2 rows 3, 4, 12).

An association is created ``ASSOCIATION_IN_PROGRESS`` with an ``OAuthAuthorizationUrl`` built from its
destination's OAuth config (contract.md §6.3): ``response_type=code``, ``client_id`` (from the
destination's secret when moto can read it), ``redirect_uri`` = the emulator's own callback, ``scope``,
``state`` and a PKCE S256 challenge (RFC 7636 §4.2). The state and verifier stay in the row until the
callback (``linking``) completes the link. General Authorization destinations get an empty URL (model)
and are linked at once: ``AWS.ActivateUser`` runs with the secret reference after the create.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import Any
from urllib.parse import urlencode

from c2c_cli.emulator.http.admin import CALLBACK_PATH
from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.store import ASSOCIATION, DESTINATION
from c2c_cli.emulator.operations.context import Context, Handler, new_id
from c2c_cli.emulator.operations.linking import activate
from c2c_cli.emulator.operations.paging import paginate

__all__ = ["HANDLERS", "association_arn", "authorization_url"]

_PUBLIC = (
    "AccountAssociationId",
    "Arn",
    "AssociationState",
    "ConnectorDestinationId",
    "Description",
    "ErrorMessage",
    "Name",
    "OAuthAuthorizationUrl",
    "Tags",
    "GeneralAuthorization",
)
_LIST_ITEM = (
    "AccountAssociationId",
    "Arn",
    "AssociationState",
    "ConnectorDestinationId",
    "Description",
    "ErrorMessage",
    "Name",
)


def association_arn(region: str, account_id: str, association_id: str) -> str:
    """``arn:aws:iotmanagedintegrations:<region>:<account>:account-association/<id>`` (contract.md §9 #16)."""
    return f"arn:aws:iotmanagedintegrations:{region}:{account_id}:account-association/{association_id}"


def _client_id(ctx: Context, destination: dict[str, Any]) -> str | None:
    ref = destination.get("SecretsManager")
    if not ref:
        return None
    text = ctx.read_secret(ref["arn"], ref["versionId"], ctx.account)
    try:
        secret = json.loads(text) if text else {}
    except ValueError:
        return None
    # contract.md §9 #13: key names are undocumented; the toolkit writes clientId.
    value = secret.get("clientId") or secret.get("client_id") if isinstance(secret, dict) else None
    return str(value) if value else None


def authorization_url(ctx: Context, destination: dict[str, Any], state: str, verifier: str) -> str:
    """The destination's authorize URL with the emulator's callback, ``state`` and PKCE (RFC 7636 §4.3)."""
    oauth = destination.get("AuthConfig", {}).get("oAuth")
    if not oauth:
        return ""
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query: dict[str, str] = {"response_type": "code"}
    client_id = _client_id(ctx, destination)
    if client_id:
        query["client_id"] = client_id
    query["redirect_uri"] = ctx.endpoint_url + CALLBACK_PATH
    if oauth.get("scope"):
        query["scope"] = oauth["scope"]
    query.update(state=state, code_challenge=challenge, code_challenge_method="S256")
    sep = "&" if "?" in oauth["authUrl"] else "?"
    return f"{oauth['authUrl']}{sep}{urlencode(query)}"


def _check_general_authorization(destination: dict[str, Any], params: dict[str, Any]) -> None:
    name = params.get("GeneralAuthorization", {}).get("AuthMaterialName")
    materials = destination.get("AuthConfig", {}).get("GeneralAuthorization", [])
    names = sorted(m["AuthMaterialName"] for m in materials)
    if name and name not in names:
        raise ApiError(
            "ValidationException",
            f"GeneralAuthorization.AuthMaterialName {name!r} is not an auth material of the destination "
            f"({', '.join(names) or 'it has none'})",
        )
    if not name and len(names) > 1 and not destination.get("AuthConfig", {}).get("oAuth"):
        # toolkit rule: with several materials the association must say which one it uses
        raise ApiError(
            "ValidationException",
            f"GeneralAuthorization.AuthMaterialName is required: the destination has {', '.join(names)}",
        )


def create_account_association(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``CreateAccountAssociation``: starts ``ASSOCIATION_IN_PROGRESS`` (contract.md §6.2 step 1)."""
    destination = ctx.owned(DESTINATION, params["ConnectorDestinationId"], "ConnectorDestination")
    _check_general_authorization(destination, params)
    aid = new_id()
    state, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    data: dict[str, Any] = {
        "AccountAssociationId": aid,
        "Arn": association_arn(ctx.region, ctx.account.account_id, aid),
        "AssociationState": "ASSOCIATION_IN_PROGRESS",
        "OAuthAuthorizationUrl": authorization_url(ctx, destination, state, verifier),
        **{
            k: params[k]
            for k in ("ConnectorDestinationId", "Name", "Description", "Tags", "GeneralAuthorization")
            if k in params
        },
        "_oauth": {"state": state, "code_verifier": verifier},
    }
    ctx.store.put(ctx.account.account_id, ASSOCIATION, aid, data, ctx.now)
    if not data["OAuthAuthorizationUrl"] and destination.get("AuthConfig", {}).get("GeneralAuthorization"):
        # General Authorization has no browser steps (contract.md §1): activate right after the create.
        ctx.later(lambda lc: activate(lc, aid))
    return {k: data[k] for k in ("AccountAssociationId", "Arn", "AssociationState", "OAuthAuthorizationUrl")}


def get_account_association(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``GetAccountAssociation``."""
    data = ctx.owned(ASSOCIATION, params["AccountAssociationId"], "AccountAssociation")
    return {k: data[k] for k in _PUBLIC if k in data}


def list_account_associations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``ListAccountAssociations`` with the ``ConnectorDestinationId`` filter."""
    items = ctx.store.list_owned(ctx.account.account_id, ASSOCIATION)
    if "ConnectorDestinationId" in params:
        items = [a for a in items if a["ConnectorDestinationId"] == params["ConnectorDestinationId"]]
    return paginate(
        ctx,
        "ListAccountAssociations",
        [{k: a[k] for k in _LIST_ITEM if k in a} for a in items],
        params,
        "Items",
    )


def update_account_association(ctx: Context, params: dict[str, Any]) -> None:
    """``UpdateAccountAssociation``: Name and Description; refused while the association is being deleted."""
    data = ctx.owned(ASSOCIATION, params["AccountAssociationId"], "AccountAssociation")
    if data["AssociationState"] == "ASSOCIATION_DELETING":
        raise ApiError("ConflictException", "the account association is being deleted")
    data.update({k: params[k] for k in ("Name", "Description") if k in params})
    ctx.store.put(ctx.account.account_id, ASSOCIATION, data["AccountAssociationId"], data, ctx.now)


def start_account_association_refresh(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``StartAccountAssociationRefresh``: a new authorization URL; back to ``ASSOCIATION_IN_PROGRESS``."""
    data = ctx.owned(ASSOCIATION, params["AccountAssociationId"], "AccountAssociation")
    if data["AssociationState"] == "ASSOCIATION_DELETING":
        raise ApiError("ConflictException", "the account association is being deleted")
    destination = ctx.owned(DESTINATION, data["ConnectorDestinationId"], "ConnectorDestination")
    state, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    data["OAuthAuthorizationUrl"] = authorization_url(ctx, destination, state, verifier)
    data.update(
        AssociationState="ASSOCIATION_IN_PROGRESS", _oauth={"state": state, "code_verifier": verifier}
    )
    data.pop("ErrorMessage", None)
    ctx.store.put(ctx.account.account_id, ASSOCIATION, data["AccountAssociationId"], data, ctx.now)
    return {"OAuthAuthorizationUrl": data["OAuthAuthorizationUrl"]}


HANDLERS: dict[str, Handler] = {
    "StartAccountAssociationRefresh": start_account_association_refresh,
    "CreateAccountAssociation": create_account_association,
    "GetAccountAssociation": get_account_association,
    "ListAccountAssociations": list_account_associations,
    "UpdateAccountAssociation": update_account_association,
}

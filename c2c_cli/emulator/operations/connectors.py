"""Cloud connectors and connector destinations (contract.md §7.2 rows 1–2 and "Related").

Resources are scoped to the calling account: another account's id answers ResourceNotFoundException.
Deleting a destination (or a connector) still in use is refused with ValidationException, the only
fitting error the model lists for those operations (toolkit rule: modeled codes only, contract.md §8.1).
"""

from __future__ import annotations

import re
from typing import Any

from c2c_cli.emulator.http.errors import ApiError
from c2c_cli.emulator.http.store import ASSOCIATION, CONNECTOR, DESTINATION
from c2c_cli.emulator.operations.context import Context, Handler, new_id
from c2c_cli.emulator.operations.paging import paginate

__all__ = ["CONNECTOR", "DESTINATION", "HANDLERS"]

_LAMBDA_ACCOUNT = re.compile(r"arn:aws:lambda:[0-9a-zA-Z-]+:(?P<account>[0-9]+):function:.*")


def _pick(params: dict[str, Any], *names: str) -> dict[str, Any]:
    return {n: params[n] for n in names if n in params}


def create_cloud_connector(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``CreateCloudConnector``: names are unique per account (ConflictException)."""
    if any(c["Name"] == params["Name"] for c in ctx.store.list_owned(ctx.account.account_id, CONNECTOR)):
        raise ApiError("ConflictException", f"a cloud connector named {params['Name']!r} already exists")
    arn = params["EndpointConfig"].get("lambda", {}).get("arn", "")
    match = _LAMBDA_ACCOUNT.fullmatch(arn)
    if match and match["account"] != ctx.account.account_id:
        # contract.md §7.3: the Lambda must live in the registering account.
        raise ApiError(
            "AccessDeniedException", "EndpointConfig.lambda.arn is not a function of the calling account"
        )
    cid = new_id()
    data = {
        "Id": cid,
        "Type": "UNLISTED",
        "EndpointType": "LAMBDA",
        **_pick(params, "Name", "Description", "EndpointConfig", "EndpointType"),
    }
    ctx.store.put(ctx.account.account_id, CONNECTOR, cid, data, ctx.now)
    return {"Id": cid}


def get_cloud_connector(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``GetCloudConnector``."""
    return ctx.owned(CONNECTOR, params["Identifier"], "CloudConnector")


def list_cloud_connectors(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``ListCloudConnectors`` with the ``LambdaArn`` (exact) and ``Type`` filters."""
    items = ctx.store.list_owned(ctx.account.account_id, CONNECTOR)
    if "LambdaArn" in params:
        items = [c for c in items if c["EndpointConfig"].get("lambda", {}).get("arn") == params["LambdaArn"]]
    if "Type" in params:
        items = [c for c in items if c.get("Type") == params["Type"]]
    return paginate(ctx, "ListCloudConnectors", items, params, "Items")


def update_cloud_connector(ctx: Context, params: dict[str, Any]) -> None:
    """``UpdateCloudConnector``: Name and Description."""
    data = ctx.owned(CONNECTOR, params["Identifier"], "CloudConnector")
    data.update(_pick(params, "Name", "Description"))
    ctx.store.put(ctx.account.account_id, CONNECTOR, data["Id"], data, ctx.now)


def delete_cloud_connector(ctx: Context, params: dict[str, Any]) -> None:
    """``DeleteCloudConnector``: refused while a destination points at it."""
    cid = params["Identifier"]
    ctx.owned(CONNECTOR, cid, "CloudConnector")
    _refuse_if_used(ctx, f"cloud connector {cid}", DESTINATION, "CloudConnectorId", cid, "Id")
    ctx.store.delete(CONNECTOR, cid)


def create_connector_destination(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``CreateConnectorDestination``: the cloud connector must exist in the caller's account."""
    ctx.owned(CONNECTOR, params["CloudConnectorId"], "CloudConnector")
    did = new_id()
    data = {
        "Id": did,
        "AuthType": "OAUTH",
        **_pick(
            params, "Name", "Description", "CloudConnectorId", "AuthType", "AuthConfig", "SecretsManager"
        ),
    }
    ctx.store.put(ctx.account.account_id, DESTINATION, did, data, ctx.now)
    return {"Id": did}


def get_connector_destination(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``GetConnectorDestination``; ``OAuthCompleteRedirectUrl`` mirrors the oAuth config's."""
    data = ctx.owned(DESTINATION, params["Identifier"], "ConnectorDestination")
    redirect = data.get("AuthConfig", {}).get("oAuth", {}).get("oAuthCompleteRedirectUrl")
    return {**data, "OAuthCompleteRedirectUrl": redirect} if redirect else data


def list_connector_destinations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """``ListConnectorDestinations`` with the ``CloudConnectorId`` filter."""
    items = ctx.store.list_owned(ctx.account.account_id, DESTINATION)
    if "CloudConnectorId" in params:
        items = [d for d in items if d["CloudConnectorId"] == params["CloudConnectorId"]]
    summaries = [_pick(d, "CloudConnectorId", "Description", "Id", "Name") for d in items]
    return paginate(ctx, "ListConnectorDestinations", summaries, params, "ConnectorDestinationList")


def _apply_auth_update(auth: dict[str, Any], update: dict[str, Any]) -> None:
    oauth_update = update.get("oAuthUpdate")
    if oauth_update:
        auth.setdefault("oAuth", {}).update(oauth_update)
    general = update.get("GeneralAuthorizationUpdate") or {}
    materials = {m["AuthMaterialName"]: m for m in auth.get("GeneralAuthorization", [])}
    for material in general.get("AuthMaterialsToAdd", []) + general.get("AuthMaterialsToUpdate", []):
        materials[material["AuthMaterialName"]] = material
    if general:
        auth["GeneralAuthorization"] = list(materials.values())


def update_connector_destination(ctx: Context, params: dict[str, Any]) -> None:
    """``UpdateConnectorDestination``: names, secret reference and an auth-config patch."""
    data = ctx.owned(DESTINATION, params["Identifier"], "ConnectorDestination")
    data.update(_pick(params, "Name", "Description", "AuthType", "SecretsManager"))
    if "AuthConfig" in params:
        auth = data.setdefault("AuthConfig", {})
        _apply_auth_update(auth, params["AuthConfig"])
    ctx.store.put(ctx.account.account_id, DESTINATION, data["Id"], data, ctx.now)


def delete_connector_destination(ctx: Context, params: dict[str, Any]) -> None:
    """``DeleteConnectorDestination``: refused while an account association uses it."""
    did = params["Identifier"]
    ctx.owned(DESTINATION, did, "ConnectorDestination")
    _refuse_if_used(
        ctx,
        f"connector destination {did}",
        ASSOCIATION,
        "ConnectorDestinationId",
        did,
        "AccountAssociationId",
    )
    ctx.store.delete(DESTINATION, did)


def _refuse_if_used(ctx: Context, what: str, kind: str, reference: str, target: str, id_field: str) -> None:
    """Deleting ``what`` is refused while resources of ``kind`` point at it.

    The model lists no ConflictException for these deletes, so the refusal is a ValidationException.
    """
    users = [
        r[id_field] for r in ctx.store.list_owned(ctx.account.account_id, kind) if r[reference] == target
    ]
    if users:
        label = {DESTINATION: "connector destination(s)", ASSOCIATION: "account association(s)"}[kind]
        raise ApiError("ValidationException", f"{what} is used by {label} {', '.join(users)}")


HANDLERS: dict[str, Handler] = {
    "CreateCloudConnector": create_cloud_connector,
    "GetCloudConnector": get_cloud_connector,
    "ListCloudConnectors": list_cloud_connectors,
    "UpdateCloudConnector": update_cloud_connector,
    "DeleteCloudConnector": delete_cloud_connector,
    "CreateConnectorDestination": create_connector_destination,
    "GetConnectorDestination": get_connector_destination,
    "ListConnectorDestinations": list_connector_destinations,
    "UpdateConnectorDestination": update_connector_destination,
    "DeleteConnectorDestination": delete_connector_destination,
}

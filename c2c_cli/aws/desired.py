"""The desired registration, computed from ``c2c.yaml`` and the caller's account (pure, no AWS calls).

Policies follow contract.md §7.1: the Lambda permission lets ``iotmanagedintegrations.amazonaws.com``
invoke the function for any account association of this account (``SourceArn`` ``…:account-association/*``
plus ``SourceAccount``, §9 #15/#16); the secret's resource policy and the KMS key policy let the same
principal read and decrypt the OAuth client secret, restricted by ``aws:SourceArn`` (``ArnLike``).
General Authorization (``connector.auth: general``) has one secret per auth material instead
(:mod:`c2c_cli.aws.general`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c2c_cli.aws.general import AuthSecret, auth_secrets, placeholder_auth_config
from c2c_cli.aws.policies import key_admin_statement
from c2c_cli.config import ProjectConfig
from c2c_cli.errors import ConfigError, UsageError

__all__ = [
    "PRINCIPAL",
    "STATEMENT_ID",
    "Desired",
    "association_arn_pattern",
    "desired_state",
    "key_policy",
    "read_client_secret",
    "secret_policy",
]

PRINCIPAL = "iotmanagedintegrations.amazonaws.com"
STATEMENT_ID = "c2c-iotmanagedintegrations-invoke"


@dataclass(frozen=True)
class Desired:
    """What AWS should hold for this project.

    Attributes:
        account_id: the caller's (registering) account.
        region: the region.
        connector_name: cloud connector and destination name.
        description: cloud connector description ("" for none).
        function_arn: the connector Lambda's ARN.
        source_arn: the ``aws:SourceArn`` pattern of the Lambda permission and the policies.
        kms_key_id: the configured customer-managed key, or None for one created by c2c.
        kms_alias: the alias of a key created by c2c.
        secret_name: Secrets Manager name of the OAuth client secret.
        secret_value: ``{"clientId", "clientSecret"}`` (§9 #13), None when unknown (``c2c status``).
        auth_config: ``AuthConfig`` of the connector destination (General Authorization: placeholders;
            the real references are the secrets' after they exist).
        auth_type: ``oauth2`` or ``general`` (``connector.auth``).
        auth_secrets: General Authorization: one secret per auth material, in c2c.yaml's order.
    """

    account_id: str
    region: str
    connector_name: str
    description: str
    function_arn: str
    source_arn: str
    kms_key_id: str | None
    kms_alias: str
    secret_name: str
    secret_value: dict[str, str] | None = field(repr=False)
    auth_config: dict[str, Any]
    auth_type: str = "oauth2"
    auth_secrets: tuple[AuthSecret, ...] = ()

    @property
    def general(self) -> bool:
        """A General Authorization registration (one secret per auth material, no OAuth client)."""
        return self.auth_type == "general"

    @property
    def connector_account(self) -> str:
        """The connector Lambda's account (the General Authorization secrets' principal, §7.1)."""
        return self.function_arn.split(":")[4]

    @property
    def statement(self) -> dict[str, Any]:
        """The Lambda policy statement as ``get_policy`` returns it (ArnLike + StringEquals)."""
        return {
            "Sid": STATEMENT_ID,
            "Effect": "Allow",
            "Principal": {"Service": PRINCIPAL},
            "Action": "lambda:InvokeFunction",
            "Resource": self.function_arn,
            "Condition": {
                "ArnLike": {"AWS:SourceArn": self.source_arn},
                "StringEquals": {"AWS:SourceAccount": self.account_id},
            },
        }


def association_arn_pattern(region: str, account_id: str) -> str:
    """``arn:aws:iotmanagedintegrations:<region>:<account>:account-association/*`` (§9 #15, #16)."""
    return f"arn:aws:iotmanagedintegrations:{region}:{account_id}:account-association/*"


def secret_policy(source_arn: str) -> dict[str, Any]:
    """Resource policy of the OAuth client secret (contract.md §7.1)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowManagedIntegrationsToReadTheOAuthClient",
                "Effect": "Allow",
                "Principal": {"Service": PRINCIPAL},
                "Action": "secretsmanager:GetSecretValue",
                "Resource": "*",
                "Condition": {"ArnLike": {"aws:SourceArn": source_arn}},
            }
        ],
    }


def key_policy(account_id: str, source_arn: str) -> dict[str, Any]:
    """Policy of a KMS key created by c2c: the account administers it; the service decrypts (§7.1)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            key_admin_statement(account_id),
            {
                "Sid": "AllowManagedIntegrationsToDecryptTheOAuthClient",
                "Effect": "Allow",
                "Principal": {"Service": PRINCIPAL},
                "Action": ["kms:Decrypt", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {"ArnLike": {"aws:SourceArn": source_arn}},
            },
        ],
    }


def read_client_secret(cfg: ProjectConfig, environ: dict[str, str] | None = None) -> str:
    """The OAuth client secret from ``oauth.client_secret_env`` or ``oauth.client_secret_file`` (never a flag).

    Raises:
        UsageError: when neither is configured, the variable is unset, or the file is unreadable.
    """
    env = os.environ if environ is None else environ
    oauth = cfg.oauth
    if oauth is None:
        raise UsageError("c2c.yaml has no oauth: section", hint="Add oauth: (see README 'Configuration').")
    if oauth.client_secret_env:
        value = env.get(oauth.client_secret_env, "")
        if not value:
            raise UsageError(
                f"the environment variable {oauth.client_secret_env} (oauth.client_secret_env) is not set",
                hint=f"export {oauth.client_secret_env}=... (the OAuth client secret) and re-run.",
            )
        return value
    if oauth.client_secret_file:
        return _read_secret_file(cfg.project_dir / Path(oauth.client_secret_file).expanduser())
    raise UsageError(
        "no OAuth client secret source configured",
        hint="Set oauth.client_secret_env or oauth.client_secret_file in c2c.yaml.",
    )


def _read_secret_file(path: Path) -> str:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read oauth.client_secret_file {path}: {type(exc).__name__}") from None
    if not value:
        raise UsageError(f"oauth.client_secret_file {path} is empty")
    return value


def _auth_config(cfg: ProjectConfig) -> dict[str, Any]:
    oauth = cfg.oauth
    if oauth is None:
        raise UsageError("c2c.yaml has no oauth: section", hint="Add oauth: (see README 'Configuration').")
    config: dict[str, Any] = {
        "authUrl": oauth.authorization_url,
        "tokenUrl": oauth.token_url,
        "tokenEndpointAuthenticationScheme": oauth.token_endpoint_auth,
    }
    if oauth.scopes:
        config["scope"] = " ".join(oauth.scopes)
    if oauth.complete_redirect_url:
        config["oAuthCompleteRedirectUrl"] = oauth.complete_redirect_url
    if oauth.proactive_refresh_days is not None:
        config["proactiveRefreshTokenRenewal"] = {
            "enabled": True,
            "DaysBeforeRenewal": oauth.proactive_refresh_days,
        }
    return {"oAuth": config}


def desired_state(
    cfg: ProjectConfig,
    *,
    account_id: str,
    region: str,
    function_arn: str,
    client_secret: str | None,
    material_values: dict[str, dict[str, Any]] | None = None,
) -> Desired:
    """The desired registration of ``cfg`` in ``account_id``/``region``.

    ``client_secret`` (OAuth) or ``material_values`` (General Authorization, from
    :func:`~c2c_cli.aws.general.read_auth_secrets`) are None when the stored values are not compared.

    Raises:
        UsageError: a General Authorization project without ``general_auth`` materials.
        ConfigError: when the registration payloads would break the service model (every problem).
    """
    general = cfg.connector.auth == "general"
    secrets = auth_secrets(cfg, material_values) if general else ()
    name = cfg.connector.name
    oauth = cfg.oauth
    client = None
    if not general and client_secret is not None and oauth is not None:
        client = {"clientId": oauth.client_id, "clientSecret": client_secret}
    desired = Desired(
        account_id=account_id,
        region=region,
        connector_name=name,
        description=cfg.connector.description,
        function_arn=function_arn,
        source_arn=association_arn_pattern(region, account_id),
        kms_key_id=cfg.aws.kms_key_id,
        kms_alias=f"alias/c2c/{name}",
        secret_name="" if general else cfg.aws.secret_name or f"c2c/{name}/oauth-client",
        secret_value=client,
        auth_config=placeholder_auth_config(secrets) if general else _auth_config(cfg),
        auth_type=cfg.connector.auth,
        auth_secrets=secrets,
    )
    _check_payloads(desired, str(cfg.project_dir / "c2c.yaml"))
    return desired


def _check_payloads(desired: Desired, source: str) -> None:
    """Validate the create payloads against the service model before any write (contract.md §7.2, §7.3)."""
    from c2c_cli.contract import validate_input

    connector: dict[str, Any] = {
        "Name": desired.connector_name,
        "EndpointConfig": {"lambda": {"arn": desired.function_arn}},
    }
    if desired.description:
        connector["Description"] = desired.description
    destination = {
        "Name": desired.connector_name,
        "CloudConnectorId": "placeholder",
        "AuthConfig": desired.auth_config,
        **({} if desired.general else {"AuthType": "OAUTH"}),
    }
    found = [
        f"{op}: {v.path.removeprefix('$.')}: {v.message}"
        for op, params in (("CreateCloudConnector", connector), ("CreateConnectorDestination", destination))
        for v in validate_input(op, params)
        if v.severity == "error"
    ]
    if found:
        raise ConfigError(
            found, source=source, hint="Fix the oauth:/general_auth:/connector: values in c2c.yaml."
        )

"""General Authorization's side of the desired registration (pure, no AWS calls; contract.md §1, §7.1).

Each ``general_auth.materials`` entry becomes one secret, ``c2c/<connector>/auth/<material>``, whose value
is the JSON object in the material's ``secret_env`` variable (read before any AWS call, never echoed).
The secrets' resource policy names the **connector's account** as principal (§7.1: ``{"AWS": account}``,
``secretsmanager:GetSecretValue``, ``aws:SourceArn`` of the account associations); the KMS key c2c creates
lets that account decrypt through Secrets Manager only (``kms:ViaService``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from c2c_cli.aws.policies import key_admin_statement
from c2c_cli.config import ProjectConfig
from c2c_cli.errors import UsageError

__all__ = [
    "AuthSecret",
    "auth_materials",
    "auth_secrets",
    "general_key_policy",
    "general_secret_policy",
    "read_auth_secrets",
]

_PLACEHOLDER_REF = {
    "arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:c2c-placeholder",
    "versionId": "0" * 32,
}


@dataclass(frozen=True)
class AuthSecret:
    """One auth material's secret.

    Attributes:
        material: the ``AuthMaterialName``.
        secret_name: its Secrets Manager name.
        value: the JSON object to store, None when unknown (``c2c status``, ``c2c unregister``).
    """

    material: str
    secret_name: str
    value: dict[str, Any] | None = field(default=None, repr=False)


def _materials(cfg: ProjectConfig) -> tuple[tuple[str, str], ...]:
    section = cfg.general_auth
    if section is None or not section.materials:
        raise UsageError(
            "c2c.yaml has no general_auth: materials (connector.auth is general)",
            hint="Add general_auth: materials: [{name: ..., secret_env: ...}] (see README 'Configuration').",
        )
    return tuple((m.name, m.secret_env) for m in section.materials)


def read_auth_secrets(cfg: ProjectConfig, environ: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """Each material's secret, a JSON object read from its ``secret_env`` variable (never a flag or file).

    Raises:
        UsageError: no materials, a variable unset, or a value that is not a JSON object (the message
            names the variable, never the value).
    """
    from c2c_cli.contract.reading import parse_json

    env = os.environ if environ is None else environ
    found: dict[str, dict[str, Any]] = {}
    for name, variable in _materials(cfg):
        where = f"the environment variable {variable} (secret_env of general_auth material {name!r})"
        hint = f'export {variable}=\'{{"api_key": "..."}}\' (the secret\'s JSON object) and re-run.'
        text = env.get(variable, "")
        if not text.strip():
            raise UsageError(f"{where} is not set", hint=hint)
        try:
            value = parse_json(text)
        except ValueError:
            value = None  # the parser's message may quote the text: never show it
        if not isinstance(value, dict):
            raise UsageError(f"{where} does not hold a JSON object", hint=hint)
        found[name] = value
    return found


def auth_secrets(cfg: ProjectConfig, values: dict[str, dict[str, Any]] | None) -> tuple[AuthSecret, ...]:
    """The desired secret of every material (``values`` from :func:`read_auth_secrets`, or None)."""
    connector = cfg.connector.name
    return tuple(
        AuthSecret(name, f"c2c/{connector}/auth/{name}", None if values is None else values[name])
        for name, _ in _materials(cfg)
    )


def auth_materials(refs: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """``AuthConfig.GeneralAuthorization``: ``{AuthMaterialName, SecretsManager {arn, versionId}}`` each."""
    return [{"AuthMaterialName": name, "SecretsManager": ref} for name, ref in refs.items()]


def placeholder_auth_config(secrets: tuple[AuthSecret, ...]) -> dict[str, Any]:
    """An ``AuthConfig`` with placeholder references, to check the payload before the secrets exist."""
    return {"GeneralAuthorization": auth_materials({s.material: _PLACEHOLDER_REF for s in secrets})}


def general_secret_policy(connector_account: str, source_arn: str) -> dict[str, Any]:
    """Resource policy of a material's secret: the connector's account reads it (contract.md §7.1)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowTheConnectorToReadTheAuthMaterial",
                "Effect": "Allow",
                "Principal": {"AWS": connector_account},
                "Action": "secretsmanager:GetSecretValue",
                "Resource": "*",
                "Condition": {"ArnLike": {"aws:SourceArn": source_arn}},
            }
        ],
    }


def general_key_policy(account_id: str, connector_account: str, region: str) -> dict[str, Any]:
    """Policy of the KMS key c2c creates: the account administers it; the connector decrypts via Secrets Manager."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            key_admin_statement(account_id),
            {
                "Sid": "AllowTheConnectorToDecryptTheAuthMaterials",
                "Effect": "Allow",
                "Principal": {"AWS": connector_account},
                "Action": ["kms:Decrypt", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}},
            },
        ],
    }

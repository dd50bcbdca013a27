"""Whether a connector's account may read a General Authorization secret (contract.md §7.1).

moto stores a secret's resource policy (``PutResourcePolicy``) but never evaluates it: its
``GetSecretValue`` answers every caller, and it files every access key it does not know under one
account. So the emulator evaluates the policy itself, before it hands an association's secret reference
to the connector: the account the connector runs as (the one that registered it) reads a secret of its
own account (identity policies, which the emulator does not model), or one whose resource policy allows
it. A refusal is what the connector's ``GetSecretValue`` would get on AWS, an ``AccessDeniedException``.

The evaluation is the subset of IAM that such a policy uses: ``Allow``/``Deny`` statements, ``Principal``
``*`` / ``{"AWS": account id | arn:aws:iam::<id>:root | list}``, ``Action`` ``secretsmanager:GetSecretValue``
(or a wildcard), and ``StringEquals``/``StringLike``/``ArnEquals``/``ArnLike`` on ``aws:SourceArn``
(the association's ARN) or ``aws:SourceAccount``. Any other condition is not met.
"""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase
from typing import Any

__all__ = ["secret_account", "secret_refusal"]

_ACTION = "secretsmanager:GetSecretValue"
_SECRET_ACCOUNT = re.compile(r"arn:aws:secretsmanager:[^:]*:(\d{12}):secret:.*")
_EXACT = {"StringEquals", "ArnEquals"}
_LIKE = {"StringLike", "ArnLike"}


def secret_account(arn: str) -> str:
    """The account id in a secret's ARN ("" when it has none)."""
    match = _SECRET_ACCOUNT.fullmatch(arn)
    return match.group(1) if match else ""


def secret_refusal(policy: str | None, arn: str, account_id: str, source_arn: str) -> str:
    """Why ``account_id`` may not read the secret ``arn`` ("" when it may).

    Args:
        policy: the secret's resource policy (JSON text), None when it has none.
        arn: the secret's ARN.
        account_id: the account the connector runs as.
        source_arn: the account association the read is for (``aws:SourceArn``).
    """
    context = {"aws:sourcearn": source_arn, "aws:sourceaccount": secret_account(arn)}
    statements = _statements(policy)
    matching = [s for s in statements if _applies(s, account_id, context)]
    if any(s.get("Effect") == "Deny" for s in matching):
        return f"AccessDeniedException: the secret's resource policy denies account {account_id}"
    if secret_account(arn) == account_id or any(s.get("Effect") == "Allow" for s in matching):
        return ""
    return (
        f"AccessDeniedException: account {account_id} is not allowed to call {_ACTION} on {arn} "
        "(its resource policy does not grant it)"
    )


def _statements(policy: str | None) -> list[dict[str, Any]]:
    try:
        document = json.loads(policy) if policy else {}
    except ValueError:
        return []
    found = document.get("Statement", []) if isinstance(document, dict) else []
    found = [found] if isinstance(found, dict) else found
    return [s for s in found if isinstance(s, dict)]


def _listed(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value is not None else []


def _applies(statement: dict[str, Any], account_id: str, context: dict[str, str]) -> bool:
    principal = statement.get("Principal")
    principals = (
        ["*"] if principal == "*" else _listed(principal.get("AWS")) if isinstance(principal, dict) else []
    )
    if not any(p in ("*", account_id, f"arn:aws:iam::{account_id}:root") for p in principals):
        return False
    if not any(fnmatchcase(_ACTION.lower(), a.lower()) for a in _listed(statement.get("Action"))):
        return False
    return _conditions_met(statement.get("Condition") or {}, context)


def _conditions_met(conditions: Any, context: dict[str, str]) -> bool:
    if not isinstance(conditions, dict):
        return False
    for operator, tests in conditions.items():
        if operator not in _EXACT | _LIKE or not isinstance(tests, dict):
            return False
        for key, wanted in tests.items():
            actual = context.get(str(key).lower())
            if actual is None:
                return False
            like = operator in _LIKE
            if not any(fnmatchcase(actual, w) if like else actual == w for w in _listed(wanted)):
                return False
    return True

"""Statements shared by the KMS key policies c2c writes (contract.md §7.1)."""

from __future__ import annotations

from typing import Any

__all__ = ["key_admin_statement"]


def key_admin_statement(account_id: str) -> dict[str, Any]:
    """The account administers the key (IAM decides who in it), as AWS's default key policy says."""
    return {
        "Sid": "AccountAdministersTheKey",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }

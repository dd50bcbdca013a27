"""AWS checks for ``c2c doctor``: credentials and region, resolved locally; STS only when online."""

from __future__ import annotations

import os
from typing import Any

__all__ = ["Finding", "aws_checks"]

# (id, status "pass"|"warn"|"fail", detail, hint): c2c_cli.doctor turns these into its Check values.
Finding = tuple[str, str, str, str]


def aws_checks(online: bool, session: Any = None) -> list[Finding]:
    """Credential source and region; with ``online`` also the caller identity (sts:GetCallerIdentity).

    The credential chain is resolved with the EC2 instance-metadata lookup disabled so that an offline
    check never sends traffic off the machine. Keys are never included in a detail.
    """
    import boto3

    previous = os.environ.get("AWS_EC2_METADATA_DISABLED")
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    try:
        session = session or boto3.Session()
        credentials = session.get_credentials()
    except Exception as exc:  # a broken profile file is a finding, not a crash
        return [
            (
                "aws-credentials",
                "fail",
                f"cannot resolve credentials: {type(exc).__name__}",
                "check ~/.aws/config",
            )
        ]
    finally:
        if previous is None:
            os.environ.pop("AWS_EC2_METADATA_DISABLED", None)
        else:
            os.environ["AWS_EC2_METADATA_DISABLED"] = previous
    out = [_credential_check(credentials), _region_check(session.region_name)]
    if online and credentials is not None:
        out.append(_identity_check(session))
    return out


def _credential_check(credentials: Any) -> Finding:
    if credentials is None:
        return (
            "aws-credentials",
            "warn",
            "no AWS credentials found",
            "needed only for c2c register against AWS",
        )
    return ("aws-credentials", "pass", f"found (source: {credentials.method})", "")


def _region_check(region: str | None) -> Finding:
    if not region:
        return ("aws-region", "warn", "no default region", "set AWS_REGION or aws.region in c2c.yaml")
    return ("aws-region", "pass", region, "")


def _identity_check(session: Any) -> Finding:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        identity = session.client("sts").get_caller_identity()
    except (BotoCoreError, ClientError) as exc:
        return (
            "aws-identity",
            "fail",
            f"sts:GetCallerIdentity failed: {type(exc).__name__}",
            "check the credentials",
        )
    return ("aws-identity", "pass", f"account {identity['Account']}", "")

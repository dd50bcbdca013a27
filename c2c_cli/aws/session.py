"""The one typed boto3 wrapper: sessions, clients, and the translation of botocore errors to AwsError.

Credentials come from boto3's standard chain (environment, ``--profile``, SSO, instance roles); endpoint
overrides come from the environment (``AWS_ENDPOINT_URL``, ``AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS``),
which boto3 honours itself, so the same code talks to AWS or to ``c2c emulator`` + moto. Retries use
botocore's ``standard`` mode (contract.md §8.2: throttling, 500 and 503 get 3 attempts in total).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec

from c2c_cli.config import AwsSettings, ProjectConfig, find_config, load_config
from c2c_cli.errors import AwsError

if TYPE_CHECKING:
    # The types-boto3-<service> stubs (dev extra): typed clients for mypy, never imported at run time.
    from types_boto3_iot_managed_integrations.client import ManagedintegrationsforIoTDeviceManagementClient
    from types_boto3_kms.client import KMSClient as KMSClient
    from types_boto3_lambda.client import LambdaClient as LambdaClient
    from types_boto3_secretsmanager.client import SecretsManagerClient as SecretsManagerClient
    from types_boto3_sts.client import STSClient as STSClient

    #: the ``iot-managed-integrations`` client, by a name one can read.
    IotClient = ManagedintegrationsforIoTDeviceManagementClient

Params = ParamSpec("Params")

__all__ = [
    "SERVICE",
    "AwsClients",
    "Params",
    "aws_clients",
    "call",
    "iam_action",
    "make_clients",
    "resolve_setting",
    "translate",
]

SERVICE = "iot-managed-integrations"
_IAM_PREFIX = {SERVICE: "iotmanagedintegrations"}
_ACCESS_DENIED = ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException")
_THROTTLED = ("ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded")
_BAD_KEYS = (
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
)


@dataclass(frozen=True)
class AwsClients:
    """The boto3 clients every registration step gets (injected, never created deep inside).

    Attributes:
        region: the region all clients use.
        sts: STS client.
        lambda_: Lambda client.
        secretsmanager: Secrets Manager client.
        kms: KMS client.
        iot: ``iot-managed-integrations`` client.
    """

    region: str
    sts: STSClient = field(repr=False)
    lambda_: LambdaClient = field(repr=False)
    secretsmanager: SecretsManagerClient = field(repr=False)
    kms: KMSClient = field(repr=False)
    iot: IotClient = field(repr=False)


def resolve_setting(flag: str | None, env_names: tuple[str, ...], project: str | None) -> str | None:
    """Precedence flag > environment > project file (STYLE.md §5); None lets boto3 use the profile's.

    Args:
        flag: the command-line value.
        env_names: environment variables for this setting, first wins.
        project: the ``c2c.yaml`` value.
    """
    if flag:
        return flag
    # The value itself, not None: boto3 reads AWS_DEFAULT_REGION but not AWS_REGION.
    found = next((os.environ[name] for name in env_names if os.environ.get(name)), None)
    return found or project


def aws_clients(
    project: ProjectConfig | Path | None, profile: str | None = None, region: str | None = None
) -> AwsClients:
    """The clients of one command, each setting resolved once: flag > environment > ``c2c.yaml`` (STYLE.md §5).

    Args:
        project: the loaded config; or a directory whose ``c2c.yaml``, when there is one (found as
            :func:`~c2c_cli.config.load_config` finds it), gives the ``aws:`` settings; or None.
        profile: the ``--profile`` flag.
        region: the ``--region`` flag.

    Raises:
        ConfigError: the ``c2c.yaml`` found is invalid.
        AwsError: unknown profile or no region anywhere.
    """
    settings = _aws_settings(project)
    return make_clients(
        resolve_setting(profile, ("AWS_PROFILE",), settings.profile if settings else None),
        resolve_setting(region, ("AWS_REGION", "AWS_DEFAULT_REGION"), settings.region if settings else None),
    )


def _aws_settings(project: ProjectConfig | Path | None) -> AwsSettings | None:
    if isinstance(project, ProjectConfig):
        return project.aws
    if project is None or find_config(project) is None:
        return None
    return load_config(project).aws


def make_clients(profile: str | None = None, region: str | None = None) -> AwsClients:
    """Build the clients from boto3's credential chain.

    Args:
        profile: named profile, or None for the default chain.
        region: region, or None for the environment / profile's region.

    Raises:
        AwsError: unknown profile or no region anywhere.
    """
    import boto3
    import botocore.exceptions
    from botocore.config import Config

    try:
        session = boto3.Session(profile_name=profile, region_name=region)
    except botocore.exceptions.ProfileNotFound:
        raise AwsError(
            f"AWS profile {profile!r} not found",
            code="ProfileNotFound",
            hint="List profiles with 'aws configure list-profiles', or drop --profile / aws.profile.",
        ) from None
    if not session.region_name:
        raise AwsError(
            "no AWS region configured",
            code="NoRegion",
            hint="Pass --region, set aws.region in c2c.yaml, or set AWS_REGION.",
        )
    config = Config(retries={"mode": "standard"}, connect_timeout=10, read_timeout=30)
    return AwsClients(
        region=session.region_name,
        sts=session.client("sts", config=config),
        lambda_=session.client("lambda", config=config),
        secretsmanager=session.client("secretsmanager", config=config),
        kms=session.client("kms", config=config),
        iot=session.client(SERVICE, config=config),
    )


def call(method: Callable[Params, object], *args: Params.args, **params: Params.kwargs) -> dict[str, Any]:
    """Call a client method, e.g. ``call(iot.get_account_association, AccountAssociationId=...)``.

    The parameters are checked by mypy against the typed client's method; every botocore failure
    becomes an :class:`AwsError`. The response is handed on as a plain dict.

    Raises:
        AwsError: with the operation name, the AWS error code and a hint.
    """
    import botocore.exceptions

    try:
        response: dict[str, Any] = method(*args, **params)  # type: ignore[assignment]
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        raise translate(exc, getattr(method, "__self__", None)) from None
    return response


# translate() and iam_action() take a client of any service: typed as Any on purpose.
def _operation(exc: Any) -> str:
    return str(getattr(exc, "operation_name", "") or "")


def translate(exc: Exception, client: Any = None) -> AwsError:
    """One :class:`AwsError` for a botocore exception; never includes credentials.

    Args:
        exc: a ``BotoCoreError`` or ``ClientError``.
        client: the client that raised it (names the IAM action in access-denied hints).
    """
    import botocore.exceptions as bex

    if isinstance(exc, bex.ClientError):
        return _client_error(exc, client)
    if isinstance(exc, (bex.NoCredentialsError, bex.PartialCredentialsError)):
        return AwsError(
            "no AWS credentials found",
            code="NoCredentials",
            hint="Set AWS_PROFILE or pass --profile, run 'aws configure' or 'aws sso login', "
            "or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.",
        )
    if isinstance(exc, bex.NoRegionError):
        return AwsError("no AWS region configured", code="NoRegion", hint="Pass --region or set AWS_REGION.")
    if isinstance(exc, (bex.EndpointConnectionError, bex.ConnectionClosedError, bex.ConnectTimeoutError)):
        return AwsError(
            f"cannot reach the AWS endpoint: {exc}",
            code="EndpointConnectionError",
            hint="Check the network, --region, and AWS_ENDPOINT_URL* (is 'c2c emulator start' running?).",
        )
    if isinstance(exc, bex.ParamValidationError):
        return AwsError(f"invalid request parameters: {exc}", code="ParamValidationError")
    return AwsError(f"AWS request failed: {type(exc).__name__}: {exc}", code=type(exc).__name__)


def _client_error(exc: Any, client: Any) -> AwsError:
    error = exc.response.get("Error", {})
    code = str(error.get("Code") or "Unknown")
    message = str(error.get("Message") or "").strip()
    operation = _operation(exc)
    attempts = int(exc.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)) + 1
    text = f"{operation} failed: {code}" + (f": {message}" if message else "")
    return AwsError(text, operation=operation, code=code, hint=_hint(code, operation, client, attempts))


def _hint(code: str, operation: str, client: Any, attempts: int) -> str | None:
    if code in _ACCESS_DENIED:
        return f"The caller needs the IAM permission {iam_action(client, operation)} (contract.md §7.1)."
    if code in _THROTTLED:
        return f"Still throttled after {attempts} attempts; wait and run the command again."
    if code in _BAD_KEYS:
        return "The credentials were rejected: check the profile, the keys and the region."
    if code in ("InternalServerException", "ServiceUnavailableException", "InternalFailure"):
        return f"The service failed after {attempts} attempts; try again later."
    return None


def iam_action(client: Any, operation: str) -> str:
    """``<prefix>:<Operation>`` for a client's operation, e.g. ``iotmanagedintegrations:CreateCloudConnector``."""
    name = ""
    if client is not None:
        name = str(client.meta.service_model.service_name)
        prefix = _IAM_PREFIX.get(name) or str(client.meta.service_model.signing_name or name)
    else:
        prefix = "<service>"
    return f"{prefix}:{operation or '<operation>'}"

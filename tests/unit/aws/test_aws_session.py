"""botocore failures become one AwsError with the operation, the code and a hint naming the IAM action."""

from __future__ import annotations

import botocore.exceptions
import botocore.session
import pytest

from c2c_cli.aws.session import iam_action, resolve_setting, translate
from c2c_cli.errors import AwsError, ExitCode


def _client(service: str):
    session = botocore.session.get_session()
    return session.create_client(
        service, region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )


def _client_error(code: str, operation: str, retries: int = 0) -> botocore.exceptions.ClientError:
    response = {"Error": {"Code": code, "Message": "nope"}, "ResponseMetadata": {"RetryAttempts": retries}}
    return botocore.exceptions.ClientError(response, operation)


@pytest.mark.parametrize(
    ("service", "operation", "action"),
    [
        ("iot-managed-integrations", "CreateCloudConnector", "iotmanagedintegrations:CreateCloudConnector"),
        ("lambda", "AddPermission", "lambda:AddPermission"),
        ("secretsmanager", "PutResourcePolicy", "secretsmanager:PutResourcePolicy"),
        ("kms", "CreateKey", "kms:CreateKey"),
    ],
)
def test_access_denied_names_the_iam_action(service, operation, action) -> None:
    error = translate(_client_error("AccessDeniedException", operation), _client(service))
    assert isinstance(error, AwsError) and error.exit_code == ExitCode.AWS
    assert error.operation == operation and error.code == "AccessDeniedException"
    assert error.hint is not None and action in error.hint
    assert iam_action(_client(service), operation) == action


def test_throttling_says_how_often_it_was_tried() -> None:
    error = translate(_client_error("ThrottlingException", "SendConnectorEvent", retries=2), None)
    assert "ThrottlingException" in error.message and "after 3 attempts" in (error.hint or "")


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (botocore.exceptions.NoCredentialsError(), "NoCredentials"),
        (botocore.exceptions.NoRegionError(), "NoRegion"),
        (
            botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
            "EndpointConnectionError",
        ),
        (botocore.exceptions.ParamValidationError(report="bad"), "ParamValidationError"),
    ],
)
def test_botocore_errors_have_a_code_and_a_message(exc, code) -> None:
    error = translate(exc)
    assert error.code == code and error.message


def test_resolve_setting_precedence(monkeypatch) -> None:
    monkeypatch.delenv("AWS_REGION", raising=False)
    assert resolve_setting("eu-west-1", ("AWS_REGION",), "us-east-1") == "eu-west-1"
    assert resolve_setting(None, ("AWS_REGION",), "us-east-1") == "us-east-1"
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    assert resolve_setting(None, ("AWS_REGION",), "us-east-1") is None  # boto3 reads the environment

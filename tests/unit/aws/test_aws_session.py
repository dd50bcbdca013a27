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
    assert resolve_setting(None, ("AWS_REGION",), "us-east-1") == "ap-south-1"


@pytest.fixture
def no_aws_env(monkeypatch, tmp_path):
    import os

    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    (tmp_path / "aws-empty").write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-empty"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-empty"))
    return monkeypatch


def _project(tmp_path, region: str):
    (tmp_path / "c2c.yaml").write_text(
        f"connector:\n  name: acme\n  auth: general\naws:\n  region: {region}\n"
    )
    return tmp_path


@pytest.mark.parametrize(
    ("flag", "env", "expected"),
    [(None, None, "eu-west-1"), (None, "ap-south-1", "ap-south-1"), ("us-west-2", "ap-south-1", "us-west-2")],
)
def test_aws_clients_resolve_flag_then_environment_then_c2c_yaml(no_aws_env, tmp_path, flag, env, expected):
    from c2c_cli.aws import aws_clients
    from c2c_cli.config import load_config

    if env:
        no_aws_env.setenv("AWS_REGION", env)
    project = _project(tmp_path, "eu-west-1")
    (project / "sub").mkdir()
    for source in (project, project / "sub", load_config(project)):
        clients = aws_clients(source, region=flag)
        assert clients.region == expected
        assert clients.iot.meta.region_name == expected


def test_aws_clients_without_a_project_need_a_region(no_aws_env, tmp_path) -> None:
    from c2c_cli.aws import aws_clients

    with pytest.raises(AwsError, match="no AWS region"):
        aws_clients(tmp_path)
    assert aws_clients(None, region="us-east-1").region == "us-east-1"

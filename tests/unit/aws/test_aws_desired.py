"""The desired registration from c2c.yaml: auth config, policies, client secret sources, payload checks."""

from __future__ import annotations

import pytest

from c2c_cli.aws.desired import desired_state, key_policy, read_client_secret, secret_policy
from c2c_cli.config import parse_config
from c2c_cli.errors import ConfigError, UsageError

BASE = """\
connector:
  name: acme
oauth:
  authorization_url: {auth}
  token_url: https://auth.acme.example/token
  client_id: cid
  {secret}
  scopes: [a, b]
  proactive_refresh_days: 30
"""
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:acme"


def _cfg(tmp_path, auth="https://auth.acme.example/authorize", secret="client_secret_env: ACME_SECRET"):
    return parse_config(BASE.format(auth=auth, secret=secret), project_dir=tmp_path)


def test_auth_config_follows_contract_7_3(tmp_path) -> None:
    desired = desired_state(
        _cfg(tmp_path),
        account_id="123456789012",
        region="us-east-1",
        function_arn=FUNCTION,
        client_secret="s",
    )
    assert desired.auth_config == {
        "oAuth": {
            "authUrl": "https://auth.acme.example/authorize",
            "tokenUrl": "https://auth.acme.example/token",
            "scope": "a b",
            "tokenEndpointAuthenticationScheme": "HTTP_BASIC",
            "proactiveRefreshTokenRenewal": {"enabled": True, "DaysBeforeRenewal": 30},
        }
    }
    assert desired.secret_value == {"clientId": "cid", "clientSecret": "s"}
    assert desired.secret_name == "c2c/acme/oauth-client" and desired.kms_alias == "alias/c2c/acme"
    assert desired.source_arn == "arn:aws:iotmanagedintegrations:us-east-1:123456789012:account-association/*"


def test_an_auth_url_the_service_model_rejects_is_a_config_error(tmp_path) -> None:
    with pytest.raises(ConfigError, match="authUrl"):
        desired_state(
            _cfg(tmp_path, auth="http://localhost:8080/auth"),
            account_id="123456789012",
            region="us-east-1",
            function_arn=FUNCTION,
            client_secret="s",
        )


def test_policies_name_the_service_and_the_association_pattern() -> None:
    source = "arn:aws:iotmanagedintegrations:us-east-1:1:account-association/*"
    (stmt,) = secret_policy(source)["Statement"]
    assert stmt["Principal"] == {"Service": "iotmanagedintegrations.amazonaws.com"}
    assert stmt["Condition"] == {"ArnLike": {"aws:SourceArn": source}}
    service = key_policy("1", source)["Statement"][1]
    assert service["Action"] == ["kms:Decrypt", "kms:DescribeKey"]


def test_client_secret_from_the_environment(tmp_path) -> None:
    assert read_client_secret(_cfg(tmp_path), {"ACME_SECRET": "x"}) == "x"
    with pytest.raises(UsageError, match="ACME_SECRET"):
        read_client_secret(_cfg(tmp_path), {})


def test_client_secret_from_a_file(tmp_path) -> None:
    (tmp_path / "secret.txt").write_text("from-file\n")
    assert read_client_secret(_cfg(tmp_path, secret="client_secret_file: secret.txt"), {}) == "from-file"
    with pytest.raises(UsageError, match="cannot read"):
        read_client_secret(_cfg(tmp_path, secret="client_secret_file: missing.txt"), {})


def test_no_secret_source_is_a_usage_error(tmp_path) -> None:
    with pytest.raises(UsageError, match="no OAuth client secret source"):
        read_client_secret(_cfg(tmp_path, secret=""), {})


def test_general_authorization_is_refused_clearly(tmp_path) -> None:
    cfg = parse_config("connector:\n  name: acme\n  auth: general\n", project_dir=tmp_path)
    with pytest.raises(UsageError, match=r"OAuth 2\.0 connectors only"):
        desired_state(cfg, account_id="1", region="us-east-1", function_arn=FUNCTION, client_secret=None)


@pytest.mark.parametrize(
    ("yaml", "problem"),
    [("proactive_refresh_days: 7", "30 or more"), ("complete_redirect_url: nope", r"http\(s\) URL")],
)
def test_new_oauth_settings_are_checked(tmp_path, yaml, problem) -> None:
    text = BASE.format(auth="https://auth.acme.example/a", secret="client_secret_env: X").replace(
        "proactive_refresh_days: 30", yaml
    )
    with pytest.raises(ConfigError, match=problem):
        parse_config(text)

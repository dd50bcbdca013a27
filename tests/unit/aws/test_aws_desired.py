"""The desired registration from c2c.yaml: auth config, policies, client secret sources, payload checks."""

from __future__ import annotations

import pytest

from c2c_cli.aws.desired import desired_state, key_policy, read_client_secret, secret_policy
from c2c_cli.aws.general import general_key_policy, general_secret_policy, read_auth_secrets
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


GENERAL = """\
connector:
  name: acme
  auth: general
general_auth:
  materials:
    - {name: api-key, secret_env: ACME_KEY}
    - {name: other, secret_env: ACME_OTHER}
"""
CONNECTOR_FUNCTION = "arn:aws:lambda:us-east-1:210987654321:function:acme"


def test_general_authorization_has_one_secret_per_material_and_no_oauth_client(tmp_path) -> None:
    cfg = parse_config(GENERAL, project_dir=tmp_path)
    values = {"api-key": {"api_key": "k1"}, "other": {"api_key": "k2"}}
    desired = desired_state(
        cfg,
        account_id="123456789012",
        region="us-east-1",
        function_arn=CONNECTOR_FUNCTION,
        client_secret=None,
        material_values=values,
    )
    assert desired.general and desired.secret_value is None
    assert [(s.material, s.secret_name, s.value) for s in desired.auth_secrets] == [
        ("api-key", "c2c/acme/auth/api-key", {"api_key": "k1"}),
        ("other", "c2c/acme/auth/other", {"api_key": "k2"}),
    ]
    assert desired.connector_account == "210987654321"
    assert "k1" not in repr(desired)


def test_general_secret_policy_names_the_connector_account_and_source_arn() -> None:
    source = "arn:aws:iotmanagedintegrations:us-east-1:123456789012:account-association/*"
    (statement,) = general_secret_policy("210987654321", source)["Statement"]
    assert statement["Principal"] == {"AWS": "210987654321"}
    assert statement["Action"] == "secretsmanager:GetSecretValue"
    assert statement["Condition"] == {"ArnLike": {"aws:SourceArn": source}}


def test_general_key_policy_lets_the_connector_decrypt_via_secrets_manager_only() -> None:
    decrypt = general_key_policy("123456789012", "210987654321", "eu-west-1")["Statement"][1]
    assert decrypt["Principal"] == {"AWS": "210987654321"} and "kms:Decrypt" in decrypt["Action"]
    assert decrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com"}
    }


def test_general_authorization_without_materials_is_a_usage_error(tmp_path) -> None:
    cfg = parse_config("connector:\n  name: acme\n  auth: general\n", project_dir=tmp_path)
    with pytest.raises(UsageError, match="general_auth") as info:
        desired_state(cfg, account_id="1", region="us-east-1", function_arn=FUNCTION, client_secret=None)
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    ("environ", "needle"),
    [
        ({"ACME_OTHER": "{}"}, "ACME_KEY (secret_env of general_auth material 'api-key') is not set"),
        (
            {"ACME_KEY": "{}", "ACME_OTHER": "  "},
            "ACME_OTHER (secret_env of general_auth material 'other') is not set",
        ),
        (
            {"ACME_KEY": "sk-plain-NOT-JSON", "ACME_OTHER": "{}"},
            "ACME_KEY (secret_env of general_auth material 'api-key') does not hold a JSON object",
        ),
        ({"ACME_KEY": '["sk-in-a-list"]', "ACME_OTHER": "{}"}, "does not hold a JSON object"),
        ({"ACME_KEY": '{"api_key": NaN}', "ACME_OTHER": "{}"}, "does not hold a JSON object"),
    ],
)
def test_auth_secrets_must_be_set_and_json_objects_and_are_never_echoed(tmp_path, environ, needle) -> None:
    cfg = parse_config(GENERAL, project_dir=tmp_path)
    with pytest.raises(UsageError) as info:
        read_auth_secrets(cfg, environ)
    text = f"{info.value} {info.value.hint}"
    assert needle in text and info.value.exit_code == 2
    assert "sk-" not in text and "NaN" not in text


def test_auth_secrets_are_read_from_their_variables(tmp_path) -> None:
    cfg = parse_config(GENERAL, project_dir=tmp_path)
    found = read_auth_secrets(
        cfg, {"ACME_KEY": '{"api_key": "k"}', "ACME_OTHER": '{"api_key": "j", "user_id": "u"}'}
    )
    assert found == {"api-key": {"api_key": "k"}, "other": {"api_key": "j", "user_id": "u"}}


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

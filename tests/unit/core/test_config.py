import textwrap
from pathlib import Path

import pytest

from c2c_cli.config import load_config, parse_config
from c2c_cli.errors import ConfigError, ExitCode

VALID = textwrap.dedent(
    """\
    connector:
      name: acme-lights
      handler: connector.handler:lambda_handler
      auth: oauth2
    oauth:
      authorization_url: https://vendor.example/oauth/authorize
      token_url: https://vendor.example/oauth/token
      revocation_url: https://vendor.example/oauth/revoke
      userinfo_url: https://vendor.example/v1/me
      client_id: abc123
      client_secret_env: ACME_CLIENT_SECRET
      scopes: [devices]
      token_endpoint_auth: HTTP_BASIC
    aws:
      region: us-east-1
      function_name: acme-lights-connector
    """
)


def test_the_documented_example_loads_into_frozen_dataclasses(tmp_path: Path) -> None:
    cfg = parse_config(VALID, project_dir=tmp_path)
    assert cfg.connector.name == "acme-lights"
    assert cfg.oauth is not None and cfg.oauth.scopes == ("devices",)
    assert cfg.oauth.token_endpoint_auth == "HTTP_BASIC"
    assert cfg.function_name == "acme-lights-connector"
    assert cfg.project_dir == tmp_path.resolve()
    with pytest.raises(AttributeError):
        cfg.connector.name = "x"  # type: ignore[misc]


def test_every_problem_is_reported_at_once_with_key_path_and_line() -> None:
    text = textwrap.dedent(
        """\
        connector:
          name: 9bad name
          handler: nocolon
          auth: saml
          colour: blue
        oauth:
          token_url: ftp://x
          client_id: abc
          scopes: devices
        aws:
          region: 42
        """
    )
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    problems = info.value.problems
    expected = {
        "connector.name": "line 2",
        "connector.handler": "line 3",
        "connector.auth": "line 4",
        "connector.colour": "line 5",
        "oauth.authorization_url": "line 7",
        "oauth.token_url": "line 7",
        "oauth.scopes": "line 9",
        "aws.region": "line 11",
    }
    for key, line in expected.items():
        assert any(p.startswith(f"{key}:") and line in p for p in problems), (key, problems)
    assert info.value.exit_code == ExitCode.USAGE


def test_oauth_section_is_required_for_oauth2() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config("connector:\n  name: acme\n")
    assert any("oauth: required" in p for p in info.value.problems)


def test_general_auth_needs_no_oauth_section() -> None:
    cfg = parse_config("connector:\n  name: acme\n  auth: general\n")
    assert cfg.oauth is None and cfg.connector.handler == "connector.handler:lambda_handler"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("connector: [1, 2]\n", "connector: must be a mapping"),
        ("", "the file is empty"),
        ("connector:\n  name: a\n  name: b\n  auth: general\n", "duplicate key"),
        ("connector: {name: a\n", "not valid YAML at line"),
    ],
)
def test_malformed_files_are_config_errors(text: str, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    assert needle in str(info.value)


def test_secret_source_is_one_of_env_or_file() -> None:
    text = VALID.replace(
        "client_secret_env: ACME_CLIENT_SECRET", "client_secret_env: A\n  client_secret_file: f"
    )
    with pytest.raises(ConfigError, match="not both"):
        parse_config(text)


def test_load_config_finds_the_file_in_a_parent(tmp_path: Path) -> None:
    (tmp_path / "c2c.yaml").write_text(VALID)
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert load_config(sub).project_dir == tmp_path.resolve()


def test_load_config_without_a_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert info.value.hint and "c2c init" in info.value.hint

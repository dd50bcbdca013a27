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


GENERAL = """\
connector:
  name: acme
  auth: general
general_auth:
  materials:
{materials}
"""


def test_general_auth_materials_load_in_order() -> None:
    materials = (
        "    - {name: vendor-api-key, secret_env: ACME_API_KEY}\n    - {name: a=b+c/d_e, secret_env: _K2}"
    )
    cfg = parse_config(GENERAL.format(materials=materials))
    assert cfg.general_auth is not None
    assert [(m.name, m.secret_env) for m in cfg.general_auth.materials] == [
        ("vendor-api-key", "ACME_API_KEY"),
        ("a=b+c/d_e", "_K2"),
    ]


@pytest.mark.parametrize(
    ("materials", "needle"),
    [
        ("    - {name: k, secret_env: K, value: x}", "general_auth.materials[0].value: unknown key"),
        ("    - {secret_env: K}", "general_auth.materials[0].name: missing required key"),
        ("    - {name: k}", "general_auth.materials[0].secret_env: missing required key"),
        ("    - {name: 'has space', secret_env: K}", "AuthMaterialName"),
        ("    - {name: " + "k" * 101 + ", secret_env: K}", "AuthMaterialName"),
        ("    - {name: k, secret_env: 1-BAD}", "secret_env: must be an environment variable name"),
        ("    - {name: k, secret_env: A}\n    - {name: k, secret_env: B}", "[1].name: duplicate name 'k'"),
        ("    - {name: k, name: j, secret_env: A}", "general_auth.materials[0].name: duplicate key"),
        ("\n".join(f"    - {{name: k{i}, secret_env: K}}" for i in range(4)), "1-3 materials"),
        ("    []", "1-3 materials"),
    ],
)
def test_bad_general_auth_materials_are_config_errors(materials: str, needle: str) -> None:
    text = GENERAL.format(materials=materials).replace("materials:\n    []", "materials: []")
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    assert info.value.exit_code == ExitCode.USAGE
    assert any(needle in p for p in info.value.problems), info.value.problems


def test_general_auth_is_refused_for_an_oauth2_connector() -> None:
    text = VALID + "general_auth:\n  materials: [{name: k, secret_env: K}]\n"
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    assert any("general_auth: only used when connector.auth is general" in p for p in info.value.problems)

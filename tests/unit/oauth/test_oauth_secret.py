import pytest

from c2c_cli.config import OAuthSettings
from c2c_cli.errors import UsageError
from c2c_cli.oauth.secret import find_client_secret


def _settings(**changes: object) -> OAuthSettings:
    return OAuthSettings(
        authorization_url="https://idp.example/authorize",
        token_url="https://idp.example/token",
        client_id="cid",
        **changes,  # type: ignore[arg-type]
    )


def test_named_env_var_wins(tmp_path):
    env = {"VENDOR_SECRET": "from-named", "C2C_CLIENT_SECRET": "fallback"}
    assert find_client_secret(_settings(client_secret_env="VENDOR_SECRET"), tmp_path, env) == "from-named"


def test_file_relative_to_project_is_stripped(tmp_path):
    (tmp_path / "secret.txt").write_text("from-file\n")
    assert find_client_secret(_settings(client_secret_file="secret.txt"), tmp_path, {}) == "from-file"


def test_fallback_env_var(tmp_path):
    assert (
        find_client_secret(_settings(client_secret_env="UNSET"), tmp_path, {"C2C_CLIENT_SECRET": "fb"})
        == "fb"
    )


def test_none_found(tmp_path):
    assert find_client_secret(_settings(), tmp_path, {}) is None


@pytest.mark.parametrize("content", [None, "  \n"])
def test_missing_or_empty_file_is_a_usage_error(tmp_path, content):
    if content is not None:
        (tmp_path / "secret.txt").write_text(content)
    with pytest.raises(UsageError, match="client_secret_file"):
        find_client_secret(_settings(client_secret_file="secret.txt"), tmp_path, {})

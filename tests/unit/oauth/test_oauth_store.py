import json
import os
import stat

import pytest

from c2c_cli.errors import AuthError, UsageError
from c2c_cli.oauth.store import TokenRecord, TokenStore


def _record(profile: str = "default", **changes: object) -> TokenRecord:
    values: dict[str, object] = {
        "access_token": "access-XYZ-123",
        "refresh_token": "refresh-ABC-456",
        "expires_at": 2000.0,
        "scopes": ("devices:read",),
        "user_id": "user-0001",
        "user_id_source": "jwt",
        "obtained_at": 1000.0,
        "client_id": "cid",
        "token_url": "https://idp.example/token",
    }
    values.update(changes)
    return TokenRecord(profile=profile, **values)  # type: ignore[arg-type]


def test_round_trip_per_profile(tmp_path):
    store = TokenStore(tmp_path / "tokens.json")
    store.save(_record())
    store.save(_record("work", user_id="user-0002"))
    assert store.get("default") == _record()
    assert store.require("work").user_id == "user-0002"
    assert store.profiles() == ("default", "work")


def test_store_file_is_0600(tmp_path):
    path = tmp_path / "home" / "tokens.json"
    TokenStore(path).save(_record())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_shared_store_is_refused_with_chmod_hint(tmp_path, mode):
    path = tmp_path / "tokens.json"
    TokenStore(path).save(_record())
    path.chmod(mode)
    with pytest.raises(AuthError) as info:
        TokenStore(path).get("default")
    assert f"chmod 600 {path}" in (info.value.hint or "")
    assert f"{mode:04o}" in info.value.message


def test_write_replaces_file_atomically_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "tokens.json"
    store = TokenStore(path)
    store.save(_record())
    first_inode = path.stat().st_ino
    store.save(_record(access_token="access-NEW"))
    assert path.stat().st_ino != first_inode  # a new file was renamed over the old one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tokens.json"]
    assert json.loads(path.read_text())["profiles"]["default"]["access_token"] == "access-NEW"


def test_missing_profile_returns_none_and_require_hints_login(tmp_path):
    store = TokenStore(tmp_path / "tokens.json")
    assert store.get("default") is None
    with pytest.raises(AuthError) as info:
        store.require("work")
    assert "c2c oauth login --profile work" in (info.value.hint or "")


def test_delete_removes_profile_then_file(tmp_path):
    path = tmp_path / "tokens.json"
    store = TokenStore(path)
    store.save(_record())
    store.save(_record("work"))
    assert store.delete("work") is True
    assert store.profiles() == ("default",)
    assert store.delete("default") is True
    assert not path.exists()
    assert store.delete("default") is False


@pytest.mark.parametrize("content", ["not json", '{"version": 1}', '{"version": 9, "profiles": {}}', "[]"])
def test_corrupt_store_is_an_auth_error_with_hint(tmp_path, content):
    path = tmp_path / "tokens.json"
    path.write_text(content)
    path.chmod(0o600)
    with pytest.raises(AuthError) as info:
        TokenStore(path).get("default")
    assert str(path) in (info.value.hint or "")


def test_malformed_record_is_an_auth_error(tmp_path):
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps({"version": 1, "profiles": {"default": {"refresh_token": "x"}}}))
    path.chmod(0o600)
    with pytest.raises(AuthError, match="malformed"):
        TokenStore(path).get("default")


@pytest.mark.parametrize("name", ["", "a/b", "x" * 65, "../up"])
def test_bad_profile_name_is_a_usage_error(tmp_path, name):
    with pytest.raises(UsageError):
        TokenStore(tmp_path / "tokens.json").get(name)


def test_repr_and_summary_never_contain_tokens():
    record = _record()
    for text in (repr(record), json.dumps(record.summary(now=1500.0))):
        assert "access-XYZ-123" not in text
        assert "refresh-ABC-456" not in text


def test_summary_reports_expiry_and_refresh():
    summary = _record().summary(now=1500.0)
    assert summary["expires_in"] == 500
    assert summary["expired"] is False
    assert summary["expires_at"] == "1970-01-01T00:33:20Z"
    assert summary["refresh_available"] is True
    assert summary["access_token_fingerprint"] and len(summary["access_token_fingerprint"]) == 8


def test_default_path_is_in_c2c_home(tmp_path, monkeypatch):
    monkeypatch.setenv("C2C_HOME", str(tmp_path / "c2c"))
    assert TokenStore().path == tmp_path / "c2c" / "tokens.json"
    assert os.fspath(TokenStore().path).startswith(str(tmp_path))

import os
import stat
from pathlib import Path

import pytest

from c2c_cli.paths import atomic_write_text, c2c_home


def test_c2c_home_prefers_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("C2C_HOME", str(tmp_path / "h"))
    assert c2c_home() == tmp_path / "h"
    monkeypatch.delenv("C2C_HOME")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "x"))
    assert c2c_home() == tmp_path / "x" / "c2c"


def test_atomic_write_is_private_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "d" / "store.json"
    atomic_write_text(target, "{}")
    atomic_write_text(target, '{"a": 1}')
    assert target.read_text() == '{"a": 1}'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(target.parent) == ["store.json"]

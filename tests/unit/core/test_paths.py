import os
import stat
from pathlib import Path

import pytest

from c2c_cli.errors import UsageError
from c2c_cli.paths import atomic_write_text, c2c_home, home_problem, require_usable_home


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


def _read_only_dir(tmp_path: Path) -> Path:
    # Permission bits do not stop root (CI runs as root): there, /sys stands in, a directory on which
    # nobody, root included, may create files.
    if os.geteuid() == 0:
        return Path("/sys")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    return ro


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda t: (t / "file").write_text("x") and t / "file", "is not a directory"),
        (lambda t: (t / "file").write_text("x") and t / "file" / "home", "is not a directory"),
        (_read_only_dir, "is not writable"),
        (lambda t: _read_only_dir(t) / "c2c" / "home", "is not writable"),
    ],
    ids=["a-file", "under-a-file", "read-only", "under-read-only"],
)
def test_an_unusable_home_is_named_with_its_problem(tmp_path: Path, make, problem: str) -> None:
    home = make(tmp_path)
    assert problem in (home_problem(home) or "")
    with pytest.raises(UsageError) as info:
        require_usable_home(home)
    assert info.value.exit_code == 2 and "C2C_HOME" in (info.value.hint or "")


@pytest.mark.parametrize("relative", ["", "new/home"])
def test_a_writable_or_creatable_home_is_fine(tmp_path: Path, relative: str) -> None:
    assert home_problem(tmp_path / relative) is None
    assert not (tmp_path / "new").exists()  # checking creates nothing
    assert os.listdir(tmp_path) == []

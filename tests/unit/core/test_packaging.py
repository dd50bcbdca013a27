"""The wheel holds c2c_cli, connector_templates and all their data files."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DATA_SUFFIXES = {".json", ".yaml", ".yml", ".j2", ".jinja", ".txt", ".md", ".toml", ".html", ".cfg", ".ini"}


def _data_files(package: str) -> set[str]:
    base = ROOT / package
    return {
        p.relative_to(ROOT).as_posix()
        for p in base.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and (p.suffix in DATA_SUFFIXES or p.name == "NOTICE")
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("*.whl")
    return found


def test_wheel_contains_both_packages_and_every_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "c2c_cli/__init__.py" in names and "connector_templates/__init__.py" in names
    expected = _data_files("c2c_cli") | _data_files("connector_templates")
    assert "c2c_cli/contract/schemas/model.schema.json" in expected
    assert expected <= names, sorted(expected - names)


def test_wheel_declares_the_console_script(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    (entry_points,) = [n for n in archive.namelist() if n.endswith("entry_points.txt")]
    assert "c2c = c2c_cli.cli:main" in archive.read(entry_points).decode()

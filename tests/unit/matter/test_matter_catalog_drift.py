import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("chip.clusters.Objects")

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "gen_matter_catalog.py"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_matter_catalog", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_catalog_matches_the_generator():
    gen = _generator()
    assert gen.OUT.read_text(encoding="utf-8") == gen.render(), "stale catalog: run make catalog"

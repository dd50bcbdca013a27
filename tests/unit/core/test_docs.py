"""docs/commands.md and docs/contract-rules.md are exactly what scripts/gen_docs.py generates."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_command_reference_is_generated_from_the_app() -> None:
    assert (ROOT / "docs" / "commands.md").read_text() == _generator().render_commands(), "run make docs"


def test_rule_reference_is_generated_from_the_registries() -> None:
    text = (ROOT / "docs" / "contract-rules.md").read_text()
    assert text == _generator().render_rules(), "run make docs"
    assert "`ack.user-id-required`" in text and "`matter.unknown-cluster`" in text


def test_readme_command_table_is_generated_from_the_app() -> None:
    gen = _generator()
    text = (ROOT / "README.md").read_text()
    assert gen.START in text and gen.END in text
    assert text == gen.readme_with_commands(text), "run make docs"
    assert "| `c2c simulate discover` |" in text

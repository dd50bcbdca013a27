"""The one JSON reader: strict JSON, bounded nesting, empty input (issue 13 §12)."""

import io
import json

import pytest

from c2c_cli.contract.reading import MAX_DEPTH, parse_json, read_json
from c2c_cli.errors import UsageError


@pytest.mark.parametrize(
    ("text", "where", "constant"),
    [
        ('{"a": NaN}', "line 1, column 7", "NaN"),
        ('{\n  "x": "NaN",\n  "a": [1, Infinity]\n}', "line 3, column 12", "Infinity"),
        ("[\n-Infinity]", "line 2, column 1", "-Infinity"),
    ],
)
def test_nan_and_infinity_are_not_json(text: str, where: str, constant: str) -> None:
    with pytest.raises(ValueError, match=f"{where}: {constant} is not a JSON number"):
        parse_json(text)


def test_the_words_inside_strings_are_fine() -> None:
    assert parse_json('{"NaN": "Infinity", "q": "a\\"NaN"}') == {"NaN": "Infinity", "q": 'a"NaN'}


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 900, 100_000])
def test_deep_nesting_is_refused(depth: int) -> None:
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_json("[" * depth + "]" * depth)


def test_nesting_up_to_the_limit_is_accepted() -> None:
    text = '{"a": ' * (MAX_DEPTH - 1) + "[]" + "}" * (MAX_DEPTH - 1)
    assert json.dumps(parse_json(text)) == text


def test_syntax_errors_name_line_and_column() -> None:
    with pytest.raises(ValueError, match="line 2, column 1"):
        parse_json("[1,\n]")


@pytest.mark.parametrize("text", ["", "  \n\t"])
def test_empty_stdin_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match=r"^stdin is empty$"):
        read_json("-", stdin=io.StringIO(text))


def test_empty_file_is_a_usage_error(tmp_path) -> None:
    path = tmp_path / "e.json"
    path.write_text("\n")
    with pytest.raises(UsageError, match=r"e\.json is empty"):
        read_json(path)


def test_read_json_names_its_source(tmp_path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"a": NaN}')
    with pytest.raises(UsageError, match=r"d\.json: not valid JSON at line 1, column 7") as caught:
        read_json(str(path))
    assert caught.value.exit_code == 2
    assert read_json("-", stdin=io.StringIO("[1]")) == ([1], "stdin")

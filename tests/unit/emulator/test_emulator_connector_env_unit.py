import pytest

from c2c_cli.emulator.driver.functions import parse_env
from c2c_cli.errors import UsageError


def test_name_value_pairs_and_bare_names_from_the_environment() -> None:
    env = parse_env(["A=1", "B=x=y", "SECRET"], {"SECRET": "s3cr3t"})
    assert env == {"A": "1", "B": "x=y", "SECRET": "s3cr3t"}


@pytest.mark.parametrize("item", ["UNSET", "1BAD=x", "=x", ""])
def test_bad_items_are_usage_errors(item: str) -> None:
    with pytest.raises(UsageError):
        parse_env([item], {})

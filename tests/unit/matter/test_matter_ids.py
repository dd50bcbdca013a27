import pytest

from c2c_cli.matter import format_id, parse_id
from c2c_cli.matter.ids import is_decimal_form, vendor_of


@pytest.mark.parametrize("text", ["0x6", "0X0006", "0x0006", "6", "0x00000006", "006"])
def test_parse_id_compares_by_value(text):
    assert parse_id(text) == 6


@pytest.mark.parametrize(
    "value",
    ["", "0x", "x6", "0x6 ", " 6", "-6", "6.0", "0xg", "OnOff", "٣", None, 6, True, 6.0, [], {}, "9" * 65],
)
def test_parse_id_rejects_everything_else(value):
    assert parse_id(value) is None


def test_parse_id_accepts_hex_case():
    assert parse_id("0xFF01") == parse_id("0xff01") == 0xFF01


@pytest.mark.parametrize(
    ("n", "kind", "text"),
    [
        (6, "cluster", "0x0006"),
        (0, "attribute", "0x0000"),
        (1, "field", "0x0001"),
        (0x15771002, "attribute", "0x15771002"),
        (0, "command", "0x00"),
        (0x0A, "command", "0x0a"),
        (0xFF01, "command", "0xff01"),
        (2, "event", "0x02"),
    ],
)
def test_format_id_follows_the_documented_widths(n, kind, text):
    assert format_id(n, kind) == text


def test_decimal_form_and_vendor():
    assert is_decimal_form("6") and not is_decimal_form("0x6")
    assert vendor_of(0x15771002) == 0x1577
    assert vendor_of(0x0006) == 0

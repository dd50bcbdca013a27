"""The one loopback decision (issue 13 §1): parsed addresses and the exact name localhost only."""

import pytest

from c2c_cli.network import is_loopback, is_loopback_host

LOOPBACK = [
    "127.0.0.1",
    "127.255.255.254",
    "::1",
    "[::1]",
    "::ffff:127.0.0.1",
    "localhost",
    "LOCALHOST",
    "http://127.0.0.1:8080/token",
    "http://[::1]:9000/cb",
    "http://localhost/cb",
]

NOT_LOOPBACK = [
    "127.0.0.1.evil.com",
    "http://127.0.0.1.evil.com/token",
    "127.1",  # inet_aton's short form: resolvers disagree on it
    "0x7f000001",
    "http://0x7f000001/",
    "2130706433",
    "localhost.evil.com",
    "http://localhost.evil.com/",
    "evil-localhost",
    "http://user@127.0.0.1/",
    "http://127.0.0.1@evil.com/",
    "http://user:pw@localhost/",
    "http://evil.com#@127.0.0.1/",
    "http://127.0.0.1\\@evil.com/",
    "１２７.０.０.１",  # fullwidth digits (IDN normalisation would map them to 127.0.0.1)
    "http://ⅼocalhost/",  # U+217C SMALL ROMAN NUMERAL FIFTY
    "xn--localhost-",
    "http://127.0.0.1:99999/",
    "10.0.0.1",
    "0.0.0.0",
    "::",
    "",
]


@pytest.mark.parametrize("value", LOOPBACK)
def test_loopback(value: str) -> None:
    assert is_loopback(value)


@pytest.mark.parametrize("value", NOT_LOOPBACK)
def test_not_loopback(value: str) -> None:
    assert not is_loopback(value)


def test_bare_host_helper_takes_brackets() -> None:
    assert is_loopback_host("[::1]") and not is_loopback_host("[::2]")

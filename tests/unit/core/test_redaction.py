"""The one redaction mechanism (issue 14 §5): one marker, one minimum length, for every package."""

from c2c_cli.redaction import MARKER, MIN_SECRET_LENGTH, redact, redact_request


def test_redact_replaces_every_secret_longest_first() -> None:
    text = "secret=abcdef token=abcdefgh again abcdef"
    assert redact(text, ["abcdef", "abcdefgh", None, ""]) == f"secret={MARKER} token={MARKER} again {MARKER}"


def test_too_short_secrets_are_left_alone() -> None:
    short = "x" * (MIN_SECRET_LENGTH - 1)
    assert redact(f"a {short} b", [short]) == f"a {short} b"


def test_redact_request_hides_the_token_only() -> None:
    request = {"header": {"auth": {"type": "OAuth2.0", "token": "secret-token"}}, "payload": {"a": 1}}
    redacted = redact_request(request)
    assert redacted["header"]["auth"] == {"type": "OAuth2.0", "token": MARKER}
    assert redacted["payload"] == {"a": 1}
    assert request["header"]["auth"]["token"] == "secret-token"


def test_one_marker_in_the_whole_package() -> None:
    from pathlib import Path

    package = Path(__file__).resolve().parents[3] / "c2c_cli"
    stray = [
        f.relative_to(package).as_posix()
        for f in package.rglob("*.py")
        if f.name != "redaction.py" and ("<redacted>" in f.read_text() or '"[REDACTED]"' in f.read_text())
    ]
    assert stray == []

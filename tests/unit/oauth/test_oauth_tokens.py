import base64
import hashlib
import json

import pytest

from c2c_cli.oauth.tokens import (
    fingerprint,
    jwt_claims,
    jwt_subject,
    token_format_problem,
    user_id_problem,
)


def _jwt(claims: object) -> str:
    def part(data: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


def test_fingerprint_is_first_8_hex_of_sha256():
    assert fingerprint("abc") == hashlib.sha256(b"abc").hexdigest()[:8]
    assert fingerprint(None) is None
    assert fingerprint("") is None


def test_jwt_subject_read_without_verification():
    assert jwt_subject(_jwt({"sub": "user-0001", "exp": 1})) == "user-0001"


@pytest.mark.parametrize(
    "token",
    ["opaque-token", "a.b", "a.!!!.c", _jwt(["not", "an", "object"]), _jwt({"sub": 42}), _jwt({"sub": ""})],
)
def test_jwt_subject_absent(token):
    assert jwt_subject(token) is None


def test_jwt_claims_decodes_unpadded_payload():
    assert jwt_claims(_jwt({"sub": "u", "scope": "a b"})) == {"sub": "u", "scope": "a b"}


@pytest.mark.parametrize("token", ["abcDEF123+/=", "abc-_DEF", _jwt({"sub": "u"})])
def test_base64_and_jwt_tokens_pass_format_check(token):
    assert token_format_problem(token) is None


def test_format_problem_names_characters_not_token():
    secretish = "tok en%with$odd"
    problem = token_format_problem(secretish)
    assert problem is not None
    assert "' '" in problem and "'%'" in problem
    assert secretish not in problem


def test_empty_token_is_a_format_problem():
    assert token_format_problem("") == "is empty"


@pytest.mark.parametrize(
    ("user_id", "ok"), [("user-0001", True), ("a@b.c,d_e", True), ("x" * 65, False), ("a b", False)]
)
def test_user_id_must_fit_third_party_user_id(user_id, ok):
    assert (user_id_problem(user_id) is None) is ok

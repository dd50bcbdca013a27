import re

import pytest

from c2c_cli.oauth.pkce import new_pkce, s256_challenge


def test_s256_matches_rfc7636_appendix_b():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert s256_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@pytest.mark.parametrize("nbytes, length", [(32, 43), (96, 128)])
def test_new_verifier_is_unreserved_and_in_length_range(nbytes, length):
    pair = new_pkce(nbytes)
    assert re.fullmatch(r"[A-Za-z0-9\-._~]+", pair.verifier)
    assert len(pair.verifier) == length
    assert pair.challenge == s256_challenge(pair.verifier)
    assert pair.method == "S256"


def test_verifiers_are_random():
    assert new_pkce().verifier != new_pkce().verifier


@pytest.mark.parametrize("verifier", ["short", "x" * 129, "a" * 42 + "!"])
def test_invalid_verifier_is_rejected(verifier):
    with pytest.raises(ValueError, match="RFC 7636"):
        s256_challenge(verifier)


@pytest.mark.parametrize("nbytes", [31, 97])
def test_entropy_outside_range_is_rejected(nbytes):
    with pytest.raises(ValueError):
        new_pkce(nbytes)


def test_repr_hides_the_verifier():
    pair = new_pkce()
    assert pair.verifier not in repr(pair)

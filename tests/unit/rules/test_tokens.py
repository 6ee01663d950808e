"""Token rules, without AWS: what verifies and what each refusal says."""

import base64
import json
import time

import jwt
import pytest

from latchkey.errors import InvalidToken, TokenExpired, WrongTokenType
from latchkey.rules import tokens

CTX = tokens.TokenContext(key=b"k" * 64, issuer="latchkey:dev", audience="latchkey-api:dev")
PROD = tokens.TokenContext(key=b"k" * 64, issuer="latchkey:prod", audience="latchkey-api:prod")
IDENTITY = {"sub": "user_1", "org": "org_1", "role": "ADMIN", "sid": "ses_1"}
BASE = {"iss": CTX.issuer, "aud": CTX.audience, "typ": "access", "sub": "user_1", "org": "org_1", "role": "ADMIN",
        "sid": "ses_1", "jti": "j", "iat": 1_900_000_000 - 60, "exp": 1_900_000_000}


def test_access_token_round_trips_with_its_claims():
    token, issued = tokens.issue(CTX, tokens.ACCESS, 900, **IDENTITY)
    claims = tokens.verify(CTX, token, tokens.ACCESS)
    assert claims == issued
    assert claims["typ"] == "access" and claims["exp"] - claims["iat"] == 900
    assert {"iss", "aud", "jti", "sid"} <= claims.keys()


def test_refresh_token_is_refused_where_an_access_token_is_expected():
    token, _ = tokens.issue(CTX, tokens.REFRESH, 900, **IDENTITY)
    with pytest.raises(WrongTokenType):
        tokens.verify(CTX, token, tokens.ACCESS)


def test_expired_token_is_refused_as_expired():
    token, _ = tokens.issue(CTX, tokens.ACCESS, 60, now=int(time.time()) - 120, **IDENTITY)
    with pytest.raises(TokenExpired):
        tokens.verify(CTX, token, tokens.ACCESS)


def test_token_of_another_stage_is_refused_even_with_the_same_key():
    token, _ = tokens.issue(PROD, tokens.ACCESS, 900, **IDENTITY)
    with pytest.raises(InvalidToken) as refused:
        tokens.verify(CTX, token, tokens.ACCESS)
    assert refused.value.code == "WRONG_STAGE"


def test_token_signed_with_another_key_is_refused():
    token, _ = tokens.issue(tokens.TokenContext(b"x" * 64, CTX.issuer, CTX.audience), tokens.ACCESS, 900, **IDENTITY)
    with pytest.raises(InvalidToken, match="signature"):
        tokens.verify(CTX, token, tokens.ACCESS)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_alg_none_token_is_refused():
    _, claims = tokens.issue(CTX, tokens.ACCESS, 900, **IDENTITY)
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    with pytest.raises(InvalidToken, match="algorithm"):
        tokens.verify(CTX, unsigned, tokens.ACCESS)


def test_other_hmac_algorithm_with_the_right_key_is_refused():
    _, claims = tokens.issue(CTX, tokens.ACCESS, 900, **IDENTITY)
    with pytest.raises(InvalidToken, match="algorithm"):
        tokens.verify(CTX, jwt.encode(claims, CTX.key, algorithm="HS512"), tokens.ACCESS)


def test_tampered_payload_is_refused():
    token, claims = tokens.issue(CTX, tokens.ACCESS, 900, **IDENTITY)
    header, _, signature = token.split(".")
    forged = f"{header}.{_b64({**claims, 'role': 'OWNER'})}.{signature}"
    with pytest.raises(InvalidToken):
        tokens.verify(CTX, forged, tokens.ACCESS)


@pytest.mark.parametrize("missing", ["exp", "iat", "typ", "jti", "sub"])
def test_token_missing_a_required_claim_is_refused(missing):
    _, claims = tokens.issue(CTX, tokens.ACCESS, 900, **IDENTITY)
    del claims[missing]
    with pytest.raises(InvalidToken):
        tokens.verify(CTX, jwt.encode(claims, CTX.key, algorithm="HS256"), tokens.ACCESS)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "eyJ.eyJ.", "Bearer x", "🙂.🙂.🙂"])
def test_garbage_is_refused_as_malformed(garbage):
    with pytest.raises(InvalidToken):
        tokens.verify(CTX, garbage, tokens.ACCESS)


def test_signing_key_shorter_than_256_bits_is_a_configuration_error():
    with pytest.raises(ValueError, match="256 bits"):
        tokens.TokenContext(b"k" * 31, CTX.issuer, CTX.audience)


@pytest.mark.parametrize("claim, value", [("org", ["org_1", "org_2"]), ("role", {"a": 1}), ("sid", 7),
                                          ("exp", "1900000000"), ("iat", 1.5), ("gen", "1"), ("sub", True)])
def test_signed_token_with_a_claim_of_the_wrong_type_is_refused(claim, value, monkeypatch):
    monkeypatch.setattr("time.time", lambda: 1_900_000_000 - 30)
    token = jwt.encode({**BASE, claim: value}, CTX.key, algorithm="HS256")
    with pytest.raises(InvalidToken):
        tokens.verify(CTX, token, tokens.ACCESS)


def test_wrong_type_message_never_echoes_the_tokens_own_typ():
    token, _ = tokens.issue(CTX, 'evil"\n\\', 60, sub="u")
    with pytest.raises(WrongTokenType) as refused:
        tokens.verify(CTX, token, tokens.ACCESS)
    assert "evil" not in refused.value.message and refused.value.message.endswith("send an access token")

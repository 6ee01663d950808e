"""Token rules, without AWS: what verifies and what each refusal says."""

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from latchkey.errors import InvalidToken, TokenExpired, UnknownSigningKey, WrongTokenType
from latchkey.rules import signing_keys, tokens
from tests.keys import context

CTX = context()
PROD = context(key=signing_keys.Key(CTX.kid, CTX.signing.public_key(), CTX.signing), issuer="latchkey:prod",
               audience="latchkey-api:prod")
IDENTITY = {"sub": "user_1", "org": "org_1", "role": "ADMIN", "sid": "ses_1", "auth_time": 1, "amr": ["pwd"]}


def test_access_token_round_trips_with_its_claims_and_rfc9068_header():
    token, issued = tokens.issue(CTX, tokens.ACCESS, 900, **IDENTITY)
    claims = tokens.verify(CTX, token, tokens.ACCESS)
    assert claims == issued
    assert claims["typ"] == "access" and claims["exp"] - claims["iat"] == 900
    assert {"iss", "aud", "jti", "sid", "auth_time", "amr"} <= claims.keys()
    assert jwt.get_unverified_header(token) == {"alg": "ES256", "kid": CTX.kid, "typ": "at+jwt"}


def test_the_same_claims_and_key_give_the_same_token():
    first, _ = tokens.issue(CTX, tokens.ACCESS, 900, now=1_900_000_000, jti="j", **IDENTITY)
    again, _ = tokens.issue(CTX, tokens.ACCESS, 900, now=1_900_000_000, jti="j", **IDENTITY)
    assert first == again


def test_a_stock_verifier_checks_the_token_with_the_public_jwk_alone():
    token, _ = tokens.issue(CTX, tokens.ACCESS, 900, **IDENTITY)
    jwk = signing_keys.jwk(signing_keys.Key(CTX.kid, CTX.signing.public_key()))
    key = jwt.PyJWK(jwk)
    claims = jwt.decode(token, key, algorithms=["ES256"], audience=CTX.audience, issuer=CTX.issuer)
    assert claims["sub"] == "user_1"


def test_refresh_token_is_refused_where_an_access_token_is_expected():
    refresh = context(tokens.REFRESH)
    token, _ = tokens.issue(refresh, tokens.REFRESH, 900, **IDENTITY)
    with pytest.raises(WrongTokenType):
        tokens.verify(CTX, token, tokens.ACCESS)


def test_a_function_without_the_purposes_key_cannot_mint_it():
    result = context(tokens.RESULT)
    with pytest.raises(PermissionError):
        tokens.issue(result, tokens.ACCESS, 900, **IDENTITY)
    verify_only = tokens.TokenContext(CTX.issuer, CTX.audience, tokens.ACCESS, CTX.verifying)
    with pytest.raises(PermissionError):
        tokens.issue(verify_only, tokens.ACCESS, 900, **IDENTITY)


def test_expired_token_is_refused_as_expired():
    token, _ = tokens.issue(CTX, tokens.ACCESS, 60, now=int(time.time()) - 120, **IDENTITY)
    with pytest.raises(TokenExpired):
        tokens.verify(CTX, token, tokens.ACCESS)


def test_token_of_another_stage_is_refused_even_with_the_same_key():
    token, _ = tokens.issue(PROD, tokens.ACCESS, 900, **IDENTITY)
    with pytest.raises(InvalidToken) as refused:
        tokens.verify(CTX, token, tokens.ACCESS)
    assert refused.value.code == "WRONG_STAGE"


def test_token_with_an_unknown_kid_is_refused_before_any_signature_check():
    token, _ = tokens.issue(context(), tokens.ACCESS, 900, **IDENTITY)
    with pytest.raises(UnknownSigningKey) as refused:
        tokens.verify(CTX, token, tokens.ACCESS)
    assert refused.value.code == "UNKNOWN_SIGNING_KEY" and refused.value.status == 401


def test_token_signed_with_another_key_under_our_kid_is_refused():
    other = context()
    impostor = tokens.TokenContext(CTX.issuer, CTX.audience, tokens.ACCESS, {}, CTX.kid, other.signing)
    token, _ = tokens.issue(impostor, tokens.ACCESS, 900, **IDENTITY)
    with pytest.raises(InvalidToken, match="signature"):
        tokens.verify(CTX, token, tokens.ACCESS)


def test_access_token_without_the_at_jwt_header_type_is_refused():
    _, claims = tokens.issue(CTX, tokens.ACCESS, 900, **IDENTITY)
    plain = jwt.encode(claims, CTX.signing, algorithm="ES256", headers={"kid": CTX.kid, "typ": "JWT"})
    with pytest.raises(WrongTokenType):
        tokens.verify(CTX, plain, tokens.ACCESS)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_alg_none_token_is_refused():
    _, claims = tokens.issue(CTX, tokens.ACCESS, 900, **IDENTITY)
    unsigned = f"{_b64({'alg': 'none', 'typ': 'at+jwt', 'kid': CTX.kid})}.{_b64(claims)}."
    with pytest.raises(InvalidToken, match="algorithm"):
        tokens.verify(CTX, unsigned, tokens.ACCESS)


def test_hmac_with_the_public_key_as_secret_is_refused():
    """The classic algorithm confusion: HS256 keyed with the (public) verification key."""
    _, claims = tokens.issue(CTX, tokens.ACCESS, 900, **IDENTITY)
    public_pem = CTX.signing.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    body = f"{_b64({'alg': 'HS256', 'typ': 'at+jwt', 'kid': CTX.kid})}.{_b64(claims)}"
    signature = base64.urlsafe_b64encode(hmac.new(public_pem, body.encode(), hashlib.sha256).digest()).rstrip(b"=")
    with pytest.raises(InvalidToken, match="algorithm"):
        tokens.verify(CTX, f"{body}.{signature.decode()}", tokens.ACCESS)


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
    token = jwt.encode(claims, CTX.signing, algorithm="ES256", headers={"kid": CTX.kid, "typ": "at+jwt"})
    with pytest.raises(InvalidToken):
        tokens.verify(CTX, token, tokens.ACCESS)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "eyJ.eyJ.", "Bearer x", "🙂.🙂.🙂"])
def test_garbage_is_refused_as_malformed(garbage):
    with pytest.raises(InvalidToken):
        tokens.verify(CTX, garbage, tokens.ACCESS)


def test_a_token_signed_by_pyjwt_verifies_here_the_jws_is_the_standard_one():
    claims = {"iss": CTX.issuer, "aud": CTX.audience, "typ": "access", "jti": "j", "iat": int(time.time()),
              "exp": int(time.time()) + 60, **IDENTITY}
    theirs = jwt.encode(claims, CTX.signing, algorithm="ES256", headers={"kid": CTX.kid, "typ": "at+jwt"})
    assert tokens.verify(CTX, theirs, tokens.ACCESS) == claims


def test_a_signature_of_the_wrong_length_or_encoding_is_refused():
    token, _ = tokens.issue(CTX, tokens.ACCESS, 900, **IDENTITY)
    head, body, signature = token.split(".")
    for bad in (signature[:-2], signature + "AA", signature[:-1] + "=", "", signature[:-1] + "+"):
        with pytest.raises(InvalidToken):
            tokens.verify(CTX, f"{head}.{body}.{bad}", tokens.ACCESS)


BASE = {"iss": CTX.issuer, "aud": CTX.audience, "typ": "access", "sub": "user_1", "org": "org_1", "role": "ADMIN",
        "sid": "ses_1", "jti": "j", "iat": 1_900_000_000 - 60, "exp": 1_900_000_000, "auth_time": 1, "amr": ["pwd"]}


@pytest.mark.parametrize("claim, value", [("org", ["org_1", "org_2"]), ("role", {"a": 1}), ("sid", 7),
                                          ("exp", "1900000000"), ("iat", 1.5), ("gen", "1"), ("sub", True),
                                          ("auth_time", "1"), ("amr", "pwd")])
def test_signed_token_with_a_claim_of_the_wrong_type_is_refused(claim, value, monkeypatch):
    monkeypatch.setattr("time.time", lambda: 1_900_000_000 - 30)
    token = jwt.encode({**BASE, claim: value}, CTX.signing, algorithm="ES256",
                       headers={"kid": CTX.kid, "typ": "at+jwt"})
    with pytest.raises(InvalidToken):
        tokens.verify(CTX, token, tokens.ACCESS)


def test_wrong_type_message_never_echoes_the_tokens_own_typ():
    token = jwt.encode({**BASE, "typ": 'evil"\n\\', "iat": int(time.time()),
                        "exp": int(time.time()) + 60}, CTX.signing, algorithm="ES256",
                       headers={"kid": CTX.kid, "typ": "at+jwt"})
    with pytest.raises(WrongTokenType) as refused:
        tokens.verify(CTX, token, tokens.ACCESS)
    assert "evil" not in refused.value.message and refused.value.message.endswith("send an access token")

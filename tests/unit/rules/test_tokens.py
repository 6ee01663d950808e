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
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551  # the order of P-256


def _split_signature(segment: str) -> tuple[int, int]:
    raw = base64.urlsafe_b64decode(segment + "==")
    return int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")


def _join_signature(r: int, s: int) -> str:
    return base64.urlsafe_b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).rstrip(b"=").decode()


def _low_s(token: str) -> str:
    """`token` with its signature in the low-S form (a stock signer such as PyJWT picks either)."""
    head, body, signature = token.split(".")
    r, s = _split_signature(signature)
    return f"{head}.{body}.{_join_signature(r, min(s, N - s))}"


def _pyjwt(claims: dict, headers: dict) -> str:
    """A token signed by PyJWT with our key, in the canonical (low-S) form every verifier here wants."""
    return _low_s(jwt.encode(claims, CTX.signing, algorithm="ES256", headers=headers))


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
    pending = context(tokens.PENDING_2FA)
    with pytest.raises(PermissionError):
        tokens.issue(pending, tokens.ACCESS, 900, **IDENTITY)
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
    plain = _pyjwt(claims, {"kid": CTX.kid, "typ": "JWT"})
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
    token = _pyjwt(claims, {"kid": CTX.kid, "typ": "at+jwt"})
    with pytest.raises(InvalidToken, match="lacks"):
        tokens.verify(CTX, token, tokens.ACCESS)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "eyJ.eyJ.", "Bearer x", "🙂.🙂.🙂"])
def test_garbage_is_refused_as_malformed(garbage):
    with pytest.raises(InvalidToken):
        tokens.verify(CTX, garbage, tokens.ACCESS)


def test_a_token_signed_by_pyjwt_verifies_here_the_jws_is_the_standard_one():
    claims = {"iss": CTX.issuer, "aud": CTX.audience, "typ": "access", "jti": "j", "iat": int(time.time()),
              "exp": int(time.time()) + 60, **IDENTITY}
    theirs = _pyjwt(claims, {"kid": CTX.kid, "typ": "at+jwt"})
    assert tokens.verify(CTX, theirs, tokens.ACCESS) == claims


# --- only canonical tokens verify ---------------------------------------------------------------


def test_our_signatures_are_low_s_and_a_stock_verifier_accepts_them():
    for jti in ("a", "b", "c", "d", "e", "f", "g", "h"):  # RFC 6979: S is high for about half of them
        token, _ = tokens.issue(CTX, tokens.ACCESS, 900, jti=jti, **IDENTITY)
        assert _split_signature(token.split(".")[2])[1] <= N // 2
        jwk = signing_keys.jwk(signing_keys.Key(CTX.kid, CTX.signing.public_key()))
        jwt.decode(token, jwt.PyJWK(jwk), algorithms=["ES256"], audience=CTX.audience, issuer=CTX.issuer)


def test_the_high_s_twin_of_a_valid_signature_is_refused():
    """(r, n - s) checks out under plain ECDSA as well as (r, s): a second spelling of the same token,
    refused so that a token has exactly one."""
    token, _ = tokens.issue(CTX, tokens.ACCESS, 900, **IDENTITY)
    head, body, signature = token.split(".")
    r, s = _split_signature(signature)
    twin = f"{head}.{body}.{_join_signature(r, N - s)}"
    jwk = signing_keys.jwk(signing_keys.Key(CTX.kid, CTX.signing.public_key()))
    jwt.decode(twin, jwt.PyJWK(jwk), algorithms=["ES256"], audience=CTX.audience, issuer=CTX.issuer)  # valid ECDSA
    with pytest.raises(InvalidToken, match="signature"):
        tokens.verify(CTX, twin, tokens.ACCESS)
    assert tokens.verify(CTX, token, tokens.ACCESS)


_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _dirty_tail(segment: str) -> str:
    """The same bytes spelled with a non-zero unused bit in the last character."""
    assert len(segment) % 4 in (2, 3), segment
    return segment[:-1] + _ALPHABET[_ALPHABET.index(segment[-1]) | 1]


def _signed(head: str, body: str) -> str:
    """`head.body` signed with our key as it stands (canonical or not), low S."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    r, s = decode_dss_signature(CTX.signing.sign(f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256())))
    return f"{head}.{body}.{_join_signature(r, min(s, N - s))}"


def test_a_segment_with_non_zero_unused_bits_or_padding_is_refused_even_when_signed():
    head = _b64({"alg": "ES256", "kid": CTX.kid, "typ": "at+jwt"})
    for jti in ("j", "jj", "jjj"):  # one of them leaves a tail in the payload
        _, claims = tokens.issue(CTX, tokens.ACCESS, 900, jti=jti, **IDENTITY)
        body = base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).rstrip(b"=").decode()
        if len(body) % 4:
            break
    assert tokens.verify(CTX, _signed(head, body), tokens.ACCESS) == claims  # the canonical spelling
    dirty = [_signed(head, _dirty_tail(body)), _signed(head, body + "=" * (-len(body) % 4))]
    if len(head) % 4:
        dirty.append(_signed(_dirty_tail(head), body))
    token = _signed(head, body)
    h, b, signature = token.split(".")
    dirty.append(f"{h}.{b}.{_dirty_tail(signature)}")  # 64 bytes: 86 characters, 4 unused bits
    for forged in dirty:
        with pytest.raises(InvalidToken, match="malformed"):
            tokens.verify(CTX, forged, tokens.ACCESS)


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
    token = _pyjwt({**BASE, claim: value}, {"kid": CTX.kid, "typ": "at+jwt"})
    with pytest.raises(InvalidToken):
        tokens.verify(CTX, token, tokens.ACCESS)


def test_wrong_type_message_never_echoes_the_tokens_own_typ():
    token = _pyjwt({**BASE, "typ": 'evil"\n\\', "iat": int(time.time()), "exp": int(time.time()) + 60},
                   {"kid": CTX.kid, "typ": "at+jwt"})
    with pytest.raises(WrongTokenType) as refused:
        tokens.verify(CTX, token, tokens.ACCESS)
    assert "evil" not in refused.value.message and refused.value.message.endswith("send an access token")

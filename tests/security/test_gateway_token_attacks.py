"""Attacks on Latchkey's own authorizer with the RS256 keys beside its ES256 ones: an access token
for your own API (the gateway key set, GatewayJwtAudiences), an ID token, a token signed with the ID
tokens' key dressed as an access token, and the algorithm confusions (alg none, HS256 keyed with a
public key, RS256 naming an access kid). Each is refused: the authorizer pins ES256 and knows the
access tokens' public set only."""
# ruff: noqa: F811 - the fixtures are imported from the modules that define them, and requested by name

from __future__ import annotations

import base64
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from tests.handlers.conftest import authorize
from tests.handlers.test_gateway_tokens import API, gateway_audiences  # noqa: F401 - an autouse fixture
from tests.handlers.test_oauth_authorize import new_app
from tests.handlers.test_oauth_token import admin, code_for, redeem, token  # noqa: F401 - admin: a fixture


@pytest.fixture
def signed_in(local_api, admin) -> dict:
    """A code flow for the API's audience: the token endpoint's answer."""
    app = new_app(local_api, admin, type="public", firstParty=True, scopes=["organization:read"])
    code, verifier = code_for(local_api, admin, app, scope="openid organization:read")
    status, answer = token(local_api, redeem(app, code, verifier, resource=API))
    assert status == 200, answer
    return answer


def refused(local_api, bearer: str) -> str:
    """The authorizer's Deny for `bearer` on GET /v1/organization; its code."""
    answer = authorize(local_api, bearer, resource="/v1/organization")
    assert answer["policyDocument"]["Statement"][0]["Effect"] == "Deny", answer
    return answer["context"]["code"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def latchkey_token(local_api, admin) -> tuple[dict, dict]:
    """The header and claims of a real Latchkey access token of this stage (what a forger copies)."""
    from tests.handlers.conftest import sign_in

    access = sign_in(local_api, admin["email"])["accessToken"]
    return jwt.get_unverified_header(access), jwt.decode(access, options={"verify_signature": False})


def test_an_access_token_for_your_own_api_is_refused_by_latchkeys_authorizer(local_api, signed_in):
    header = jwt.get_unverified_header(signed_in["access_token"])
    assert header["alg"] == "RS256" and header["kid"].startswith("gateway-")
    assert refused(local_api, signed_in["access_token"]) == "INVALID_TOKEN"


def test_an_id_token_is_refused(local_api, signed_in):
    assert refused(local_api, signed_in["id_token"]) == "INVALID_TOKEN"


def test_a_token_signed_with_the_id_key_dressed_as_an_access_token_is_refused(local_api, admin):
    """An attacker with the ID tokens' private key (or the gateway set's) mints Latchkey's own claims."""
    from latchkey.store import key_sets

    claims = latchkey_token(local_api, admin)[1] | {"role": "ADMIN"}
    for purpose in ("id", "gateway"):
        key = key_sets.signing_key(purpose)
        pem = key.private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
        forged = jwt.encode(claims, pem, algorithm="RS256", headers={"kid": key.kid, "typ": "at+jwt"})
        assert refused(local_api, forged) == "INVALID_TOKEN", purpose


def test_rs256_naming_an_access_kid_is_refused(local_api, admin):
    from cryptography.hazmat.primitives.asymmetric import rsa

    header, claims = latchkey_token(local_api, admin)
    mine = rsa.generate_private_key(65537, 2048)
    forged = jwt.encode(claims, mine, algorithm="RS256", headers={"kid": header["kid"], "typ": "at+jwt"})
    assert refused(local_api, forged) == "INVALID_TOKEN"


def public_pems(local_api) -> dict[str, bytes]:
    """Every key of the JWKS as PEM, by kid: what an attacker can download."""
    from tests.handlers.test_oauth_token import jwks

    return {kid: jwt.PyJWK(jwk).key.public_bytes(serialization.Encoding.PEM,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)
            for kid, jwk in jwks(local_api).items()}


def hs256(claims: dict, secret: bytes, kid: str) -> str:
    """HS256 keyed with `secret` (PyJWT refuses a PEM as an HMAC key: written out by hand)."""
    import hashlib
    import hmac

    head = _b64(json.dumps({"alg": "HS256", "kid": kid, "typ": "at+jwt"}).encode())
    body = _b64(json.dumps(claims).encode())
    signature = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


def test_hs256_keyed_with_a_published_public_key_is_refused(local_api, admin, signed_in):
    claims = latchkey_token(local_api, admin)[1] | {"role": "ADMIN"}
    pems = public_pems(local_api)
    assert {kid.split("-")[0] for kid in pems} >= {"access", "id", "gateway"}
    for kid, pem in pems.items():
        assert refused(local_api, hs256(claims, pem, kid)) == "INVALID_TOKEN", kid
        assert refused(local_api, hs256(claims, pem.strip(), kid)) == "INVALID_TOKEN", kid


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "", "RS256", "PS256", "ES384", "EdDSA"])
def test_any_algorithm_but_es256_is_refused_before_the_key(local_api, admin, alg):
    header, claims = latchkey_token(local_api, admin)
    head = _b64(json.dumps({**header, "alg": alg}).encode())
    body = _b64(json.dumps(claims).encode())
    assert refused(local_api, f"{head}.{body}.") == "INVALID_TOKEN"


def test_a_gateway_token_is_not_an_access_token_to_introspection_either(local_api, admin, signed_in):
    from latchkey.usecases import oauth

    assert oauth.introspected(signed_in["access_token"]) is None
    assert oauth.issued_token(signed_in["access_token"], "access_token") is None

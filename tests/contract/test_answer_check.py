"""Functions envelope their data as it is (`edge.http.respond`); what keeps each answer to its view's
exact fields is the check every answer a test receives passes through (`tests/openapi_check.py`,
in process and through the gateway). These hold that check to failing: a record that leaks a field
its view does not declare, or loses one the view requires, is caught."""

import json

import pytest

from tests.openapi_check import ContractViolation, check

USER = {"id": "usr_1", "name": "Ada", "email": "ada@example.com", "role": "ADMIN", "plan": "free",
        "organizationId": "org_1", "twoFactorEnabled": False, "emailVerified": True}


def _me(data: dict) -> None:
    check("GET", "/v1/auth/me", 200, "application/json", json.dumps({"success": True, "data": data}).encode())


def test_the_view_as_declared_passes():
    _me(USER)


def test_a_field_the_view_does_not_declare_fails():
    with pytest.raises(ContractViolation, match="passwordHash"):
        _me({**USER, "passwordHash": "$argon2id$..."})


def test_a_field_the_view_requires_fails_when_missing():
    with pytest.raises(ContractViolation, match="email"):
        _me({k: v for k, v in USER.items() if k != "email"})


def test_a_status_the_document_does_not_list_fails():
    with pytest.raises(ContractViolation, match="418"):
        check("GET", "/v1/auth/me", 418, "application/json", b'{"success": false}')


JWK = {"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
       "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0", "kid": "access-1", "alg": "ES256", "use": "sig"}


def _jwks(body: dict) -> None:
    check("GET", "/.well-known/jwks.json", 200, "application/json", json.dumps(body).encode())


def test_the_jwks_is_held_to_its_real_shape():
    _jwks({"keys": [JWK]})
    with pytest.raises(ContractViolation, match="'d'"):
        _jwks({"keys": [{**JWK, "d": "private"}]})  # a private part published
    with pytest.raises(ContractViolation, match="success"):
        _jwks({"success": True, "data": {"keys": [JWK]}})  # not a JWKS: an envelope
    with pytest.raises(ContractViolation, match="not valid under any"):
        _jwks({"keys": [{**JWK, "alg": "RS256"}]})  # an EC key is ES256's; RS256 keys are RSA (ID tokens)

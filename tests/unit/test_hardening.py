"""Defences found by attacking the skeleton: each attack first, then what must hold."""

import time

import jwt
import pytest

from latchkey.edge import authorizer_policy
from latchkey.errors import InvalidToken, WrongTokenType
from latchkey.rules import ids, tokens
from latchkey.rules.records import normalize_email
from tests.keys import context

CTX = context()
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


def test_both_credentials_at_once_are_refused_and_an_empty_api_key_header_is_ignored():
    with pytest.raises(InvalidToken) as refused:
        authorizer_policy.credential({"X-API-Key": "pk_live_x", "Authorization": "Bearer abc"})
    assert refused.value.code == "AMBIGUOUS_CREDENTIALS"
    assert authorizer_policy.credential({"X-API-Key": " ", "Authorization": "Bearer abc"}).kind == "jwt"


def test_composed_decomposed_and_case_variants_of_an_email_are_one_address():
    composed, decomposed = "caf\u00e9@example.com", "cafe\u0301@example.com"
    assert normalize_email(composed) == normalize_email(decomposed) == normalize_email(" CAF\u00c9@Example.COM ")


def test_ids_sort_by_creation_and_keep_their_shape():
    first, second = ids.new_id(ids.ASSESSMENT), ids.new_id(ids.ASSESSMENT)
    assert ids.is_id(first, ids.ASSESSMENT) and ids.is_id(second, ids.ASSESSMENT)
    assert first[:16] <= second[:16]

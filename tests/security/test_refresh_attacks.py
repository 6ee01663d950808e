"""Bad refresh tokens over HTTP: each is a 401 with a clear code, and no stored state changes."""

import base64
import json
import time

import jwt
import pytest

from latchkey.rules import tokens
from tests.support import Client


@pytest.fixture(scope="module")
def victim(client: Client) -> dict:
    return client.register()


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def forged(client, victim, kind):
    token = victim["refreshToken"]
    claims = jwt.decode(token, options={"verify_signature": False})
    return {
        "malformed": "not-a-jwt",
        "truncated": token[: len(token) // 2],
        "unsigned": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.",
        "wrong secret": jwt.encode(claims, "w" * 64, algorithm="HS256"),
        "wrong stage": tokens.issue(client.token_context(tokens.REFRESH, stage="prod"), tokens.REFRESH,
                                    900, jti=claims["jti"], **{k: claims[k] for k in ("sub", "org", "role", "sid")},
                                    gen=0)[0],
        "expired": tokens.issue(client.token_context(tokens.REFRESH), tokens.REFRESH, 60,
                                now=int(time.time()) - 3600, jti=claims["jti"],
                                **{k: claims[k] for k in ("sub", "org", "role", "sid")}, gen=0)[0],
        "access token": victim["accessToken"],
    }[kind]


@pytest.mark.parametrize(
    "kind, code",
    [("malformed", "INVALID_TOKEN"), ("truncated", "INVALID_TOKEN"), ("unsigned", "INVALID_TOKEN"),
     ("wrong secret", "INVALID_TOKEN"), ("wrong stage", "WRONG_STAGE"), ("expired", "REFRESH_TOKEN_EXPIRED"),
     ("access token", "WRONG_TOKEN_TYPE")],
)
def test_bad_refresh_token_is_401_and_changes_nothing(client: Client, victim, kind, code):
    before = client.table_items("sessions")
    response = client.post("/v1/auth/refresh", json={"refreshToken": forged(client, victim, kind)})
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == code
    assert client.table_items("sessions") == before


@pytest.mark.parametrize("body", [{}, {"refreshToken": ""}, {"refreshToken": None}])
def test_missing_refresh_token_is_401(client: Client, body):
    response = client.post("/v1/auth/refresh", json=body)
    assert response.status_code == 401 and response.json()["error"]["code"] == "NO_REFRESH_TOKEN"


@pytest.mark.parametrize("body", [{"refreshToken": 12}, {"refreshToken": ["a"]}, {"refreshToken": "x", "extra": 1}])
def test_wrongly_typed_refresh_body_is_400(client: Client, body):
    response = client.post("/v1/auth/refresh", json=body)
    assert response.status_code == 400 and response.json()["error"]["code"] == "VALIDATION_FAILED"


def test_victim_session_still_works_after_the_attacks(client: Client, victim):
    assert client.post("/v1/auth/refresh", json={"refreshToken": victim["refreshToken"]}).status_code == 200

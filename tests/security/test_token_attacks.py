"""Attacks on the authorizer over HTTP: every bad credential is a 401 saying why, in the envelope the
template's ACCESS_DENIED gateway response renders."""

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


def refusal(response, code):
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["success"] is False and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert response.headers["WWW-Authenticate"] == "Bearer"
    return response.json()["error"]["message"]


def me(client, headers):
    return client.get("/v1/auth/me", headers=headers)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Token abc"}, {"Authorization": "Bearer "},
                                     {"Authorization": "Basic dXNlcjpwYXNz"}])
def test_missing_bearer_prefix_is_no_bearer_token(client: Client, headers):
    assert refusal(me(client, headers), "NO_BEARER_TOKEN") == "No bearer token"


def test_token_without_the_bearer_prefix_is_no_bearer_token(client: Client, victim):
    assert refusal(me(client, {"Authorization": victim["accessToken"]}), "NO_BEARER_TOKEN") == "No bearer token"


def test_refresh_token_as_bearer_is_refused(client: Client, victim):
    refusal(me(client, client.bearer(victim["refreshToken"])), "WRONG_TOKEN_TYPE")


def test_expired_token_is_refused(client: Client, victim):
    ctx = client.token_context(tokens.ACCESS)
    expired, _ = tokens.issue(ctx, tokens.ACCESS, 900, now=int(time.time()) - 1000, sub=victim["user"]["id"],
                              org=victim["user"]["organizationId"], role="ADMIN", sid="ses_x")
    assert refusal(me(client, client.bearer(expired)), "TOKEN_EXPIRED") == "Token has expired"


def test_token_for_another_stage_is_refused_even_with_the_right_key(client: Client, victim):
    ctx = client.token_context(tokens.ACCESS, stage="prod")
    foreign, _ = tokens.issue(ctx, tokens.ACCESS, 900, sub=victim["user"]["id"],
                              org=victim["user"]["organizationId"], role="ADMIN", sid="ses_x")
    refusal(me(client, client.bearer(foreign)), "WRONG_STAGE")


def test_token_signed_with_a_guessed_key_is_refused(client: Client, victim):
    claims = jwt.decode(victim["accessToken"], options={"verify_signature": False})
    forged = jwt.encode({**claims, "role": "ADMIN", "org": "org_someone_else"}, "guess" * 10, algorithm="HS256")
    refusal(me(client, client.bearer(forged)), "INVALID_TOKEN")


def test_alg_none_token_is_refused(client: Client, victim):
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    payload = victim["accessToken"].split(".")[1]
    refusal(me(client, client.bearer(f"{header}.{payload}.")), "INVALID_TOKEN")


def test_truncated_token_is_refused(client: Client, victim):
    refusal(me(client, client.bearer(victim["accessToken"][:-5])), "INVALID_TOKEN")


def test_an_invented_api_key_is_refused_as_invalid(client: Client):
    refusal(me(client, {"X-API-Key": "pk_live_" + "0" * 64}), "INVALID_API_KEY")


def test_valid_token_still_works_alongside(client: Client, victim):
    assert me(client, client.bearer(victim["accessToken"])).status_code == 200




def test_server_log_holds_no_password_or_token(client: Client, server_log, victim):
    client.post("/v1/auth/login", json={"email": victim["user"]["email"], "password": "Wr0ng-but-logged?"})
    client.get("/v1/auth/me", headers=client.bearer(victim["refreshToken"]))
    log = server_log.read_text()
    assert '"message":"refused"' in log.replace(" ", "")
    for secret in ("Wr0ng-but-logged?", victim["accessToken"], victim["refreshToken"],
                   victim["accessToken"].split(".")[2], json.dumps(victim["user"]["email"])[1:-1] + '","password'):
        assert secret not in log

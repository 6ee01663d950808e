"""The OAuth authorization endpoint and the hosted page's decision, through their handlers: PKCE S256
required (plain refused), errors in OAuth's form and redirected only to a verified redirect URI,
`state` and `iss` on every answer, `prompt=login` and `max_age` asking for a fresher sign-in, consent
for apps that are not first-party (remembered per user and app), a code for the user who allowed it
(stored as its SHA-256, bound to the app, the redirect URI and the PKCE challenge), and a user of
another organization refused."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.handlers.conftest import body_of, call, code_of, invoke, register
from tests.support import PINNED_NOW, load_event

CALLBACK = "https://portal.example.com/callback"
ISSUER = "https://login.example.com"


@pytest.fixture(autouse=True)
def issuer(monkeypatch):
    """One issuer (OAuthIssuerUrl) whatever URL each sample event names."""
    from latchkey.settings import get_settings

    monkeypatch.setenv("OAUTH_ISSUER_URL", ISSUER)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def new_app(local_api, admin: dict, **body) -> dict:
    response = call(local_api, "CreateAppFunction", "create_app", admin, auth_time=PINNED_NOW, body={
        "name": "Portal", "redirectUris": [CALLBACK], "type": "confidential", "scopes": ["organization:read"]} | body)
    assert response["statusCode"] == 201, response["body"]
    return body_of(response)["data"]


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def params(app: dict, **extra) -> dict:
    _, challenge = pkce()
    return {"response_type": "code", "client_id": app["clientId"], "redirect_uri": CALLBACK,
            "scope": "openid email", "state": "st-" + secrets.token_hex(4), "code_challenge": challenge,
            "code_challenge_method": "S256"} | extra


def authorize(local_api, query: dict) -> dict:
    event = load_event("authorize")
    query = {k: v for k, v in query.items() if v is not None}
    event["queryStringParameters"] = query or None
    event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()} or None
    return invoke(local_api, "AuthorizeFunction", event)


def started(local_api, query: dict) -> str:
    """The authorization request's id, from the redirect to the hosted sign-in page (told when the
    request wants no page shown: prompt=none)."""
    response = authorize(local_api, query)
    assert response["statusCode"] == 302, response["body"]
    location = urlsplit(response["headers"]["Location"])
    assert location.path.endswith("/oauth/authorize") and "code" not in parse_qs(location.query)
    assert parse_qs(location.query).get("prompt") == (["none"] if query.get("prompt") == "none" else None)
    return parse_qs(location.query)["request"][0]


def cancel(local_api, request_id: str) -> dict:
    event = load_event("authorize_cancel")
    event["body"] = json.dumps({"request": request_id})
    return invoke(local_api, "CancelAuthorizationFunction", event)


def decide(local_api, user: dict, request_id: str, decision: str | None = None, auth_time: int | None = None):
    return call(local_api, "AuthorizeDecisionFunction", "authorize_decision", user,
                body={"request": request_id, "decision": decision}, auth_time=auth_time or PINNED_NOW)


def redirected(response: dict) -> dict:
    """The query of the app's redirect URI the decision sends the browser to."""
    assert response["statusCode"] == 200, response["body"]
    data = body_of(response)["data"]
    assert data["next"] == "redirect", data
    location = urlsplit(data["redirectTo"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def error_at_redirect(response: dict) -> dict:
    assert response["statusCode"] == 302, response["body"]
    location = urlsplit(response["headers"]["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    return {k: v[0] for k, v in parse_qs(location.query).items()}


@pytest.fixture
def admin(local_api, clock) -> dict:
    return register(local_api, "oauth")[1]["user"]


@pytest.fixture
def first_party(local_api, admin) -> dict:
    return new_app(local_api, admin, firstParty=True)


def stored_codes() -> list[dict]:
    from latchkey.settings import get_settings
    from latchkey.store.dynamodb import client

    return [i for i in client.scan(TableName=get_settings().oauth_grants_table, ConsistentRead=True)["Items"]
            if i["grantId"]["S"].startswith("code#")]


def test_a_first_party_sign_in_gets_a_code_with_state_and_iss_stored_only_as_its_hash(local_api, admin, first_party):
    query = params(first_party, nonce="n-0S6_WzA2Mj")
    request_id = started(local_api, query)
    answer = redirected(decide(local_api, admin, request_id))
    assert answer["state"] == query["state"] and answer["iss"] == ISSUER and len(answer["code"]) >= 43
    digest = hashlib.sha256(answer["code"].encode()).hexdigest()
    (code,) = [c for c in stored_codes() if c["grantId"]["S"] == f"code#{digest}"]
    assert answer["code"] not in json.dumps(stored_codes())
    assert code["clientId"]["S"] == first_party["clientId"] and code["redirectUri"]["S"] == CALLBACK
    assert code["codeChallenge"]["S"] == query["code_challenge"] and code["userId"]["S"] == admin["id"]
    assert code["nonce"]["S"] == "n-0S6_WzA2Mj" and code["scope"]["S"] == "openid email"
    assert int(code["expiresAt"]["N"]) - int(code["createdAt"]["N"]) == 60
    again = decide(local_api, admin, request_id)  # a request is decided once
    assert again["statusCode"] == 404 and code_of(again) == "AUTHORIZATION_REQUEST_NOT_FOUND"


@pytest.mark.parametrize("change, error", [
    ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),  # PKCE is required
    ({"code_challenge_method": "plain"}, "invalid_request"),  # S256 only
    ({"code_challenge_method": None}, "invalid_request"),
    ({"code_challenge": "too-short"}, "invalid_request"),
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"scope": "openid widgets:write"}, "invalid_scope"),  # not one of the app's scopes
    ({"prompt": "none login"}, "invalid_request"),  # none stands alone
])
def test_a_bad_request_of_a_verified_app_and_uri_is_refused_at_its_redirect_uri(local_api, first_party, change, error):
    query = params(first_party) | change
    answer = error_at_redirect(authorize(local_api, query))
    assert answer["error"] == error and answer["state"] == query["state"] and answer["iss"] == ISSUER
    assert "code" not in answer


@pytest.mark.parametrize("change", [
    {"client_id": "app_00000000000000000000dead"},  # no such app
    {"client_id": None},
    {"redirect_uri": "https://evil.example.com/callback"},  # not registered
    {"redirect_uri": CALLBACK + "/"},  # not exactly
    {"redirect_uri": None},  # OAuth 2.1: always named
])
def test_an_unknown_app_or_redirect_uri_is_answered_here_never_redirected(local_api, first_party, change):
    response = authorize(local_api, params(first_party) | change)
    assert response["statusCode"] in (400, 401), response
    assert "Location" not in response["headers"]
    assert json.loads(response["body"])["error"] in ("invalid_client", "invalid_request")


def test_a_loopback_redirect_uri_may_name_any_port(local_api, admin):
    app = new_app(local_api, admin, type="public", redirectUris=["http://127.0.0.1/callback"], firstParty=True)
    query = params(app, redirect_uri="http://127.0.0.1:53121/callback")
    answer = decide(local_api, admin, started(local_api, query))
    assert body_of(answer)["data"]["redirectTo"].startswith("http://127.0.0.1:53121/callback?code=")


def test_an_app_that_is_not_first_party_asks_once_and_a_denial_is_access_denied(local_api, admin):
    app = new_app(local_api, admin)
    request_id = started(local_api, params(app))
    asked = body_of(decide(local_api, admin, request_id))["data"]
    assert asked["next"] == "consent" and asked["app"] == {"clientId": app["clientId"], "name": "Portal"}
    assert asked["scopes"] == ["openid", "email"] and asked["redirectTo"] is None
    denied = redirected(decide(local_api, admin, request_id, "deny"))
    assert denied["error"] == "access_denied" and "code" not in denied
    allowed = redirected(decide(local_api, admin, started(local_api, params(app)), "allow"))
    assert "code" in allowed
    remembered = redirected(decide(local_api, admin, started(local_api, params(app))))  # asked once
    assert "code" in remembered
    wider = body_of(decide(local_api, admin, started(local_api, params(app, scope="openid email organization:read"))))
    assert wider["data"]["next"] == "consent"  # a scope not consented to yet
    again = body_of(decide(local_api, admin, started(local_api, params(app, prompt="consent"))))
    assert again["data"]["next"] == "consent"


def test_prompt_login_asks_for_a_sign_in_after_the_request_began(local_api, admin, first_party, clock):
    request_id = started(local_api, params(first_party, prompt="login"))
    stale = body_of(decide(local_api, admin, request_id, auth_time=PINNED_NOW - 1))["data"]
    assert stale["next"] == "sign_in"
    clock.advance(30)
    assert "code" in redirected(decide(local_api, admin, request_id, auth_time=PINNED_NOW + 20))


def test_max_age_asks_for_a_sign_in_when_the_last_one_is_older(local_api, admin, first_party):
    request_id = started(local_api, params(first_party, max_age="60"))
    assert body_of(decide(local_api, admin, request_id, auth_time=PINNED_NOW - 61))["data"]["next"] == "sign_in"
    assert "code" in redirected(decide(local_api, admin, request_id, auth_time=PINNED_NOW - 59))


def test_a_user_of_another_organization_is_refused(local_api, first_party):
    stranger = register(local_api, "stranger")[1]["user"]
    answer = redirected(decide(local_api, stranger, started(local_api, params(first_party))))
    assert answer["error"] == "access_denied" and "code" not in answer


def test_an_unknown_or_forged_request_id_is_refused(local_api, admin):
    for request_id in ("x" * 32, "short"):
        response = decide(local_api, admin, request_id)
        assert response["statusCode"] == 404 and code_of(response) == "AUTHORIZATION_REQUEST_NOT_FOUND"


def test_prompt_none_with_a_session_that_satisfies_the_request_gets_a_code_with_no_page(local_api, admin, first_party):
    query = params(first_party, prompt="none", max_age="300")
    answer = redirected(decide(local_api, admin, started(local_api, query), auth_time=PINNED_NOW - 299))
    assert "code" in answer and answer["state"] == query["state"] and answer["iss"] == ISSUER


@pytest.mark.parametrize("change, auth_time, error", [
    ({"max_age": "60"}, PINNED_NOW - 61, "login_required"),  # the session is too old for the request
    ({}, PINNED_NOW, "consent_required"),  # not first party, never consented: the consent page would show
])
def test_prompt_none_answers_what_a_page_would_have_asked_at_the_redirect_uri(local_api, admin, change, auth_time,
                                                                              error):
    app = new_app(local_api, admin, firstParty="max_age" in change)
    query = params(app, prompt="none", **change)
    answer = redirected(decide(local_api, admin, started(local_api, query), auth_time=auth_time))
    assert answer["error"] == error and answer["state"] == query["state"] and "code" not in answer


def test_prompt_none_for_a_user_of_another_organization_is_interaction_required(local_api, first_party):
    stranger = register(local_api, "stranger")[1]["user"]
    answer = redirected(decide(local_api, stranger, started(local_api, params(first_party, prompt="none"))))
    assert answer["error"] == "interaction_required" and "code" not in answer


def test_prompt_none_after_consent_is_silent(local_api, admin):
    app = new_app(local_api, admin)
    assert "code" in redirected(decide(local_api, admin, started(local_api, params(app)), "allow"))
    assert "code" in redirected(decide(local_api, admin, started(local_api, params(app, prompt="none"))))


def test_the_page_without_a_session_answers_login_required_for_prompt_none_and_access_denied_otherwise(
        local_api, first_party):
    query = params(first_party, prompt="none")
    request_id = started(local_api, query)
    answer = redirected(cancel(local_api, request_id))
    assert answer["error"] == "login_required" and answer["state"] == query["state"] and answer["iss"] == ISSUER
    again = cancel(local_api, request_id)  # the request is over
    assert again["statusCode"] == 404 and code_of(again) == "AUTHORIZATION_REQUEST_NOT_FOUND"
    assert redirected(cancel(local_api, started(local_api, params(first_party))))["error"] == "access_denied"
    assert code_of(cancel(local_api, "x" * 32)) == "AUTHORIZATION_REQUEST_NOT_FOUND"

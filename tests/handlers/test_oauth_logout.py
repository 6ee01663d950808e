"""RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) through its handler: an ID token the
provider issued (expired is fine) ends the app's sign-in it names (`sid`) and the hosted page's session
that granted it, audited; the browser goes back only to a post-logout URI the app registered, exactly,
and only with a valid hint. A forged hint, another issuer's, or another app's client_id ends nothing and
redirects nowhere but the hosted page."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.handlers.conftest import body_of, call, code_of, invoke, register, sign_in, signed_in_event
from tests.handlers.test_oauth_authorize import ISSUER, issuer, new_app, params, pkce, started  # noqa: F401
from tests.handlers.test_oauth_token import decided_in_session, redeem, token
from tests.support import PINNED_NOW, load_event

SIGNED_OUT = "https://portal.example.com/signed-out"


@pytest.fixture
def admin(local_api, clock) -> dict:
    email, data = register(local_api, "oauth-logout")
    return {"email": email, **data["user"]}


@pytest.fixture
def app(local_api, admin) -> dict:
    return new_app(local_api, admin, type="public", firstParty=True, postLogoutRedirectUris=[SIGNED_OUT])


def signed_in_to(local_api, app: dict, admin: dict) -> tuple[dict, str]:
    """The hosted page's sign-in, and the ID token the app got through it."""
    browser = sign_in(local_api, admin["email"])
    verifier, challenge = pkce()
    data = decided_in_session(local_api, browser, started(local_api, params(app, code_challenge=challenge)))
    status, answer = token(local_api, redeem(app, parse_qs(urlsplit(data["redirectTo"]).query)["code"][0], verifier))
    assert status == 200, answer
    return browser, answer["id_token"]


def logout(local_api, query: dict, method: str = "GET") -> dict:
    event = load_event("end_session")
    event["httpMethod"] = method
    if method == "POST":
        event["queryStringParameters"] = None
        event["headers"] = {**event["headers"], "Content-Type": "application/x-www-form-urlencoded"}
        event["body"] = urlencode(query)
    else:
        event["queryStringParameters"] = query
    response = invoke(local_api, "EndSessionFunction", event)
    assert response["statusCode"] == 302, response["body"]
    return response


def live(user_id: str, session_id: str) -> bool:
    from latchkey.rules import clock
    from latchkey.store import sessions_table

    return sessions_table.get(user_id, session_id, clock.now()) is not None


def sid(token_value: str) -> str:
    return jwt.decode(token_value, options={"verify_signature": False})["sid"]


def to_hosted_page(response: dict) -> str:
    location = urlsplit(response["headers"]["Location"])
    assert location.path == "/oauth/logout", response["headers"]["Location"]
    return location.query


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_logout_with_its_id_token_ends_the_apps_sign_in_and_the_hosted_pages_then_goes_back_with_state(
        local_api, admin, app, method, clock):
    browser, id_token = signed_in_to(local_api, app, admin)
    clock.advance(3 * 3600)  # the ID token has long expired: still a good hint
    response = logout(local_api, {"id_token_hint": id_token, "post_logout_redirect_uri": SIGNED_OUT,
                                  "state": "bye-1", "client_id": app["clientId"]}, method)
    assert response["headers"]["Location"] == SIGNED_OUT + "?state=bye-1"
    assert not live(admin["id"], sid(id_token)) and not live(admin["id"], sid(browser["accessToken"]))
    assert "Max-Age=0" in response["multiValueHeaders"]["Set-Cookie"][0]  # the browser's refresh cookie too
    listing = signed_in_event("list_audit_events", admin)
    listing["queryStringParameters"] = {"type": "session.app_logout"}
    (event,) = body_of(invoke(local_api, "ListAuditEventsFunction", listing))["data"]["auditEvents"]
    assert event["subject"] == f"session:{sid(id_token)}" and event["actor"] == f"app:{app['clientId']}"
    again = logout(local_api, {"id_token_hint": id_token, "post_logout_redirect_uri": SIGNED_OUT})
    assert again["headers"]["Location"] == SIGNED_OUT  # nothing left to end; still back to the app


def forged(claims: dict) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # the real token's kid, another key
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": claims.pop("_kid")})


@pytest.mark.parametrize("attack", ["forged signature", "another issuer", "another app's client_id", "garbage",
                                    "alg none"])
def test_a_hint_that_is_not_this_providers_for_this_app_ends_nothing_and_redirects_nowhere(
        local_api, admin, app, attack, monkeypatch):
    browser, id_token = signed_in_to(local_api, app, admin)
    claims = jwt.decode(id_token, options={"verify_signature": False})
    kid = jwt.get_unverified_header(id_token)["kid"]
    hint = {
        "forged signature": lambda: forged({**claims, "_kid": kid}),
        "another issuer": lambda: id_token,  # verified against ISSUER: the provider is asked as another
        "another app's client_id": lambda: id_token,
        "garbage": lambda: "not.a.token",
        "alg none": lambda: jwt.encode(claims, None, algorithm="none", headers={"kid": kid}),
    }[attack]()
    query = {"id_token_hint": hint, "post_logout_redirect_uri": SIGNED_OUT, "state": "s"}
    if attack == "another app's client_id":
        query["client_id"] = new_app(local_api, admin, type="public", postLogoutRedirectUris=[SIGNED_OUT])["clientId"]
    if attack == "another issuer":
        from latchkey.settings import get_settings

        monkeypatch.setenv("OAUTH_ISSUER_URL", "https://other.example.com")
        get_settings.cache_clear()
    response = logout(local_api, query)
    assert to_hosted_page(response) == ""  # no redirect to the app, and not "signed out"
    assert "multiValueHeaders" not in response
    assert live(admin["id"], sid(id_token)) and live(admin["id"], sid(browser["accessToken"]))


@pytest.mark.parametrize("uri", [SIGNED_OUT + "/", "https://evil.example.com/signed-out", SIGNED_OUT + "?x=1", ""])
def test_an_unregistered_post_logout_uri_still_signs_out_but_goes_to_the_hosted_page(local_api, admin, app, uri):
    browser, id_token = signed_in_to(local_api, app, admin)
    response = logout(local_api, {"id_token_hint": id_token, "post_logout_redirect_uri": uri, "state": "s"})
    assert to_hosted_page(response) == "signedOut=1"
    assert not live(admin["id"], sid(id_token)) and not live(admin["id"], sid(browser["accessToken"]))


def test_without_a_hint_nothing_ends_and_the_hosted_page_asks(local_api, admin, app):
    response = logout(local_api, {"client_id": app["clientId"], "post_logout_redirect_uri": SIGNED_OUT})
    assert to_hosted_page(response) == ""


@pytest.mark.parametrize("uri", ["http://portal.example.com/out", "https://portal.example.com/out#x", "not a url"])
def test_post_logout_uris_are_validated_as_redirect_uris_are(local_api, admin, uri):
    response = call(local_api, "CreateAppFunction", "create_app", admin, auth_time=PINNED_NOW, body={
        "name": "Portal", "redirectUris": ["https://portal.example.com/cb"], "type": "confidential",
        "postLogoutRedirectUris": [uri]})
    assert response["statusCode"] == 400 and code_of(response) == "VALIDATION_FAILED", response["body"]


def test_an_app_lists_and_changes_its_post_logout_uris(local_api, admin, app):
    assert app["postLogoutRedirectUris"] == [SIGNED_OUT]
    changed = call(local_api, "UpdateAppFunction", "update_app", admin, auth_time=PINNED_NOW,
                   body={"postLogoutRedirectUris": []}, params={"id": app["clientId"]})
    assert body_of(changed)["data"]["postLogoutRedirectUris"] == []
    listed = body_of(call(local_api, "ListAppsFunction", "list_apps", admin))["data"]["apps"]
    assert [a["postLogoutRedirectUris"] for a in listed if a["clientId"] == app["clientId"]] == [[]]


def test_discovery_names_the_end_session_endpoint(local_api):
    response = invoke(local_api, "OAuthMetadataFunction", load_event("oauth_metadata"))
    document = json.loads(response["body"])
    assert document["end_session_endpoint"] == ISSUER + "/oauth2/logout"
    assert "none" in document["prompt_values_supported"]

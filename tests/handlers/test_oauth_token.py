"""The OAuth token endpoint through its handler, with the whole code flow before it: a code redeemed
once, within 60 s, by the app it was granted to, with its redirect URI and PKCE verifier, for a
Latchkey session's access token (which the authorizer takes, naming the app and the scope) and an ID
token signed RS256 with a kid of the JWKS. Every refusal in OAuth's form."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pyotp
import pytest

from tests.handlers.conftest import authorize as authorize_bearer
from tests.handlers.conftest import body_of, call, invoke, register, sign_in, signed_in_event
from tests.handlers.test_oauth_authorize import (  # noqa: F401 - fixtures
    CALLBACK,
    ISSUER,
    decide,
    issuer,
    new_app,
    params,
    pkce,
    started,
)
from tests.support import PASSWORD, PINNED_NOW, load_event


def code_for(local_api, user: dict, app: dict, **extra) -> tuple[str, str]:
    """A code granted by `user` to `app` (first party: no consent), and its PKCE verifier."""
    verifier, challenge = pkce()
    request_id = started(local_api, params(app, code_challenge=challenge, **extra))
    data = body_of(decide(local_api, user, request_id))["data"]
    assert data["next"] == "redirect", data
    return parse_qs(urlsplit(data["redirectTo"]).query)["code"][0], verifier


def token(local_api, form: dict, basic: tuple[str, str] | None = None) -> tuple[int, dict]:
    event = load_event("oauth_token")
    event["headers"] = {**event["headers"], "Content-Type": "application/x-www-form-urlencoded"}
    if basic:
        event["headers"]["Authorization"] = "Basic " + base64.b64encode(":".join(basic).encode()).decode()
    event["body"] = urlencode({k: v for k, v in form.items() if v is not None})
    response = invoke(local_api, "OAuthTokenFunction", event)
    assert response["headers"]["Cache-Control"] == "no-store"
    return response["statusCode"], json.loads(response["body"])


def redeem(app: dict, code: str, verifier: str, **extra) -> dict:
    return {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "client_id": app["clientId"],
            "code_verifier": verifier} | extra


@pytest.fixture
def admin(local_api, clock) -> dict:
    return register(local_api, "oauth-token")[1]["user"]


@pytest.fixture
def public_app(local_api, admin) -> dict:
    return new_app(local_api, admin, type="public", firstParty=True, scopes=["organization:read"])


def jwks(local_api) -> dict:
    response = invoke(local_api, "JwksFunction", load_event("jwks"))
    return {k["kid"]: k for k in json.loads(response["body"])["keys"]}


def test_a_code_becomes_a_session_and_an_id_token_signed_rs256_with_a_kid_of_the_jwks(local_api, admin, public_app):
    code, verifier = code_for(local_api, admin, public_app, scope="openid profile email organization:read",
                              nonce="n-0S6_WzA2Mj")
    status, answer = token(local_api, redeem(public_app, code, verifier))
    assert status == 200, answer
    assert answer["token_type"] == "Bearer" and answer["scope"] == "openid profile email organization:read"
    access = jwt.decode(answer["access_token"], options={"verify_signature": False})
    assert access["client_id"] == public_app["clientId"] and access["sub"] == admin["id"] and access["sid"]
    assert authorize_bearer(local_api, answer["access_token"])["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    header = jwt.get_unverified_header(answer["id_token"])
    assert header["alg"] == "RS256"
    key = jwks(local_api)[header["kid"]]
    claims = jwt.decode(answer["id_token"], jwt.PyJWK(key).key, algorithms=["RS256"], audience=public_app["clientId"],
                        issuer=ISSUER, options={"verify_exp": False, "verify_iat": False})
    assert claims["sub"] == admin["id"] and claims["nonce"] == "n-0S6_WzA2Mj" and claims["auth_time"] == PINNED_NOW
    assert claims["email"] == admin["email"] and claims["name"] == admin["name"] and claims["sid"] == access["sid"]
    assert claims["exp"] - claims["iat"] > 0 and claims["org_id"] == admin["organizationId"]


def decided_in_session(local_api, signed: dict, request_id: str) -> dict:
    """The hosted page's decision as the authorizer passes it for this very sign-in (its token, session
    and auth_time)."""
    claims = jwt.decode(signed["accessToken"], options={"verify_signature": False})
    event = signed_in_event("authorize_decision", signed["user"], access_token=signed["accessToken"])
    event["requestContext"]["authorizer"]["authTime"] = str(claims["auth_time"])
    event["headers"]["Authorization"] = f"Bearer {signed['accessToken']}"
    event["body"] = json.dumps({"request": request_id, "decision": None})
    data = body_of(invoke(local_api, "AuthorizeDecisionFunction", event))["data"]
    assert data["next"] == "redirect", data
    return data


def id_token_of(local_api, app: dict, signed: dict, **extra) -> dict:
    verifier, challenge = pkce()
    data = decided_in_session(local_api, signed, started(local_api, params(app, code_challenge=challenge, **extra)))
    code = parse_qs(urlsplit(data["redirectTo"]).query)["code"][0]
    status, answer = token(local_api, redeem(app, code, verifier))
    assert status == 200, answer
    return jwt.decode(answer["id_token"], options={"verify_signature": False})


def test_the_id_token_says_how_and_when_the_user_signed_in_on_the_hosted_page(local_api, admin, public_app, clock):
    email = admin["email"]
    password_only = id_token_of(local_api, public_app, sign_in(local_api, email))
    assert password_only["amr"] == ["pwd"] and password_only["auth_time"] == PINNED_NOW
    setup = call(local_api, "SetupTwoFactorFunction", "setup_2fa", admin, auth_time=PINNED_NOW)
    secret = body_of(setup)["data"]["secret"]
    enabled = call(local_api, "EnableTwoFactorFunction", "enable_2fa", admin, auth_time=PINNED_NOW,
                   body={"password": PASSWORD, "code": pyotp.TOTP(secret).at(PINNED_NOW)})
    assert enabled["statusCode"] == 200, enabled["body"]
    clock.advance(40)
    pending = sign_in(local_api, email)["pendingToken"]
    verify = load_event("verify_2fa")
    verify["body"] = json.dumps({"pendingToken": pending, "code": pyotp.TOTP(secret).at(PINNED_NOW + 40)})
    two_factor = body_of(invoke(local_api, "VerifyTwoFactorFunction", verify))["data"]
    clock.advance(5)
    claims = id_token_of(local_api, public_app, two_factor)
    assert claims["amr"] == ["pwd", "otp"] and claims["auth_time"] == PINNED_NOW + 40  # the sign-in's, not now
    from latchkey.store import sessions_table

    app_session = sessions_table.get(admin["id"], claims["sid"], clock())
    assert app_session.amr == ("pwd", "otp") and app_session.auth_time == PINNED_NOW + 40
    browser = jwt.decode(two_factor["accessToken"], options={"verify_signature": False})["sid"]
    assert app_session.browser_session_id == browser  # the hosted page's session, which logout ends too


def test_a_code_is_good_once(local_api, admin, public_app):
    code, verifier = code_for(local_api, admin, public_app)
    assert token(local_api, redeem(public_app, code, verifier))[0] == 200
    status, answer = token(local_api, redeem(public_app, code, verifier))
    assert status == 400 and answer["error"] == "invalid_grant" and "access_token" not in answer


def test_a_wrong_or_missing_verifier_is_refused_and_burns_the_code(local_api, admin, public_app):
    code, verifier = code_for(local_api, admin, public_app)
    other, _ = pkce()  # a well-formed verifier, of another challenge
    status, answer = token(local_api, redeem(public_app, code, other))
    assert status == 400 and answer["error"] == "invalid_grant"
    assert token(local_api, redeem(public_app, code, verifier))[1]["error"] == "invalid_grant"  # spent
    code, verifier = code_for(local_api, admin, public_app)
    status, answer = token(local_api, redeem(public_app, code, None))
    assert status == 400 and answer["error"] == "invalid_request"


def test_the_redirect_uri_must_be_the_one_the_code_was_granted_for(local_api, admin, public_app):
    code, verifier = code_for(local_api, admin, public_app)
    status, answer = token(local_api, redeem(public_app, code, verifier, redirect_uri=CALLBACK + "/other"))
    assert status == 400 and answer["error"] == "invalid_grant"


def test_another_apps_code_or_an_expired_one_is_refused(local_api, admin, public_app, clock):
    other = new_app(local_api, admin, type="public", firstParty=True)
    code, verifier = code_for(local_api, admin, public_app)
    status, answer = token(local_api, redeem(other, code, verifier))
    assert status == 400 and answer["error"] == "invalid_grant"
    assert token(local_api, redeem(public_app, code, verifier))[0] == 200  # not spent by the other app's try
    code, verifier = code_for(local_api, admin, public_app)
    clock.advance(61)
    status, answer = token(local_api, redeem(public_app, code, verifier))
    assert status == 400 and answer["error"] == "invalid_grant"


def test_a_confidential_app_authenticates_with_its_secret(local_api, admin):
    app = new_app(local_api, admin, firstParty=True)
    code, verifier = code_for(local_api, admin, app)
    status, answer = token(local_api, redeem(app, code, verifier, client_id=None),
                           basic=(app["clientId"], "lks_wrong"))
    assert status == 401 and answer["error"] == "invalid_client"
    status, answer = token(local_api, redeem(app, code, verifier, client_id=None),
                           basic=(app["clientId"], app["clientSecret"]))
    assert status == 200 and "id_token" in answer


def test_a_form_is_required_and_an_unknown_grant_is_refused(local_api, public_app):
    event = load_event("oauth_token")
    event["headers"]["Content-Type"] = "application/json"
    event["body"] = json.dumps({"grant_type": "authorization_code"})
    response = invoke(local_api, "OAuthTokenFunction", event)
    assert response["statusCode"] == 400 and json.loads(response["body"])["error"] == "invalid_request"
    status, answer = token(local_api, {"grant_type": "password", "client_id": public_app["clientId"]})
    assert status == 400 and answer["error"] == "unsupported_grant_type"


def userinfo(local_api, user: dict, access_token: str, method: str = "GET") -> dict:
    event = load_event("oauth_userinfo")
    event["httpMethod"] = method
    event["headers"]["Authorization"] = f"Bearer {access_token}"
    claims = jwt.decode(access_token, options={"verify_signature": False})
    event["requestContext"]["authorizer"].update(
        principalId=user["id"], userId=user["id"], organizationId=user["organizationId"], role=user["role"],
        sessionId=claims["sid"], tokenId=claims["jti"], authTime=str(claims["auth_time"]))
    return invoke(local_api, "OAuthUserInfoFunction", event)


def test_userinfo_answers_the_claims_the_tokens_scope_allows(local_api, admin, public_app):
    code, verifier = code_for(local_api, admin, public_app, scope="openid email")
    answer = token(local_api, redeem(public_app, code, verifier))[1]
    response = userinfo(local_api, admin, answer["access_token"])
    assert response["statusCode"] == 200 and response["headers"]["Cache-Control"] == "no-store"
    assert json.loads(response["body"]) == {"sub": admin["id"], "org_id": admin["organizationId"],
                                            "email": admin["email"], "email_verified": False}
    by_post = userinfo(local_api, admin, answer["access_token"], "POST")  # OpenID Connect: GET and POST alike
    assert by_post["statusCode"] == 200 and by_post["body"] == response["body"]
    code, verifier = code_for(local_api, admin, public_app, scope="organization:read")
    answer = token(local_api, redeem(public_app, code, verifier))[1]
    assert "id_token" not in answer
    refused = userinfo(local_api, admin, answer["access_token"])
    assert refused["statusCode"] == 403 and json.loads(refused["body"])["error"]["code"] == "INSUFFICIENT_SCOPE"


def refreshed(local_api, app: dict, refresh_token: str) -> tuple[int, dict]:
    return token(local_api, {"grant_type": "refresh_token", "refresh_token": refresh_token,
                             "client_id": app["clientId"]})


def test_offline_access_gives_a_refresh_token_rotated_with_the_sessions_reuse_detection(
        local_api, admin, public_app, clock):
    from latchkey.settings import get_settings

    code, verifier = code_for(local_api, admin, public_app, scope="openid offline_access")
    first = token(local_api, redeem(public_app, code, verifier))[1]
    status, second = refreshed(local_api, public_app, first["refresh_token"])
    assert status == 200, second
    assert second["refresh_token"] != first["refresh_token"] and second["scope"] == "openid offline_access"
    claims = jwt.decode(second["access_token"], options={"verify_signature": False})
    assert claims["client_id"] == public_app["clientId"] and claims["scope"] == "openid offline_access"
    clock.advance(get_settings().refresh_grace + 1)
    status, reused = refreshed(local_api, public_app, first["refresh_token"])  # a stolen, spent token
    assert status == 400 and reused["error"] == "invalid_grant"
    status, after = refreshed(local_api, public_app, second["refresh_token"])  # the whole session ended
    assert status == 400 and after["error"] == "invalid_grant"
    assert authorize_bearer(local_api, second["access_token"])["policyDocument"]["Statement"][0]["Effect"] == "Deny"


def test_a_refresh_token_is_refreshed_by_its_own_app_only(local_api, admin, public_app):
    other = new_app(local_api, admin, type="public", firstParty=True)
    code, verifier = code_for(local_api, admin, public_app, scope="openid offline_access")
    answer = token(local_api, redeem(public_app, code, verifier))[1]
    status, refused = refreshed(local_api, other, answer["refresh_token"])
    assert status == 400 and refused["error"] == "invalid_grant"
    event = load_event("refresh")  # nor at the dashboard's refresh route
    event["body"] = json.dumps({"refreshToken": answer["refresh_token"]})
    response = invoke(local_api, "RefreshFunction", event)
    assert response["statusCode"] == 401 and body_of(response)["error"]["code"] == "INVALID_TOKEN"
    assert refreshed(local_api, public_app, answer["refresh_token"])[0] == 200  # untouched by those tries
    code, verifier = code_for(local_api, admin, public_app, scope="openid")
    assert "refresh_token" not in token(local_api, redeem(public_app, code, verifier))[1]  # no offline_access


def test_a_dashboard_refresh_token_is_no_apps(local_api, admin, public_app):
    from tests.handlers.conftest import sign_in

    tokens = sign_in(local_api, admin["email"])
    status, refused = refreshed(local_api, public_app, tokens["refreshToken"])
    assert status == 400 and refused["error"] == "invalid_grant"


def machine(local_api, app: dict, **extra) -> tuple[int, dict]:
    return token(local_api, {"grant_type": "client_credentials"} | extra, basic=(app["clientId"], app["clientSecret"]))


def as_authorized(local_api, function: str, event_name: str, access_token: str, resource: str) -> dict:
    """The route's function invoked as API Gateway would after the authorizer allowed `access_token`."""
    policy = authorize_bearer(local_api, access_token, resource=resource)
    assert policy["policyDocument"]["Statement"][0]["Effect"] == "Allow", policy
    event = load_event(event_name)
    event["resource"] = event["path"] = resource
    event["requestContext"]["authorizer"] = policy["context"]
    return invoke(local_api, function, event)


def test_client_credentials_give_an_app_a_token_that_reaches_its_scoped_routes_only(local_api, admin):
    app = new_app(local_api, admin, firstParty=True)  # confidential, scopes ["organization:read"]
    status, answer = machine(local_api, app)
    assert status == 200, answer
    assert answer["scope"] == "organization:read" and "refresh_token" not in answer and "id_token" not in answer
    claims = jwt.decode(answer["access_token"], options={"verify_signature": False})
    assert claims["sub"] == app["clientId"] and "sid" not in claims and claims["org"] == admin["organizationId"]
    read = as_authorized(local_api, "GetOrganizationFunction", "get_organization", answer["access_token"],
                         "/v1/organization")
    assert read["statusCode"] == 200 and body_of(read)["data"]["id"] == admin["organizationId"], read["body"]
    user_only = as_authorized(local_api, "MeFunction", "me", answer["access_token"], "/v1/auth/me")
    assert user_only["statusCode"] == 403 and body_of(user_only)["error"]["code"] == "API_KEY_NOT_ALLOWED"


def test_client_credentials_are_a_confidential_apps_with_its_own_scopes_until_it_is_deleted(
        local_api, admin, public_app):
    app = new_app(local_api, admin, firstParty=True)
    status, answer = machine(local_api, app, scope="widgets:read")
    assert status == 400 and answer["error"] == "invalid_scope"
    status, answer = token(local_api, {"grant_type": "client_credentials", "client_id": public_app["clientId"]})
    assert status in (400, 401) and answer["error"] in ("unauthorized_client", "invalid_client")
    status, answer = machine(local_api, app | {"clientSecret": "lks_wrong"})
    assert status == 401 and answer["error"] == "invalid_client"
    answer = machine(local_api, app)[1]
    from tests.handlers.conftest import call

    deleted = call(local_api, "DeleteAppFunction", "delete_app", admin, params={"id": app["clientId"]},
                   auth_time=PINNED_NOW)
    assert deleted["statusCode"] == 200
    policy = authorize_bearer(local_api, answer["access_token"], resource="/v1/organization")
    assert policy["policyDocument"]["Statement"][0]["Effect"] == "Deny"


def revoke(local_api, app: dict, token_value: str, hint: str | None = None) -> tuple[int, dict]:
    event = load_event("oauth_revoke")
    event["headers"] = {**event["headers"], "Content-Type": "application/x-www-form-urlencoded"}
    event["body"] = urlencode({"token": token_value, "client_id": app["clientId"],
                               **({"token_type_hint": hint} if hint else {})})
    response = invoke(local_api, "OAuthRevokeFunction", event)
    return response["statusCode"], json.loads(response["body"] or "{}")


def test_revoking_an_apps_refresh_or_access_token_ends_the_sign_in(local_api, admin, public_app):
    for kind, hint in (("refresh_token", "refresh_token"), ("access_token", None)):
        code, verifier = code_for(local_api, admin, public_app, scope="openid offline_access")
        answer = token(local_api, redeem(public_app, code, verifier))[1]
        assert revoke(local_api, public_app, answer[kind], hint) == (200, {})
        denied = authorize_bearer(local_api, answer["access_token"])
        assert denied["policyDocument"]["Statement"][0]["Effect"] == "Deny", kind
        assert refreshed(local_api, public_app, answer["refresh_token"])[1]["error"] == "invalid_grant"


def test_revocation_answers_200_for_an_unknown_token_and_refuses_another_apps(local_api, admin, public_app):
    assert revoke(local_api, public_app, "not-a-token") == (200, {})
    other = new_app(local_api, admin, type="public", firstParty=True)
    code, verifier = code_for(local_api, admin, public_app, scope="openid offline_access")
    answer = token(local_api, redeem(public_app, code, verifier))[1]
    status, refused = revoke(local_api, other, answer["refresh_token"])
    assert status == 400 and refused["error"] == "invalid_grant"
    assert refreshed(local_api, public_app, answer["refresh_token"])[0] == 200  # still alive


def introspect(local_api, app: dict, token_value: str) -> tuple[int, dict]:
    event = load_event("oauth_introspect")
    event["headers"] = {**event["headers"], "Content-Type": "application/x-www-form-urlencoded",
                        "Authorization": "Basic " + base64.b64encode(
                            f"{app['clientId']}:{app.get('clientSecret') or ''}".encode()).decode()}
    event["body"] = urlencode({"token": token_value})
    response = invoke(local_api, "OAuthIntrospectFunction", event)
    return response["statusCode"], json.loads(response["body"])


def test_introspection_tells_a_confidential_app_whether_its_organizations_token_is_live(local_api, admin, public_app):
    server = new_app(local_api, admin, firstParty=True)  # a resource server of the organization
    code, verifier = code_for(local_api, admin, public_app, scope="openid offline_access")
    answer = token(local_api, redeem(public_app, code, verifier))[1]
    status, live = introspect(local_api, server, answer["access_token"])
    assert status == 200 and live["active"] is True and live["client_id"] == public_app["clientId"]
    assert live["sub"] == admin["id"] and live["scope"] == "openid offline_access" and live["iss"] == ISSUER
    assert introspect(local_api, server, "not-a-token") == (200, {"active": False})
    assert introspect(local_api, server, answer["refresh_token"]) == (200, {"active": False})  # access tokens only
    revoke(local_api, public_app, answer["access_token"])
    assert introspect(local_api, server, answer["access_token"]) == (200, {"active": False})  # its session ended
    status, refused = introspect(local_api, public_app, machine(local_api, server)[1]["access_token"])
    assert status == 401 and refused["error"] == "invalid_client"  # public apps may not introspect
    stranger = register(local_api, "other-org")[1]["user"]
    elsewhere = new_app(local_api, stranger, firstParty=True)
    assert introspect(local_api, elsewhere, machine(local_api, server)[1]["access_token"]) == (200, {"active": False})

"""Federation through the handlers, against a real upstream OpenID provider (oidc-provider-mock on a free
127.0.0.1 port): a first sign-in makes the account, linking by address only when both sides vouch for
it, two-factor still applies, identities are listed, linked and unlinked. And every attack of the issue:
a forged, replayed, expired or other browser's state, a mismatched nonce, an ID token from another
issuer or audience (or signed by another key, or expired), an unverified address taking over an
account, an open redirect through returnTo, a replayed code. The DynamoDB calls of each route."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import jwt as pyjwt
import pytest

from local import federation_mock
from tests.handlers.conftest import body_of, register, signed_in_event
from tests.support import load_event, unique_email

DASHBOARD = "https://dash.example.com"  # the distribution's origin: X-Viewer-Host
ISSUED_AT = 1_795_435_200  # a fixed instant for the state's lifetime


@pytest.fixture(scope="module")
def issuer():
    with federation_mock.upstream() as url:
        yield url


@pytest.fixture
def oidc(local_api, issuer, monkeypatch):
    """The OpenID provider on (as OidcIssuer/OidcClientId would set it), its secret in Secrets Manager."""
    import boto3

    from latchkey.settings import get_settings
    from latchkey.store import identity_providers
    from latchkey.usecases import federation

    settings = get_settings()
    monkeypatch.setattr(federation, "get_settings", lambda: settings._replace(
        oidc_issuer=issuer, oidc_client_id=federation_mock.CLIENT_ID, oidc_name="Mock ID"))
    boto3.client("secretsmanager").put_secret_value(
        SecretId=settings.federation_secrets_arn,
        SecretString=json.dumps({"google": "", "github": "", "oidc": federation_mock.CLIENT_SECRET}))
    identity_providers._client_secrets.cache_clear()
    identity_providers._discovered.clear()
    yield issuer
    identity_providers._client_secrets.cache_clear()


def _viewed(event: dict) -> dict:
    event["headers"]["X-Viewer-Host"] = "dash.example.com"
    return event


def start(local_api, return_to: str | None = "/settings", provider: str = "oidc"):
    """GET /start: the outcome, the provider's URL and the browser's state cookie."""
    event = _viewed(load_event("oauth_start"))
    event["pathParameters"] = {"provider": provider}
    event["queryStringParameters"] = {"returnTo": return_to} if return_to is not None else None
    outcome = local_api.invoke("OAuthStartFunction", event)
    result = outcome.result
    assert result["statusCode"] == 302, result
    cookie = result["multiValueHeaders"]["Set-Cookie"][0]
    return outcome, result["headers"]["Location"], cookie.split(";")[0]


def callback(local_api, query: dict, cookie: str | None):
    event = _viewed(load_event("oauth_callback"))
    event["queryStringParameters"] = query
    if cookie:
        event["headers"]["Cookie"] = cookie
    return local_api.invoke("OAuthCallbackFunction", event)


def location(outcome) -> tuple[str, dict, str]:
    """Where the callback sent the browser: the URL without its query, the query, the fragment."""
    parts = urlsplit(outcome.result["headers"]["Location"])
    return (f"{parts.scheme}://{parts.netloc}{parts.path}", {k: v[0] for k, v in parse_qs(parts.query).items()},
            parts.fragment)


def refused_with(outcome) -> str:
    where, query, _ = location(outcome)
    assert outcome.result["statusCode"] == 302 and where == f"{DASHBOARD}/sign-in", outcome.result
    return query["error"]


def refresh_cookie(outcome) -> str | None:
    for value in outcome.result.get("multiValueHeaders", {}).get("Set-Cookie", []):
        if value.startswith("latchkey_refresh=") and "Max-Age=0" not in value:
            return value.split(";")[0].split("=", 1)[1]
    return None


def sign_in(local_api, issuer: str, subject: str, return_to: str = "/settings", **claims):
    if claims:
        federation_mock.set_user(issuer, subject, **claims)
    _, url, cookie = start(local_api, return_to)
    return callback(local_api, federation_mock.authorize(url, subject), cookie)


def fresh_subject(issuer: str, verified: bool = True, email: str | None = None) -> tuple[str, str]:
    subject = f"sub-{unique_email('x').split('@')[0]}"
    email = email or unique_email("fed")
    federation_mock.set_user(issuer, subject, email=email, email_verified=verified, name="Fed Person")
    return subject, email


def user_of(email: str):
    from latchkey.store import accounts_table

    user_id = accounts_table.find_user_id(email)
    return accounts_table.get_user(user_id) if user_id else None


def session_of(refresh_token: str):
    """The session a refresh token is of (its `amr`: how the person signed in)."""
    from latchkey.rules import clock
    from latchkey.store import sessions_table

    claims = pyjwt.decode(refresh_token, options={"verify_signature": False})
    return sessions_table.get(claims["sub"], claims["sid"], clock.now())


def verify_address(email: str) -> None:
    from latchkey.store import accounts_table
    from latchkey.store.dynamodb import transact

    transact([accounts_table.address_verified_op(user_of(email))])


# --- the journey ------------------------------------------------------------------------------------


def test_the_start_redirects_to_the_provider_with_state_nonce_and_pkce_and_binds_a_cookie(local_api, oidc):
    _, url, cookie = start(local_api)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(f"{oidc}/oauth2/authorize?")
    assert query["response_type"] == "code" and query["client_id"] == federation_mock.CLIENT_ID
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 43 and len(query["nonce"]) >= 43
    assert query["redirect_uri"].endswith("/v1/auth/oauth/oidc/callback")
    assert cookie.startswith("latchkey_oauth=") and len(cookie) > 40


def test_the_state_cookie_is_httponly_secure_lax_and_scoped_to_the_oauth_routes(local_api, oidc):
    outcome, _, _ = start(local_api)
    attributes = outcome.result["multiValueHeaders"]["Set-Cookie"][0]
    for needed in ("HttpOnly", "Secure", "SameSite=Lax", "Path=/v1/auth/oauth", "Max-Age=600"):
        assert needed in attributes


def test_a_first_sign_in_creates_the_account_and_signs_in_with_amr_fed(local_api, oidc):
    subject, email = fresh_subject(oidc)
    outcome = sign_in(local_api, oidc, subject, "/settings/security")
    where, _, _ = location(outcome)
    assert where == f"{DASHBOARD}/settings/security"
    token = refresh_cookie(outcome)
    assert token and session_of(token).amr == ("fed",)
    user = user_of(email)
    assert user.role == "ADMIN" and user.email_verified is True and user.organization_id
    # The state cookie is cleared.
    assert any(c.startswith("latchkey_oauth=;") and "Max-Age=0" in c
               for c in outcome.result["multiValueHeaders"]["Set-Cookie"])


def test_a_second_sign_in_finds_the_same_account(local_api, oidc):
    subject, email = fresh_subject(oidc)
    sign_in(local_api, oidc, subject)
    first = user_of(email)
    again = sign_in(local_api, oidc, subject)
    assert refresh_cookie(again) and user_of(email).id == first.id


def test_an_unverified_address_at_the_provider_makes_an_unverified_account(local_api, oidc):
    subject, email = fresh_subject(oidc, verified=False)
    assert refresh_cookie(sign_in(local_api, oidc, subject))
    assert user_of(email).email_verified is False


def test_the_refresh_cookie_is_the_dashboards(local_api, oidc):
    subject, _ = fresh_subject(oidc)
    outcome = sign_in(local_api, oidc, subject)
    cookie = next(c for c in outcome.result["multiValueHeaders"]["Set-Cookie"] if c.startswith("latchkey_refresh="))
    for needed in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/v1/auth"):
        assert needed in cookie


def test_providers_lists_the_ones_that_are_on(local_api, oidc):
    result = local_api.invoke("ListProvidersFunction", load_event("list_providers")).result
    assert body_of(result)["data"] == {"providers": [{"id": "oidc", "name": "Mock ID"}]}


def test_providers_is_empty_and_start_is_404_when_none_is_on(local_api):
    result = local_api.invoke("ListProvidersFunction", load_event("list_providers")).result
    assert body_of(result)["data"] == {"providers": []}
    event = load_event("oauth_start")
    off = local_api.invoke("OAuthStartFunction", event).result
    assert off["statusCode"] == 404 and body_of(off)["error"]["code"] == "PROVIDER_NOT_FOUND"


# --- accounts that exist: link only when both sides vouch for the address ---------------------------


def test_a_verified_address_at_both_ends_links_to_the_existing_account(local_api, oidc):
    email, data = register(local_api, "link-both")
    verify_address(email)
    subject, _ = fresh_subject(oidc, email=email)
    outcome = sign_in(local_api, oidc, subject)
    token = refresh_cookie(outcome)
    assert token and pyjwt.decode(token, options={"verify_signature": False})["sub"] == data["user"]["id"]


def test_an_unverified_address_at_the_provider_cannot_take_over_an_account(local_api, oidc):
    email, _ = register(local_api, "takeover")
    verify_address(email)
    subject, _ = fresh_subject(oidc, verified=False, email=email)
    outcome = sign_in(local_api, oidc, subject)
    assert refused_with(outcome) == "ACCOUNT_EXISTS_UNLINKED" and refresh_cookie(outcome) is None


def test_a_verified_address_cannot_take_over_an_account_whose_address_was_never_verified(local_api, oidc):
    email, _ = register(local_api, "squatted")  # never verified: whoever signed up may not own it
    subject, _ = fresh_subject(oidc, email=email)
    assert refused_with(sign_in(local_api, oidc, subject)) == "ACCOUNT_EXISTS_UNLINKED"


def test_two_factor_still_applies_after_a_federated_sign_in(local_api, oidc):
    import boto3

    from latchkey.settings import get_settings

    email, data = register(local_api, "fed-2fa")
    verify_address(email)
    boto3.client("dynamodb").update_item(
        TableName=get_settings().accounts_table, Key={"pk": {"S": f"USER#{data['user']['id']}"}},
        UpdateExpression="SET totpEnabled = :on", ExpressionAttributeValues={":on": {"BOOL": True}})
    subject, _ = fresh_subject(oidc, email=email)
    outcome = sign_in(local_api, oidc, subject)
    where, _, fragment = location(outcome)
    assert where == f"{DASHBOARD}/sign-in/second-factor" and refresh_cookie(outcome) is None
    pending = parse_qs(fragment)["pendingToken"][0]
    claims = pyjwt.decode(pending, options={"verify_signature": False})
    assert claims["amr"] == ["fed"] and claims["sub"] == data["user"]["id"]


# --- the state: forged, replayed, another browser's, expired -----------------------------------------


def test_a_forged_state_is_refused(local_api, oidc):
    subject, _ = fresh_subject(oidc)
    _, url, cookie = start(local_api)
    query = federation_mock.authorize(url, subject)
    assert refused_with(callback(local_api, {**query, "state": "forged" + query["state"][6:]}, cookie)) == \
        "INVALID_OAUTH_STATE"


def test_a_replayed_callback_is_refused(local_api, oidc):
    subject, _ = fresh_subject(oidc)
    _, url, cookie = start(local_api)
    query = federation_mock.authorize(url, subject)
    assert refresh_cookie(callback(local_api, query, cookie))
    replay = callback(local_api, query, cookie)
    assert refused_with(replay) == "INVALID_OAUTH_STATE" and refresh_cookie(replay) is None


def test_a_state_from_another_browser_is_refused_and_left_for_its_own(local_api, oidc):
    subject, _ = fresh_subject(oidc)
    _, url, cookie = start(local_api)
    query = federation_mock.authorize(url, subject)  # the victim's callback URL, lured to the attacker
    _, _, attackers = start(local_api)
    assert refused_with(callback(local_api, query, attackers)) == "INVALID_OAUTH_STATE"
    assert refused_with(callback(local_api, query, None)) == "INVALID_OAUTH_STATE"
    assert refresh_cookie(callback(local_api, query, cookie))  # its own browser still finishes


def test_a_state_lives_10_minutes(local_api, oidc, monkeypatch):
    from latchkey.rules import clock

    subject, _ = fresh_subject(oidc)
    monkeypatch.setattr(clock, "now", lambda: ISSUED_AT)
    _, url, cookie = start(local_api)
    query = federation_mock.authorize(url, subject)
    monkeypatch.setattr(clock, "now", lambda: ISSUED_AT + 600)
    assert refused_with(callback(local_api, query, cookie)) == "INVALID_OAUTH_STATE"
    monkeypatch.setattr(clock, "now", lambda: ISSUED_AT + 599)
    assert refresh_cookie(callback(local_api, query, cookie))


def test_a_replayed_code_with_a_new_state_is_refused(local_api, oidc):
    subject, _ = fresh_subject(oidc)
    _, url, cookie = start(local_api)
    query = federation_mock.authorize(url, subject)
    assert refresh_cookie(callback(local_api, query, cookie))
    _, url2, cookie2 = start(local_api)
    state2 = parse_qs(urlsplit(url2).query)["state"][0]
    replay = callback(local_api, {"state": state2, "code": query["code"]}, cookie2)
    assert refused_with(replay) == "FEDERATION_FAILED" and refresh_cookie(replay) is None


def test_a_code_from_another_sign_in_is_refused(local_api, oidc):
    """Its PKCE verifier (and its nonce) are the other sign-in's: the provider or the ID token check refuses."""
    subject, _ = fresh_subject(oidc)
    _, url_a, cookie_a = start(local_api)
    _, url_b, _ = start(local_api)
    code_b = federation_mock.authorize(url_b, subject)["code"]
    state_a = parse_qs(urlsplit(url_a).query)["state"][0]
    assert refused_with(callback(local_api, {"state": state_a, "code": code_b}, cookie_a)) == "FEDERATION_FAILED"


def test_the_person_refusing_at_the_provider_is_a_clear_refusal(local_api, oidc):
    _, url, cookie = start(local_api)
    state = parse_qs(urlsplit(url).query)["state"][0]
    assert refused_with(callback(local_api, {"state": state, "error": "access_denied"}, cookie)) == \
        "FEDERATION_FAILED"


# --- the ID token: nonce, issuer, audience, signature, expiry -----------------------------------------


@pytest.fixture
def forged_tokens(oidc, monkeypatch):
    """The token endpoint answers an ID token the test writes: signed by a key the provider's JWKS holds
    (`trusted`) or by one it does not; with the claims the test gives."""
    from joserfc import jwt as jose_jwt
    from joserfc.jwk import RSAKey

    from latchkey.store import identity_providers

    key = RSAKey.generate_key(2048, parameters={"kid": "forged", "alg": "RS256", "use": "sig"})
    real_fetch, real_key_set = identity_providers._fetch, identity_providers._key_set
    made: dict = {}

    def fetch(url, data=None, headers=None):
        if url.endswith("/oauth2/token"):
            return {"access_token": "at", "token_type": "Bearer", "id_token": made["token"]}
        return real_fetch(url, data, headers)

    def key_set(configuration, fresh=False):
        keys = real_key_set(configuration, fresh)
        return {"keys": [*keys["keys"], key.as_dict(private=False)]} if made["trusted"] else keys

    monkeypatch.setattr(identity_providers, "_fetch", fetch)
    monkeypatch.setattr(identity_providers, "_key_set", key_set)

    def forge(trusted: bool = True, **claims):
        """A sign-in whose ID token carries `claims` over good ones: the callback's outcome."""
        _, url, cookie = start(local_api_ref[0])
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        now = int(time.time())
        good = {"iss": oidc, "aud": federation_mock.CLIENT_ID, "sub": f"forged-{now}", "iat": now, "exp": now + 300,
                "nonce": query["nonce"], "email": unique_email("forged"), "email_verified": True}
        made["trusted"] = trusted
        made["token"] = jose_jwt.encode({"alg": "RS256", "kid": "forged"}, {**good, **claims}, key)
        return callback(local_api_ref[0], {"state": query["state"], "code": "any"}, cookie)

    return forge


local_api_ref: list = []


@pytest.fixture(autouse=True)
def _remember_local_api(local_api):
    local_api_ref[:] = [local_api]


def test_a_well_formed_forged_token_signs_in_so_the_checks_below_are_what_refuse(forged_tokens):
    assert refresh_cookie(forged_tokens())


def test_a_mismatched_nonce_is_refused(forged_tokens):
    assert refused_with(forged_tokens(nonce="another-sign-ins-nonce")) == "FEDERATION_FAILED"


def test_an_id_token_from_another_issuer_is_refused(forged_tokens):
    assert refused_with(forged_tokens(iss="https://evil.example")) == "FEDERATION_FAILED"


def test_an_id_token_for_another_audience_is_refused(forged_tokens):
    assert refused_with(forged_tokens(aud="another-client")) == "FEDERATION_FAILED"


def test_an_expired_id_token_is_refused(forged_tokens):
    assert refused_with(forged_tokens(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200)) == \
        "FEDERATION_FAILED"


def test_an_id_token_signed_by_a_key_the_provider_does_not_publish_is_refused(forged_tokens):
    assert refused_with(forged_tokens(trusted=False)) == "FEDERATION_FAILED"


# --- returnTo: the dashboard's own origin only --------------------------------------------------------


@pytest.mark.parametrize("return_to", ["https://evil.example/x", "//evil.example/x", "/\\evil.example",
                                       "/%0d%0aLocation:evil", "javascript:alert(1)", "evil.example", "/a\x00b"])
def test_return_to_never_leaves_the_dashboards_origin(local_api, oidc, return_to):
    subject, _ = fresh_subject(oidc)
    federation_mock.set_user(oidc, subject, email=unique_email("rt"), email_verified=True)
    outcome = sign_in(local_api, oidc, subject, return_to)
    target = outcome.result["headers"]["Location"]
    assert urlsplit(target).netloc == "dash.example.com" and target.startswith(f"{DASHBOARD}/")
    assert "evil" not in urlsplit(target).netloc


# --- identities ---------------------------------------------------------------------------------------


def identities(local_api, user: dict) -> list[dict]:
    result = local_api.invoke("ListIdentitiesFunction", signed_in_event("list_identities", user)).result
    assert result["statusCode"] == 200, result
    return body_of(result)["data"]["identities"]


def unlink(local_api, user: dict, identity_id: str):
    event = signed_in_event("unlink_identity", user)
    event["pathParameters"] = {"id": identity_id}
    return local_api.invoke("UnlinkIdentityFunction", event)


def federated_user(local_api, oidc) -> tuple[dict, str]:
    subject, email = fresh_subject(oidc)
    assert refresh_cookie(sign_in(local_api, oidc, subject))
    user = user_of(email)
    return {"id": user.id, "organizationId": user.organization_id, "role": user.role}, subject


def test_the_last_way_to_sign_in_cannot_be_unlinked(local_api, oidc):
    user, _ = federated_user(local_api, oidc)
    [only] = identities(local_api, user)
    assert only["provider"] == "oidc"
    refused = unlink(local_api, user, only["id"]).result
    assert refused["statusCode"] == 409 and body_of(refused)["error"]["code"] == "LAST_SIGN_IN_METHOD"
    assert identities(local_api, user) == [only]


def test_an_identity_of_an_account_with_a_password_unlinks_and_no_longer_signs_in(local_api, oidc):
    email, data = register(local_api, "unlink")
    verify_address(email)
    subject, _ = fresh_subject(oidc, email=email)
    assert refresh_cookie(sign_in(local_api, oidc, subject))
    user = data["user"]
    [linked] = identities(local_api, user)
    outcome = unlink(local_api, user, linked["id"])
    assert outcome.result["statusCode"] == 200 and identities(local_api, user) == []
    assert body_of(unlink(local_api, user, linked["id"]).result)["error"]["code"] == "IDENTITY_NOT_FOUND"


def test_a_signed_in_user_links_a_provider_and_it_signs_them_in(local_api, oidc):
    _, data = register(local_api, "link-from-settings")
    user = data["user"]
    event = _viewed(signed_in_event("link_identity", user))
    started = local_api.invoke("LinkIdentityFunction", event).result
    assert started["statusCode"] == 200, started
    cookie = started["headers"]["Set-Cookie"].split(";")[0]
    subject, _ = fresh_subject(oidc, email=unique_email("other-address"))
    back = callback(local_api, federation_mock.authorize(body_of(started)["data"]["url"], subject), cookie)
    where, query, _ = location(back)
    assert where == f"{DASHBOARD}/settings/security" and query == {"linked": "oidc"} and refresh_cookie(back) is None
    assert [i["provider"] for i in identities(local_api, user)] == ["oidc"]
    token = refresh_cookie(sign_in(local_api, oidc, subject))
    assert pyjwt.decode(token, options={"verify_signature": False})["sub"] == user["id"]


def test_an_identity_another_account_signs_in_with_cannot_be_linked(local_api, oidc):
    _, taken = federated_user(local_api, oidc)
    _, data = register(local_api, "link-taken")
    started = local_api.invoke("LinkIdentityFunction", _viewed(signed_in_event("link_identity", data["user"]))).result
    cookie = started["headers"]["Set-Cookie"].split(";")[0]
    back = callback(local_api, federation_mock.authorize(body_of(started)["data"]["url"], taken), cookie)
    assert refused_with(back) == "IDENTITY_LINKED_ELSEWHERE"


def test_links_and_unlinks_are_audited(local_api, oidc):
    email, data = register(local_api, "audit-link")
    verify_address(email)
    subject, _ = fresh_subject(oidc, email=email)
    sign_in(local_api, oidc, subject)
    [linked] = identities(local_api, data["user"])
    unlink(local_api, data["user"], linked["id"])
    event = signed_in_event("list_audit_events", data["user"], role="ADMIN")
    event["queryStringParameters"] = None
    listed = body_of(local_api.invoke("ListAuditEventsFunction", event).result)["data"]
    types = [e["type"] for e in listed["auditEvents"]]
    assert "auth.identity.linked" in types and "auth.identity.unlinked" in types


# --- what each route costs ----------------------------------------------------------------------------


def dynamodb(outcome) -> tuple[str, ...]:
    return tuple(c.removeprefix("dynamodb:") for c in outcome.calls if c.startswith("dynamodb:"))


def test_the_dynamodb_calls_of_each_route(local_api, oidc):
    started, url, cookie = start(local_api)
    assert dynamodb(started) == ("UpdateItem", "PutItem")  # the per-IP limit, the state
    subject, email = fresh_subject(oidc)
    first = callback(local_api, federation_mock.authorize(url, subject), cookie)
    # limit, state spent, identity lookup, address lookup, the account's transaction (user, credentials,
    # organization, identity, audit), the session's transaction
    assert dynamodb(first) == ("UpdateItem", "DeleteItem", "GetItem", "GetItem", "TransactWriteItems",
                               "TransactWriteItems")
    _, url, cookie = start(local_api)
    again = callback(local_api, federation_mock.authorize(url, subject), cookie)
    # limit, state spent, identity lookup, the user, the session's transaction
    assert dynamodb(again) == ("UpdateItem", "DeleteItem", "GetItem", "GetItem", "TransactWriteItems")
    forged = callback(local_api, {"state": "forged", "code": "x"}, cookie)
    assert dynamodb(forged) == ("UpdateItem", "DeleteItem")  # refused at the state: nothing else read
    email3, _ = register(local_api, "calls-link")
    verify_address(email3)
    subject3, _ = fresh_subject(oidc, email=email3)
    _, url, cookie = start(local_api)
    by_address = callback(local_api, federation_mock.authorize(url, subject3), cookie)
    # limit, state, identity, address, user, the identities map made (once), the link's transaction
    # (identity item, user's entry, audit event), the session's transaction
    assert dynamodb(by_address) == ("UpdateItem", "DeleteItem", "GetItem", "GetItem", "GetItem", "UpdateItem",
                                    "TransactWriteItems", "TransactWriteItems")
    user = user_of(email)
    who = {"id": user.id, "organizationId": user.organization_id, "role": user.role}
    listed = local_api.invoke("ListIdentitiesFunction", signed_in_event("list_identities", who))
    assert dynamodb(listed) == ("GetItem",)
    providers = local_api.invoke("ListProvidersFunction", load_event("list_providers"))
    assert dynamodb(providers) == ()
    link = local_api.invoke("LinkIdentityFunction", _viewed(signed_in_event("link_identity", who)))
    assert dynamodb(link) == ("PutItem",)  # the state
    [identity] = identities(local_api, who)
    last = unlink(local_api, who, identity["id"])
    # the user, the unlink refused by its condition on the credentials (no password), nothing written
    assert dynamodb(last) == ("GetItem", "TransactWriteItems") and last.result["statusCode"] == 409
    email2, data = register(local_api, "calls-unlink")
    verify_address(email2)
    subject2, _ = fresh_subject(oidc, email=email2)
    sign_in(local_api, oidc, subject2)
    [linked] = identities(local_api, data["user"])
    removed = unlink(local_api, data["user"], linked["id"])
    # the user, the unlink (with its condition on the password and its audit event)
    assert dynamodb(removed) == ("GetItem", "TransactWriteItems") and removed.result["statusCode"] == 200


# --- GitHub: OAuth 2.0 with its user and emails API (no ID token) --------------------------------------


@pytest.fixture
def github(local_api, monkeypatch):
    """GitHub on (GithubClientId, its secret in Secrets Manager), its endpoints answered here: what the
    token endpoint was sent is kept."""
    import boto3

    from latchkey.settings import get_settings
    from latchkey.store import identity_providers
    from latchkey.usecases import federation

    settings = get_settings()
    monkeypatch.setattr(federation, "get_settings", lambda: settings._replace(github_client_id="gh-client"))
    boto3.client("secretsmanager").put_secret_value(
        SecretId=settings.federation_secrets_arn, SecretString=json.dumps({"github": "gh-secret"}))
    identity_providers._client_secrets.cache_clear()
    world = {"sent": [], "user": {"id": int(time.time_ns() % 10**12), "login": "octo", "name": "Octo Cat"},
             "emails": [{"email": unique_email("octo"), "primary": True, "verified": True}]}

    def fetch(url, data=None, headers=None):
        if url == "https://github.com/login/oauth/access_token":
            world["sent"].append(parse_qs(data.decode()))
            return {"access_token": "gho_test", "token_type": "bearer", "scope": "read:user,user:email"}
        assert headers["Authorization"] == "Bearer gho_test"
        api = {"https://api.github.com/user": world["user"], "https://api.github.com/user/emails": world["emails"]}
        return api[url]

    monkeypatch.setattr(identity_providers, "_fetch", fetch)
    yield world
    identity_providers._client_secrets.cache_clear()


def test_github_signs_in_through_its_user_and_emails_api_with_pkce(local_api, github):
    _, url, cookie = start(local_api, provider="github")
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith("https://github.com/login/oauth/authorize?") and "nonce" not in query
    assert query["client_id"] == "gh-client" and query["code_challenge_method"] == "S256"
    event = _viewed(load_event("oauth_callback"))
    event["pathParameters"] = {"provider": "github"}
    event["queryStringParameters"] = {"state": query["state"], "code": "gh-code"}
    event["headers"]["Cookie"] = cookie
    outcome = local_api.invoke("OAuthCallbackFunction", event)
    assert refresh_cookie(outcome), outcome.result
    [sent] = github["sent"]
    assert sent["client_secret"] == ["gh-secret"] and sent["code"] == ["gh-code"]
    assert len(sent["code_verifier"][0]) >= 43
    user = user_of(github["emails"][0]["email"])
    assert user.name == "Octo Cat" and user.email_verified is True


def test_github_with_no_verified_primary_address_cannot_take_over_an_account(local_api, github):
    email, _ = register(local_api, "gh-takeover")
    verify_address(email)
    github["emails"] = [{"email": email, "primary": True, "verified": False}]
    _, url, cookie = start(local_api, provider="github")
    state = parse_qs(urlsplit(url).query)["state"][0]
    event = _viewed(load_event("oauth_callback"))
    event["pathParameters"] = {"provider": "github"}
    event["queryStringParameters"] = {"state": state, "code": "gh-code"}
    event["headers"]["Cookie"] = cookie
    assert refused_with(local_api.invoke("OAuthCallbackFunction", event)) == "ACCOUNT_EXISTS_UNLINKED"


def test_a_state_started_for_one_provider_is_refused_at_anothers_callback(local_api, github, oidc, monkeypatch):
    from latchkey.usecases import federation

    both = federation.get_settings()._replace(github_client_id="gh-client")
    monkeypatch.setattr(federation, "get_settings", lambda: both)
    _, url, cookie = start(local_api, provider="github")
    state = parse_qs(urlsplit(url).query)["state"][0]
    assert refused_with(callback(local_api, {"state": state, "code": "gh-code"}, cookie)) == "INVALID_OAUTH_STATE"


def test_a_throttled_sign_in_goes_back_to_the_dashboard_as_service_unavailable(local_api, oidc, monkeypatch):
    from botocore.exceptions import ClientError

    from latchkey.store import dynamodb

    subject, email = fresh_subject(oidc)
    _, url, cookie = start(local_api)
    query = federation_mock.authorize(url, subject)

    def throttled(**_):
        raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "injected"},
                           "ResponseMetadata": {"HTTPStatusCode": 400}}, "TransactWriteItems")

    writes = dynamodb.client.transact_write_items
    monkeypatch.setattr(dynamodb.client, "transact_write_items", throttled)
    busy = callback(local_api, query, cookie)
    assert refused_with(busy) == "SERVICE_UNAVAILABLE" and refresh_cookie(busy) is None
    monkeypatch.setattr(dynamodb.client, "transact_write_items", writes)
    assert user_of(email) is None  # nothing was created
    _, url, cookie = start(local_api)  # the person clicks the button again: it finishes
    assert refresh_cookie(callback(local_api, federation_mock.authorize(url, subject), cookie))

"""Signing in to an app through Latchkey, in a real browser, with a relying party nobody here wrote:
Authlib's OAuth 2 client builds the authorization URL (PKCE S256, state, nonce), the browser goes
through the hosted sign-in page (Email, Password, "Sign in"; "Allow" for an app that is not first
party), and comes back to the app's loopback redirect URI with a code, its state and the issuer; the
client then redeems the code at the token endpoint the discovery document names, verifies the ID token
against the JWKS, calls userinfo, refreshes and revokes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet
from playwright.sync_api import expect

from tests.browser.test_dashboard_journeys import accessible, shows
from tests.support import PASSWORD, Client

CALLBACK = "http://127.0.0.1:48123/callback"  # an app on this machine (RFC 8252); the test plays it


def sign_in_on_the_hosted_page(page, email: str) -> None:
    """What a person does on the hosted sign-in page: their email, their password, "Sign in"."""
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def register_app(client: Client, admin: dict, first_party: bool) -> dict:
    response = client.post("/v1/organization/apps", headers={"Authorization": f"Bearer {admin['accessToken']}"},
                           json={"name": "Grading portal", "redirectUris": [CALLBACK], "type": "public",
                                 "firstParty": first_party})
    assert response.status_code == 201, response.text
    return response.json()["data"]


def relying_party(app: dict) -> OAuth2Session:
    return OAuth2Session(app["clientId"], redirect_uri=CALLBACK, scope="openid email offline_access",
                         code_challenge_method="S256", token_endpoint_auth_method="none")


def start(client: Client, app: dict, nonce: str = "") -> tuple[str, str, str]:
    """Authlib's authorization URL for the app: the URL, its state and the PKCE verifier."""
    verifier = generate_token(48)
    url, state = relying_party(app).create_authorization_url(
        client.base_url + "/oauth2/authorize", code_verifier=verifier, nonce=nonce or generate_token(16))
    return url, state, verifier


def come_back(page) -> list[str]:
    """The URLs the browser is sent to at the app's redirect URI (answered here, as the app would)."""
    arrived: list[str] = []

    def answer(route):
        arrived.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>Portal</title><h1>Signed in</h1>")

    page.route("http://127.0.0.1:48123/**", answer)
    return arrived


def test_an_app_signs_a_user_in_through_the_hosted_page(open_context, client: Client):
    admin = client.register()
    admin = {**admin, "email": admin["user"]["email"]}
    app = register_app(client, admin, first_party=False)
    nonce = generate_token(16)
    url, state, verifier = start(client, app, nonce)
    page = open_context().new_page()
    arrived = come_back(page)

    page.goto(url)
    shows(page, "Sign in")
    accessible(page)
    sign_in_on_the_hosted_page(page, admin["email"])
    shows(page, "Allow Grading portal?")
    expect(page.locator("main li")).to_have_text(["openid", "email", "offline_access"])
    accessible(page)
    page.get_by_role("button", name="Allow").click()
    expect(page.get_by_role("heading", name="Signed in")).to_be_visible()

    (back,) = arrived
    query = {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()}
    assert back.startswith(CALLBACK + "?") and query["state"] == state and len(query["code"]) >= 43
    assert query["iss"] == client.base_url

    # The app (Authlib's client) redeems the code as its discovery document says, and checks the ID token
    # against the JWKS it names.
    discovery = client.get("/.well-known/openid-configuration").json()
    assert discovery["issuer"] == client.base_url
    rp = relying_party(app)
    tokens = rp.fetch_token(discovery["token_endpoint"], authorization_response=back, code_verifier=verifier)
    keys = KeySet.import_key_set(requests.get(discovery["jwks_uri"], timeout=30).json())
    id_token = jwt.decode(tokens["id_token"], keys, algorithms=["RS256"])
    assert id_token.header["alg"] == "RS256" and id_token.header["kid"].startswith("id-")
    jwt.JWTClaimsRegistry(iss={"essential": True, "value": client.base_url},
                          aud={"essential": True, "value": app["clientId"]},
                          nonce={"essential": True, "value": nonce}).validate(id_token.claims)
    assert id_token.claims["sub"] == admin["user"]["id"] and id_token.claims["email"] == admin["email"]
    me = client.get("/v1/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200 and me.json()["data"]["id"] == admin["user"]["id"]
    userinfo = rp.get(discovery["userinfo_endpoint"], timeout=30)
    assert userinfo.status_code == 200 and userinfo.json()["sub"] == id_token.claims["sub"]
    assert userinfo.json()["email"] == admin["email"]
    renewed = rp.refresh_token(discovery["token_endpoint"], refresh_token=tokens["refresh_token"])
    assert renewed["refresh_token"] != tokens["refresh_token"] and renewed["access_token"]
    revoked = rp.revoke_token(discovery["revocation_endpoint"], token=renewed["refresh_token"],
                              token_type_hint="refresh_token")
    assert revoked.status_code == 200
    after = client.get("/v1/auth/me", headers={"Authorization": f"Bearer {renewed['access_token']}"})
    assert after.status_code == 401  # the sign-in's session ended, and its access tokens with it

    # A second sign-in of the same app: signed in already, consented already: straight back.
    url, state, _ = start(client, app)
    page.goto(url)
    expect(page.get_by_role("heading", name="Signed in")).to_be_visible()
    assert parse_qs(urlsplit(arrived[-1]).query)["state"] == [state]


def test_a_denial_goes_back_to_the_app_as_access_denied(open_context, client: Client):
    admin = client.register()
    app = register_app(client, admin, first_party=False)
    url, state, _ = start(client, app)
    page = open_context().new_page()
    arrived = come_back(page)
    page.goto(url)
    sign_in_on_the_hosted_page(page, admin["user"]["email"])
    page.get_by_role("button", name="Deny").click()
    expect(page.get_by_role("heading", name="Signed in")).to_be_visible()  # the app's page, with the error
    query = parse_qs(urlsplit(arrived[-1]).query)
    assert query["error"] == ["access_denied"] and query["state"] == [state] and "code" not in query


def test_an_admin_manages_apps_in_the_dashboard(open_context, client: Client):
    from tests.browser.test_dashboard_journeys import open_settings, sign_in

    email = client.register()["user"]["email"]
    page = open_context().new_page()
    sign_in(page, email)
    open_settings(page, "Apps", "Organization")
    expect(page.get_by_text("No apps yet.")).to_be_visible()
    accessible(page)
    page.get_by_label("App name").fill("Grading portal")
    page.get_by_label("Redirect URIs").fill("https://portal.example.com/callback")
    page.get_by_role("button", name="Register app").click()
    secret = page.get_by_test_id("new-app-secret")
    expect(secret).to_contain_text("lks_")
    first = secret.inner_text()
    row = page.get_by_role("row").filter(has_text="Grading portal")
    expect(row).to_contain_text("confidential")
    expect(row).to_contain_text("https://portal.example.com/callback")
    accessible(page)
    row.get_by_role("button", name="Rotate secret").click()
    row.get_by_role("button", name="Rotate secret").click()  # the confirmation
    expect(secret).not_to_have_text(first)
    row.get_by_role("button", name="Delete").click()
    row.get_by_role("button", name="Delete app").click()
    expect(page.get_by_text("No apps yet.")).to_be_visible()

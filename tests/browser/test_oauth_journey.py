"""Signing in to an app through Latchkey, in a real browser, with a relying party nobody here wrote:
Authlib's OAuth 2 client builds the authorization URL (PKCE S256, state, nonce), the browser goes
through the hosted sign-in page (Email, Password, "Sign in"; "Allow" for an app that is not first
party), and comes back to the app's loopback redirect URI with a code, its state and the issuer."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from playwright.sync_api import expect

from tests.browser.test_dashboard_journeys import accessible, shows
from tests.conftest import PASSWORD, Client

CALLBACK = "http://127.0.0.1:48123/callback"  # an app on this machine (RFC 8252); the test plays it


def register_app(client: Client, admin: dict, first_party: bool) -> dict:
    response = client.post("/v1/organization/apps", headers={"Authorization": f"Bearer {admin['accessToken']}"},
                           json={"name": "Grading portal", "redirectUris": [CALLBACK], "type": "public",
                                 "firstParty": first_party})
    assert response.status_code == 201, response.text
    return response.json()["data"]


def start(client: Client, app: dict) -> tuple[str, str, str]:
    """Authlib's authorization URL for the app: the URL, its state and the PKCE verifier."""
    verifier = generate_token(48)
    session = OAuth2Session(app["clientId"], redirect_uri=CALLBACK, scope="openid email",
                            code_challenge_method="S256")
    url, state = session.create_authorization_url(client.base_url + "/oauth2/authorize", code_verifier=verifier,
                                                  nonce=generate_token(16))
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
    url, state, _ = start(client, app)
    page = open_context().new_page()
    arrived = come_back(page)

    page.goto(url)
    shows(page, "Sign in")
    accessible(page)
    page.get_by_label("Email", exact=True).fill(admin["email"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    shows(page, "Allow Grading portal?")
    expect(page.locator("main li")).to_have_text(["openid", "email"])
    accessible(page)
    page.get_by_role("button", name="Allow").click()
    expect(page.get_by_role("heading", name="Signed in")).to_be_visible()

    (back,) = arrived
    query = {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()}
    assert back.startswith(CALLBACK + "?") and query["state"] == state and len(query["code"]) >= 43
    assert query["iss"] == client.base_url

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
    page.get_by_label("Email", exact=True).fill(admin["user"]["email"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Deny").click()
    expect(page.get_by_role("heading", name="Signed in")).to_be_visible()  # the app's page, with the error
    query = parse_qs(urlsplit(arrived[-1]).query)
    assert query["error"] == ["access_denied"] and query["state"] == [state] and "code" not in query

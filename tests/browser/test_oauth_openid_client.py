"""A second relying party nobody here wrote: openid-client (Node, pinned in relying_party/package.json)
discovers the provider, builds the authorization URL (PKCE S256, state, nonce), and, once headless
Chromium has signed in on the hosted page and come back, redeems the code, verifies the ID token
against the JWKS, calls userinfo, refreshes and revokes, with its own checks at every step."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.test_dashboard_journeys import shows
from tests.browser.test_oauth_journey import come_back, register_app, sign_in_on_the_hosted_page
from tests.support import Client

RP = Path(__file__).resolve().parent / "relying_party"
CALLBACK = "http://127.0.0.1:48123/callback"


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.fail("openid-client needs Node 20 or later (node on the PATH)")
    if not (RP / "node_modules" / "openid-client").is_dir():  # the pinned lock file, nothing else
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=RP, check=True,
                       capture_output=True, timeout=300)
    return found


def rp(node: str, *args: str) -> dict:
    done = subprocess.run([node, "rp.mjs", *args], cwd=RP, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_openid_client_signs_a_user_in_verifies_the_id_token_refreshes_and_revokes(open_context, client: Client,
                                                                                   node):
    admin = client.register()
    app = register_app(client, admin, first_party=True)
    started = rp(node, "start", client.base_url, app["clientId"], CALLBACK)
    page = open_context().new_page()
    arrived = come_back(page)
    page.goto(started["url"])
    shows(page, "Sign in")
    sign_in_on_the_hosted_page(page, admin["user"]["email"])
    expect(page.get_by_role("heading", name="Signed in")).to_be_visible()

    seen = rp(node, "finish", client.base_url, app["clientId"], CALLBACK, arrived[-1], started["verifier"],
              started["state"], started["nonce"])
    assert seen["idTokenHeader"]["alg"] == "RS256" and seen["idTokenHeader"]["kid"].startswith("id-")
    claims = seen["claims"]
    assert claims["iss"] == client.base_url and claims["aud"] == app["clientId"]
    assert claims["sub"] == admin["user"]["id"] and claims["nonce"] == started["nonce"]
    assert claims["email"] == admin["user"]["email"] and claims["name"] == admin["user"]["name"]
    assert seen["userinfo"]["sub"] == claims["sub"] and seen["userinfo"]["email"] == claims["email"]
    assert seen["refreshed"] and seen["afterRevocation"] == "invalid_grant"


class _SignedOut(BaseHTTPRequestHandler):
    """The app's post-logout page: a real server, as the browser follows the API's own 302 to it."""

    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<title>Portal</title><h1>Signed out of the portal</h1>")

    def log_message(self, *args):
        pass


@pytest.fixture
def signed_out_page():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SignedOut)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _SignedOut.seen = []
    yield f"http://127.0.0.1:{server.server_port}/signed-out", _SignedOut.seen
    server.shutdown()


def query_of(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_openid_client_signs_in_silently_and_signs_out_through_the_hosted_page(open_context, client: Client, node,
                                                                            signed_out_page):
    signed_out, seen_there = signed_out_page
    admin = client.register()
    response = client.post("/v1/organization/apps", headers={"Authorization": f"Bearer {admin['accessToken']}"},
                           json={"name": "Grading portal", "redirectUris": [CALLBACK], "type": "public",
                                 "firstParty": True, "postLogoutRedirectUris": [signed_out]})
    assert response.status_code == 201, response.text
    app = response.json()["data"]
    page = open_context().new_page()
    arrived = come_back(page)

    silent = rp(node, "start", client.base_url, app["clientId"], CALLBACK, "none")
    page.goto(silent["url"])  # no session in this browser: straight back, no page shown
    page.wait_for_url("http://127.0.0.1:48123/**")
    answer = query_of(arrived[-1])
    assert answer["error"] == "login_required" and answer["state"] == silent["state"] and "code" not in answer

    started = rp(node, "start", client.base_url, app["clientId"], CALLBACK)
    page.goto(started["url"])
    shows(page, "Sign in")
    sign_in_on_the_hosted_page(page, admin["user"]["email"])
    expect(page.get_by_role("heading", name="Signed in")).to_be_visible()
    rp(node, "redeem", client.base_url, app["clientId"], CALLBACK, arrived[-1], started["verifier"],
       started["state"], started["nonce"])

    silent = rp(node, "start", client.base_url, app["clientId"], CALLBACK, "none")
    page.goto(silent["url"])  # the hosted page's session satisfies it: a code, with no page shown
    page.wait_for_url("http://127.0.0.1:48123/**")
    seen = rp(node, "redeem", client.base_url, app["clientId"], CALLBACK, arrived[-1], silent["verifier"],
              silent["state"], silent["nonce"])
    assert seen["claims"]["amr"] == ["pwd"] and seen["claims"]["sid"]

    ending = rp(node, "logout", client.base_url, app["clientId"], CALLBACK, seen["idToken"], signed_out, "bye")
    page.goto(ending["url"])
    expect(page.get_by_role("heading", name="Signed out of the portal")).to_be_visible()
    assert seen_there == ["/signed-out?state=bye"]
    page.goto(client.base_url + "/oauth/logout")  # the hosted page's own session ended with the app's
    expect(page.get_by_role("heading", name="You are signed out")).to_be_visible()
    silent = rp(node, "start", client.base_url, app["clientId"], CALLBACK, "none")
    page.goto(silent["url"])
    page.wait_for_url("http://127.0.0.1:48123/**")
    assert query_of(arrived[-1])["error"] == "login_required"

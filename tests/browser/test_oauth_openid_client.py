"""A second relying party nobody here wrote: openid-client (Node, pinned in relying_party/package.json)
discovers the provider, builds the authorization URL (PKCE S256, state, nonce), and, once headless
Chromium has signed in on the hosted page and come back, redeems the code, verifies the ID token
against the JWKS, calls userinfo, refreshes and revokes, with its own checks at every step."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_dashboard_journeys import shows
from tests.browser.test_oauth_journey import come_back, register_app
from tests.support import PASSWORD, Client

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
    page.get_by_label("Email", exact=True).fill(admin["user"]["email"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
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

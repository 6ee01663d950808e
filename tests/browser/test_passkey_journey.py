"""Passkeys in a real browser: Chromium's DevTools virtual authenticator (ctap2, internal, resident keys,
user verification) stands in for the device. WebAuthn needs a secure context and a host name for the
RP ID, so the journey runs on http://localhost:<port>, which `make dev` (and this test's local API)
trusts as a passkey origin."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS, snapshot
from tests.browser.test_dashboard_journeys import OVERVIEW, accessible, open_settings, shows, sign_in, sign_out
from tests.conftest import Client

VIRTUAL_AUTHENTICATOR = {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
                         "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True}


def test_enrol_a_passkey_sign_out_and_sign_in_with_the_passkey_alone(browser, client: Client):
    email = client.register()["user"]["email"]
    context = browser.new_context(base_url=client.base_url.replace("127.0.0.1", "localhost"))
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("WebAuthn.enable")
        authenticator = devtools.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})

        sign_in(page, email)
        shows(page, OVERVIEW)
        open_settings(page, "Security")
        passkeys = page.get_by_role("region", name="Passkeys")
        expect(passkeys).to_contain_text("No passkeys yet")
        passkeys.get_by_label("Name").fill("Laptop")
        passkeys.get_by_role("button", name="Add a passkey").click()
        expect(passkeys).to_contain_text('Passkey "Laptop" added')
        expect(passkeys.get_by_role("table", name="Your passkeys")).to_contain_text("Laptop")
        credentials = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator["authenticatorId"]})
        assert [c["isResidentCredential"] for c in credentials["credentials"]] == [True]
        accessible(page)
        snapshot(page, "passkey-enrolled")

        sign_out(page)
        page.get_by_role("button", name="Sign in with a passkey").click()
        shows(page, OVERVIEW)
        expect(page.get_by_role("banner")).to_contain_text(email)
        snapshot(page, "passkey-signed-in")
    finally:
        context.close()

"""Passkeys in a real browser: Chromium's DevTools virtual authenticator (ctap2, internal, resident keys,
user verification) stands in for the device. WebAuthn needs a secure context and a host name for the
RP ID, so the journeys run on http://localhost:<port>, which `make dev` (and this test's local API)
trusts as a passkey origin. The journeys: enrol, then sign in with the passkey alone; the passkey as the
second factor of a password sign-in; the passkey in the step-up dialog; and the attacks: the same page
on another origin, a replayed assertion, and a signature counter that goes down (a clone)."""

from __future__ import annotations

import time

import jwt
import pyotp
from playwright.sync_api import Page, expect

from tests.browser.conftest import TIMEOUT_MS, snapshot, step_up_once
from tests.browser.test_dashboard_journeys import OVERVIEW, accessible, go, open_settings, shows, sign_in, sign_out
from tests.support import Client

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


# --- helpers for the journeys below ----------------------------------------------------------------------


def localhost(client: Client) -> str:
    """The local API as a passkey origin: http://localhost:<port> (its RP ID is `localhost`)."""
    return client.base_url.replace("127.0.0.1", "localhost")


def device(browser, base_url: str):
    """A new browser context on `base_url`, its page, and a virtual authenticator on the page: (context,
    page, DevTools session, authenticator id)."""
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    authenticator = devtools.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})
    return context, page, devtools, authenticator["authenticatorId"]


def enrol(page: Page, name: str = "Laptop") -> None:
    """Settings -> Security -> Passkeys -> Add a passkey, on a signed-in page."""
    open_settings(page, "Security")
    passkeys = page.get_by_role("region", name="Passkeys")
    passkeys.get_by_label("Name").fill(name)
    passkeys.get_by_role("button", name="Add a passkey").click()
    expect(passkeys).to_contain_text(f'Passkey "{name}" added')


def claims(token: str) -> dict:
    """An access token's claims, read (the API checked its signature; this test reads what it says)."""
    return jwt.decode(token, options={"verify_signature": False})


def sign_in_with_password_and_code(page: Page, email: str, totp: pyotp.TOTP) -> None:
    sign_in(page, email)
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(totp.now())
    page.get_by_role("button", name="Verify").click()
    shows(page, OVERVIEW)


# --- a passkey as the second factor, and for step-up -----------------------------------------------------


def test_a_passkey_is_offered_and_used_as_the_second_factor_of_a_password_sign_in(browser, client: Client):
    registered = client.register()
    email = registered["user"]["email"]
    totp = pyotp.TOTP(client.enable_two_factor(registered["accessToken"])["secret"])
    context, page, _, _ = device(browser, localhost(client))
    try:
        sign_in_with_password_and_code(page, email, totp)
        enrol(page)
        sign_out(page)

        sign_in(page, email)
        # The second-factor step: the code field, and the passkey the user holds.
        expect(page.get_by_label("Code from your authenticator app, or a recovery code")).to_be_visible()
        use_passkey = page.get_by_role("button", name="Use a passkey instead")
        expect(use_passkey).to_be_visible()
        accessible(page)
        snapshot(page, "passkey-second-factor-offered")
        with page.expect_response("**/v1/auth/verify-2fa") as answered:
            use_passkey.click()
        shows(page, OVERVIEW)
        expect(page.get_by_role("banner")).to_contain_text(email)
        tokens = answered.value.json()["data"]
        assert claims(tokens["accessToken"])["amr"] == ["pwd", "swk", "user"]
        snapshot(page, "passkey-second-factor-signed-in")
    finally:
        context.close()


def test_a_passkey_in_the_step_up_dialog_renews_the_session(browser, client: Client):
    email = client.register()["user"]["email"]
    context, page, _, _ = device(browser, localhost(client))
    try:
        sign_in(page, email)
        shows(page, OVERVIEW)
        enrol(page)
        signed_in_at = int(time.time())
        time.sleep(1.1)  # so a renewed auth_time is a later second than the sign-in's

        # The key's creation asks for step-up once; the dialog then renews the session with the passkey.
        step_up_once(page, "**/v1/api-keys")
        open_settings(page, "API Keys")
        page.get_by_label("Name", exact=True).fill("After a passkey")
        page.get_by_label("organization:read").check()
        page.get_by_role("button", name="Create Token", exact=True).click()
        dialog = page.get_by_role("dialog", name="Confirm it's you")
        expect(dialog).to_be_visible()
        use_passkey = dialog.get_by_role("button", name="Use a passkey")
        expect(use_passkey).to_be_visible()
        snapshot(page, "passkey-step-up-dialog")
        with page.expect_response("**/v1/auth/reauthenticate") as renewed:
            use_passkey.click()
        expect(dialog).to_be_hidden()
        expect(page.get_by_test_id("new-api-key")).to_be_visible()
        assert renewed.value.status == 200
        token = claims(renewed.value.json()["data"]["accessToken"])
        assert token["auth_time"] > signed_in_at
        assert token["amr"] == ["swk", "user"]
        snapshot(page, "passkey-step-up-renewed")
    finally:
        context.close()


# --- the attacks ------------------------------------------------------------------------------------------


def enrolled_device(browser, client: Client):
    """A user signed in on localhost with a passkey enrolled, then signed out: (context, page, devtools,
    authenticator id, email, the register body)."""
    registered = client.register()
    email = registered["user"]["email"]
    context, page, devtools, authenticator = device(browser, localhost(client))
    sign_in(page, email)
    shows(page, OVERVIEW)
    enrol(page)
    sign_out(page)
    return context, page, devtools, authenticator, email, registered


def test_the_same_page_on_another_origin_cannot_use_the_passkey(browser, client: Client):
    context, page, _, _, email, _ = enrolled_device(browser, client)
    try:
        # The same dashboard, the same device and its passkey, at http://127.0.0.1:<port>: the RP ID
        # `localhost` is not this origin's, so the browser refuses the ceremony and nobody is signed in.
        page.goto(client.base_url + "/sign-in")
        shows(page, "Sign in")
        sent = []
        page.on("request", lambda request: request.url.endswith("/passkeys/login") and sent.append(request.url))
        with page.expect_response("**/v1/auth/passkeys/login/options"):
            page.get_by_role("button", name="Sign in with a passkey").click()
        # What a person sees: the refusal in words that say what to do (not Chromium's "This is an
        # invalid domain."), still on the sign-in page; no assertion was made, so none reached the API.
        error = page.locator(".passkey-sign-in [role=alert]")
        expect(error).to_have_text("Passkeys work only at the dashboard's own address. Open the dashboard there "
                                   "and try again.")
        assert sent == []
        shows(page, "Sign in")
        expect(page.get_by_role("banner")).not_to_contain_text(email)
        snapshot(page, "passkey-wrong-origin-refused")
    finally:
        context.close()


def test_a_replayed_passkey_assertion_is_refused(browser, client: Client):
    context, page, _, _, email, _ = enrolled_device(browser, client)
    try:
        with page.expect_request("**/v1/auth/passkeys/login") as sent:
            page.get_by_role("button", name="Sign in with a passkey").click()
        shows(page, OVERVIEW)
        expect(page.get_by_role("banner")).to_contain_text(email)
        credential = sent.value.post_data_json["credential"]
        # The same assertion, its challenge spent, posted again from elsewhere.
        replayed = client.post("/v1/auth/passkeys/login", json={"credential": credential})
        assert replayed.status_code == 401, replayed.text
        assert replayed.json()["error"]["code"] == "INVALID_PASSKEY"
        snapshot(page, "passkey-replay-refused")
    finally:
        context.close()


def test_a_passkey_whose_counter_went_down_is_refused_and_audited_as_a_clone(browser, client: Client):
    context, page, devtools, authenticator, email, registered = enrolled_device(browser, client)
    try:
        def counter_set_to(count: int) -> None:
            """The device's passkey removed and added again, the same key, its signature counter at `count`."""
            (credential,) = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
            devtools.send("WebAuthn.removeCredential",
                          {"authenticatorId": authenticator, "credentialId": credential["credentialId"]})
            devtools.send("WebAuthn.addCredential",
                          {"authenticatorId": authenticator, "credential": {**credential, "signCount": count}})

        counter_set_to(10)
        passkey = page.get_by_role("button", name="Sign in with a passkey")
        passkey.click()
        shows(page, OVERVIEW)
        sign_out(page)

        counter_set_to(2)  # a copy of the key that has signed less than the original
        with page.expect_response("**/v1/auth/passkeys/login") as refused:
            passkey.click()
        assert refused.value.status == 401
        error = page.locator(".passkey-sign-in [role=alert]")
        expect(error).to_be_visible()
        expect(error).to_have_text(refused.value.json()["error"]["message"])
        shows(page, "Sign in")
        snapshot(page, "passkey-clone-refused")

        audit = client.get("/v1/audit-events", params={"type": "auth.passkey.clone_detected"},
                           headers=client.bearer(registered["accessToken"]))
        assert audit.status_code == 200, audit.text
        assert len(audit.json()["data"]["auditEvents"]) == 1
        # And as the user reads it: Activity, filtered to the refused clones.
        sign_in(page, email)
        shows(page, OVERVIEW)
        go(page, "Activity", "Activity")
        page.get_by_label("Event type").select_option(label="Cloned passkey refused")
        expect(page.get_by_role("table", name="Audit events").locator("tbody tr")).to_have_count(1)
        snapshot(page, "passkey-clone-audited")
    finally:
        context.close()

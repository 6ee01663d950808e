"""The dashboard in a real browser (headless Chromium), against the local API as `make dev` serves it:
the journeys a person takes, each page checked with axe-core for serious or critical violations.

Where a route a page needs is not served by this API yet (the document lists what is), the journey
checks that the page says so instead of breaking."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pyotp
import requests
from playwright.sync_api import Locator, Page, expect

from latchkey.usecases import audit
from tests.browser.conftest import served, snapshot, step_up_once
from tests.support import PASSWORD, Client, unique_email

HEADING = "main h1"
OVERVIEW = re.compile(r"^Welcome, ")  # the first page's heading greets the user by name
# A phone's browser, as the session list should name it.
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.4 Mobile/15E148 Safari/604.1")
PHONE = "Safari on iOS"


def accessible(page: Page) -> None:
    """axe-core (pinned with axe-playwright-python, run from the test, nothing fetched): no serious or
    critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    bad = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}" for v in violations
           if v["impact"] in ("serious", "critical")]
    assert not bad, f"{page.url}: {bad}"


def shows(page: Page, heading: str | re.Pattern) -> None:
    expect(page.locator(HEADING)).to_have_text(heading)


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/sign-in")
    shows(page, "Sign in")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def new_user_signed_in(open_context, client: Client) -> tuple[Page, str]:
    """A page signed in through the form as a user registered just now, and their email."""
    email = client.register()["user"]["email"]
    page = open_context().new_page()
    sign_in(page, email)
    shows(page, OVERVIEW)
    return page, email


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    shows(page, "Sign in")
    expect(page.get_by_role("banner")).not_to_contain_text("null")


def go(page: Page, link: str, heading: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link, exact=True).click()
    shows(page, heading)


def on_tab(page: Page, tab: str, heading: str = "Settings") -> None:
    """A page of tabs (Settings, Organization) showing `tab` (its link marked current, its heading below the tabs)."""
    shows(page, heading)
    tabs = page.get_by_role("navigation", name=heading)
    expect(tabs.get_by_role("link", name=tab, exact=True)).to_have_attribute("aria-current", "page")
    expect(page.locator("main h2").first).to_have_text(tab)


def open_settings(page: Page, tab: str, heading: str = "Settings") -> None:
    """Dashboard -> Settings (or Organization) -> `tab`, as a person clicks it."""
    go(page, heading, heading)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name=heading)).to_have_attribute(
        "aria-current", "page")
    page.get_by_role("navigation", name=heading).get_by_role("link", name=tab, exact=True).click()
    on_tab(page, tab, heading)


def sessions_listed(page: Page) -> list[str]:
    """The device column of the session list, as shown now."""
    rows = page.get_by_role("table", name="Your sessions").locator("tbody tr")
    return [row.locator("td").first.inner_text() for row in rows.all()]


def mailed_link(client: Client, to: str) -> str:
    """The path and query of the link in the newest message to `to` in the local mailbox."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        mailbox = requests.get(f"{client.base_url}/_local/mail", params={"to": to}, timeout=30).json()
        for message in mailbox["data"]["messages"]:
            for word in message["text"].split():
                if "token=" in word:
                    url = urlsplit(word.strip("<>()."))
                    return f"{url.path}?{url.query}"
        time.sleep(0.5)
    raise AssertionError(f"no mail with a link to {to}")


def natural_size(image: Locator) -> tuple[int, int]:
    """An image's decoded size once the browser is done with it: 0x0 when it could not render it."""
    image.page.wait_for_function("img => img.complete", arg=image.element_handle())
    width, height = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    return width, height


def no_secret_left(page: Page, console: list[str]) -> None:
    """Nothing in storage, no token in the address or the console."""
    assert page.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]
    assert "token=" not in page.url
    assert not [line for line in console if "eyJ" in line or "pk_live_" in line]


def test_sign_up_verify_the_email_and_the_profile_page(open_context, client: Client):
    page = open_context().new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    email = unique_email("browser")
    page.goto("/sign-up")
    shows(page, "Create an account")
    accessible(page)
    page.get_by_label("Name", exact=True).fill("Browser User")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Create account").click()
    # The API's words, next to the field that caused them.
    password = page.get_by_label("Password", exact=True)
    expect(page.locator(".field", has=password).locator(".field-error")).to_be_visible()
    password.fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    shows(page, OVERVIEW)
    accessible(page)

    if "/v1/auth/verify-email" in served(client):
        # As a person does it: the local mailbox's page, and a click on the link in the message.
        link = mailed_link(client, email)
        page.goto(f"/_local/mail/?to={email}")
        accessible(page)
        snapshot(page, "local-mailbox")
        page.get_by_role("link", name=re.compile(r"verify-email\?token=")).first.click()
        assert urlsplit(page.url).path == urlsplit(link).path
        shows(page, "Verify your email")
        accessible(page)
        page.get_by_role("button", name="Verify my email").click()
        expect(page.get_by_text("Your email address is verified.")).to_be_visible()
        page.goto("/")
        expect(page.locator(".facts")).to_contain_text("(verified)")
    else:
        page.goto("/verify-email?token=not-a-real-one")
        page.get_by_role("button", name="Verify my email").click()
        expect(page.locator(".form-error")).to_contain_text("does not serve POST /v1/auth/verify-email")
    no_secret_left(page, console)

    # The local data page shows the new account, its password hash masked.
    page.goto("/_local/data/")
    expect(page.get_by_role("row").filter(has_text=f"EMAIL#{email}")).to_contain_text('"passwordHash": "****"')
    snapshot(page, "local-data", full_page=False)
    page.goto("/")

    # Settings opens on its first tab, at its own address; the password lives under Security.
    page.goto("/settings")
    on_tab(page, "Profile")
    assert urlsplit(page.url).path == "/settings/profile"
    accessible(page)
    snapshot(page, "settings-profile")
    open_settings(page, "Security")
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password").fill("a whole new passphrase")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("form[aria-label='Change password'] .form-error")).to_be_visible()

    sign_out(page)
    page.get_by_role("link", name="Forgot your password?").click()
    shows(page, "Forgot your password?")
    accessible(page)


def test_two_factor_set_up_then_sign_in_with_a_code_and_a_recovery_code(open_context, client: Client):
    page, email = new_user_signed_in(open_context, client)
    phone = open_context(user_agent=IPHONE).new_page()
    sign_in(phone, email)
    shows(phone, OVERVIEW)
    open_settings(page, "Security")
    expect(page.get_by_role("row").filter(has_text=PHONE)).to_have_count(1)
    assert len(sessions_listed(page)) == 3  # registering signed in too, through the API
    page.get_by_role("button", name="Set up two-factor").click()
    secret = page.get_by_test_id("totp-secret").text_content()
    # What a person sees: the decoded image's own size (alt text alone would pass "visible").
    qr = page.get_by_role("img", name="QR code of the two-factor secret")
    expect(qr).to_be_visible()
    width, height = natural_size(qr)
    assert width > 0 and height > 0, "the QR code does not render"
    accessible(page)
    snapshot(page, "settings-security-two-factor-setup")
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code from your authenticator app", exact=True).fill(totp.now())
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Turn two-factor on").click()
    shown = page.get_by_role("list", name="Recovery codes").locator("code")
    expect(shown).to_have_count(10)
    codes = shown.all_text_contents()
    # Turning two-factor on ended the other sessions: the list says so at once, with no reload.
    expect(page.get_by_role("table", name="Your sessions").locator("tbody tr")).to_have_count(1)
    assert "This session" in sessions_listed(page)[0]
    snapshot(page, "settings-security-two-factor-on")
    expect(page.get_by_role("link", name="Download")).to_have_attribute("download", "latchkey-recovery-codes.txt")
    accessible(page)
    page.get_by_role("button", name="I have saved them").click()
    expect(page.get_by_text("Two-factor sign-in is on.", exact=True)).to_be_visible()

    sign_out(page)
    sign_in(page, email)
    page.get_by_label("Code from your authenticator app, or a recovery code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("form[aria-label='Two-factor code'] .form-error")).to_have_text("Invalid two-factor code")
    accessible(page)
    # The next 30-second step's code: accepted, and later than the one enable spent.
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Verify").click()
    shows(page, OVERVIEW)
    expect(page.locator(".facts")).to_contain_text("on")

    # By keyboard alone: focus starts on the page's heading, Tab walks the form, Enter sends it.
    sign_out(page)
    expect(page.locator(HEADING)).to_be_focused()
    for text in (email, PASSWORD):
        page.keyboard.press("Tab")
        page.keyboard.type(text)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Code from your authenticator app, or a recovery code")).to_be_focused()
    page.keyboard.type(codes[0])
    page.keyboard.press("Enter")
    shows(page, OVERVIEW)


def test_api_key_created_after_the_password_again_used_and_revoked(open_context, client: Client):
    page, email = new_user_signed_in(open_context, client)
    # The documented path, as written: Dashboard -> Settings -> API Keys -> Create Token.
    open_settings(page, "API Keys")
    # The tabs by keyboard alone: from the page's heading, Tab reaches them in order and Enter opens one.
    open_settings(page, "Profile")
    expect(page.locator(HEADING)).to_be_focused()
    tabs = page.get_by_role("navigation", name="Settings")
    for tab in ("Profile", "Security", "API Keys"):
        page.keyboard.press("Tab")
        expect(tabs.get_by_role("link", name=tab, exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    on_tab(page, "API Keys")
    expect(page.get_by_text("No API keys yet.")).to_be_visible()
    accessible(page)
    create = page.get_by_role("button", name="Create Token", exact=True)
    create.click()
    expect(page.locator(".field", has=page.get_by_label("Name", exact=True)).locator(".field-error")).to_be_visible()

    step_up_once(page, "**/v1/api-keys")
    page.get_by_label("Name", exact=True).fill("Browser integration")
    page.get_by_label("organization:read").check()
    create.click()
    dialog = page.get_by_role("dialog", name="Confirm it's you")
    expect(dialog).to_be_visible()
    accessible(page)
    dialog.get_by_label("Password", exact=True).fill(PASSWORD)
    dialog.get_by_role("button", name="Confirm").click()
    expect(dialog).to_be_hidden()
    key = page.get_by_test_id("new-api-key").text_content()
    expect(page.get_by_text("it is shown only once")).to_be_visible()
    listed = requests.get(f"{client.base_url}/v1/organization", headers={"X-API-Key": key}, timeout=30)
    assert listed.status_code == 200

    keys = page.get_by_role("table", name="API keys").locator("tbody tr")
    expect(keys).to_have_count(1)
    row = page.get_by_role("row", name="Browser integration")
    expect(row).to_contain_text(f"{key[:12]}…{key[-4:]}")
    expect(row).to_contain_text("organization:read")
    snapshot(page, "settings-api-keys-created")
    row.get_by_role("button", name="Revoke").click()
    row.get_by_role("button", name="Revoke key").click()
    expect(page.get_by_role("row", name="Browser integration")).to_contain_text("revoked")
    expect(keys).to_have_count(1)
    expect(row.get_by_role("button", name="Revoke")).to_have_count(0)
    # The old address of the tab still opens it.
    page.goto("/settings/api-keys")
    on_tab(page, "API Keys")
    expect(page.get_by_role("row", name="Browser integration")).to_contain_text("revoked")
    refused = requests.get(f"{client.base_url}/v1/organization", headers={"X-API-Key": key}, timeout=30)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "API_KEY_REVOKED"


def test_sessions_ended_reload_two_tabs_and_sign_out_everywhere(open_context, client: Client):
    email = client.register()["user"]["email"]
    laptop_context = open_context()
    laptop = laptop_context.new_page()
    console: list[str] = []
    laptop.on("console", lambda message: console.append(message.text))
    phone = open_context(user_agent=IPHONE).new_page()
    for page in (laptop, phone):
        sign_in(page, email)
        shows(page, OVERVIEW)

    open_settings(laptop, "Security")
    expect(laptop.get_by_role("row").filter(has_text="This session")).to_have_count(1)
    before = len(sessions_listed(laptop))
    accessible(laptop)
    other = laptop.get_by_role("row").filter(has_text=PHONE)
    other.get_by_role("button", name="End").click()
    other.get_by_role("button", name="End session").click()
    expect(laptop.get_by_role("row").filter(has_text=PHONE)).to_have_count(0)
    expect(laptop.get_by_role("table", name="Your sessions").locator("tbody tr")).to_have_count(before - 1)
    phone.reload()
    shows(phone, "Sign in")  # its refresh cookie's session has ended

    # A reload restores the session from the cookie; two tabs reloading at once both stay signed in.
    second_tab = laptop_context.new_page()
    second_tab.goto("/settings/security")
    on_tab(second_tab, "Security")
    laptop.evaluate("location.reload()")
    second_tab.evaluate("location.reload()")
    for page in (laptop, second_tab):
        on_tab(page, "Security")
    laptop.reload()
    on_tab(laptop, "Security")
    no_secret_left(laptop, console)

    laptop.get_by_role("button", name="Sign out everywhere").click()
    laptop.get_by_role("button", name="Sign out everywhere").last.click()
    shows(laptop, "Sign in")
    expect(laptop.get_by_text("You are signed out everywhere.")).to_be_visible()
    assert not [c for c in laptop_context.cookies() if c["name"] == "latchkey_refresh"]
    second_tab.reload()
    shows(second_tab, "Sign in")


def test_organization_invite_a_member_who_accepts_in_another_browser(open_context, client: Client):
    admin, _ = new_user_signed_in(open_context, client)
    # The organization's tabs: Members first, then Invitations, Apps and Settings (an admin's).
    go(admin, "Organization", "Organization")
    on_tab(admin, "Members", "Organization")
    assert urlsplit(admin.url).path == "/organization/members"
    expect(admin.get_by_role("navigation", name="Organization").get_by_role("link")).to_have_text(
        ["Members", "Invitations", "Apps", "Settings"])
    open_settings(admin, "Settings", "Organization")
    redirect = admin.get_by_role("textbox", name="Result redirect URL")
    redirect.fill("ftp://example.com/done")
    admin.get_by_role("button", name="Save").click()
    expect(admin.locator("form[aria-label='Result redirect URL'] .form-error")).to_be_visible()
    redirect.fill("https://app.example.com/done")
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_text("Saved.")).to_be_visible()
    accessible(admin)

    open_settings(admin, "Invitations", "Organization")
    if "/v1/organization/invitations" not in served(client):
        expect(admin.get_by_text("is not available on this API yet").first).to_be_visible()
        admin.get_by_label("Email", exact=True).fill(unique_email("invitee"))
        admin.get_by_role("button", name="Send invitation").click()
        expect(admin.locator("form[aria-label='Invite a member'] .form-error")).to_contain_text("does not serve")
    else:
        expect(admin.get_by_text("No pending invitations.")).to_be_visible()  # and what to do about it
        expect(admin.get_by_text("Invite a teammate with the form above")).to_be_visible()
        invitee = unique_email("invitee")
        admin.get_by_label("Email", exact=True).fill(invitee)
        admin.get_by_role("button", name="Send invitation").click()
        expect(admin.get_by_role("row").filter(has_text=invitee)).to_be_visible()
        # A second invitation, revoked: the list drops it at once.
        mistaken = unique_email("mistaken")
        admin.get_by_label("Email", exact=True).fill(mistaken)
        admin.get_by_role("button", name="Send invitation").click()
        pending = admin.get_by_role("table", name="Pending invitations").locator("tbody tr")
        expect(pending).to_have_count(2)
        revoked = admin.get_by_role("row").filter(has_text=mistaken)
        revoked.get_by_role("button", name="Revoke").click()
        revoked.get_by_role("button", name="Revoke invitation").click()
        expect(pending).to_have_count(1)
        expect(pending).to_contain_text(invitee)
        member = open_context().new_page()
        member.goto(mailed_link(client, invitee))
        shows(member, "Join your team")
        accessible(member)
        member.get_by_label("Your name").fill("Invited Member")
        member.get_by_label("Choose a password").fill(PASSWORD)
        member.get_by_role("button", name="Join").click()
        shows(member, OVERVIEW)
        expect(member.locator(".facts dt:text-is('Role') + dd")).to_have_text("Member")
        # A member's organization has no Invitations tab.
        go(member, "Organization", "Organization")
        expect(member.get_by_role("navigation", name="Organization").get_by_role("link")).to_have_text(
            ["Members", "Settings"])
        open_settings(admin, "Members", "Organization")
        expect(admin.get_by_role("row").filter(has_text=invitee)).to_contain_text("Invited Member")

    go(admin, "Activity", "Activity")
    accessible(admin)
    if "/v1/audit-events" not in served(client):
        expect(admin.get_by_text("is not available on this API yet")).to_be_visible()
    else:
        # Sentences with actor, subject and time, not event ids.
        events = admin.get_by_role("table", name="Audit events")
        expect(events).to_be_visible()
        expect(events).not_to_contain_text("auth.sign_in.succeeded")
        expect(admin.get_by_role("row").filter(has_text="You signed in").first).to_be_visible()
        expect(admin.get_by_role("row").filter(has_text="You changed the result redirect URL")).to_have_count(1)
        if "/v1/organization/invitations" in served(client):
            expect(admin.get_by_role("row").filter(has_text="Invited Member joined as a member")).to_have_count(1)
            expect(admin.get_by_role("row").filter(has_text="You invited").first).to_be_visible()
        # The filter is a list of the API's real event types, by their labels.
        kinds = admin.get_by_label("Event type")
        expect(kinds.locator("option")).to_have_text(["All events", *audit.LABELS.values()])
        kinds.select_option(label="Organization settings changed")
        expect(events.locator("tbody tr")).to_have_count(1)
        expect(events.locator("tbody tr")).to_contain_text("You changed the result redirect URL")
        kinds.select_option(label="Recovery code used")
        expect(admin.get_by_text('No "Recovery code used" events.')).to_be_visible()
        accessible(admin)


PAGES = [("/", OVERVIEW), ("/settings/profile", "Settings"), ("/settings/security", "Settings"),
         ("/settings/api-keys", "Settings"), ("/organization/members", "Organization"),
         ("/organization/invitations", "Organization"), ("/organization/settings", "Organization"),
         ("/activity", "Activity")]
BACKGROUND = {"light": "rgb(246, 247, 249)", "dark": "rgb(15, 20, 25)"}


def checklist(page: Page) -> Locator:
    return page.get_by_role("list", name="Not set up yet").locator("li")


def test_the_first_page_greets_and_lists_what_is_left_until_each_is_done(open_context, client: Client):
    email = client.register(name="Ada Lovelace", organizationName="Analytical Engines")["user"]["email"]
    page = open_context().new_page()
    sign_in(page, email)
    shows(page, "Welcome, Ada Lovelace")
    expect(page.locator("main .lead")).to_have_text("Analytical Engines on Latchkey")
    expect(checklist(page)).to_have_count(3)
    for item in ("Verify your email", "Protect your account", "Create your first API key"):
        expect(checklist(page).filter(has_text=item)).to_have_count(1)
    accessible(page)
    snapshot(page, "overview-checklist")

    # Each item links to where it is done; once done, it is gone from the list.
    page.get_by_role("link", name="Create a key").click()
    on_tab(page, "API Keys")
    page.get_by_label("Name", exact=True).fill("Production")
    page.get_by_label("organization:read").check()
    page.get_by_role("button", name="Create Token", exact=True).click()
    expect(page.get_by_test_id("new-api-key")).to_be_visible()
    go(page, "Overview", OVERVIEW)
    expect(checklist(page)).to_have_count(2)
    expect(checklist(page).filter(has_text="Create your first API key")).to_have_count(0)

    page.get_by_role("link", name="Set up two-factor").click()
    on_tab(page, "Security")
    # Sessions in words, the current one marked; the registration's API client keeps its own string.
    current = page.get_by_role("row").filter(has_text="This session")
    expect(current).to_contain_text("Chrome on Linux")
    expect(current).not_to_contain_text("Mozilla/5.0")
    page.get_by_role("button", name="Set up two-factor").click()
    totp = pyotp.TOTP(page.get_by_test_id("totp-secret").text_content())
    page.get_by_label("Code from your authenticator app", exact=True).fill(totp.now())
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Turn two-factor on").click()
    page.get_by_role("button", name="I have saved them").click()
    go(page, "Overview", OVERVIEW)
    expect(checklist(page)).to_have_count(1)
    expect(checklist(page)).to_contain_text("Verify your email")

    page.goto(mailed_link(client, email))
    page.get_by_role("button", name="Verify my email").click()
    expect(page.get_by_text("Your email address is verified.")).to_be_visible()
    page.goto("/")
    shows(page, OVERVIEW)
    expect(page.get_by_role("list", name="Not set up yet")).to_have_count(0)
    expect(page.get_by_text("You are all set")).to_be_visible()

    # The activity says it in sentences: actor, subject, time.
    go(page, "Activity", "Activity")
    created = page.get_by_role("row").filter(has_text="You created the key Production")
    expect(created).to_have_count(1)
    expect(created.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-\d\d-\d\dT"))
    expect(page.get_by_role("row").filter(has_text="You turned on two-factor sign-in")).to_have_count(1)


def test_destructive_actions_wait_behind_a_button_and_a_confirmation(open_context, client: Client):
    page, email = new_user_signed_in(open_context, client)
    open_settings(page, "Profile")
    # Deleting the account: a button opens the form; Cancel closes it again, and nothing was sent.
    expect(page.get_by_role("button", name="Delete my account")).to_have_count(0)
    page.get_by_role("button", name="Delete account").click()
    expect(page.get_by_role("button", name="Delete my account")).to_be_visible()
    expect(page.get_by_label("I understand this cannot be undone")).to_be_visible()
    accessible(page)
    snapshot(page, "settings-profile-delete-open")
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("button", name="Delete my account")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete account")).to_be_focused()
    # The API's refusal shows next to the control that sent it.
    page.get_by_role("button", name="Delete account").click()
    page.get_by_role("form", name="Delete account").get_by_label("Password", exact=True).fill("not my password")
    page.get_by_label("I understand this cannot be undone").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator("form[aria-label='Delete account'] .form-error")).to_be_visible()
    page.goto("/")
    shows(page, OVERVIEW)  # still here

    # Ending a session: a button, then the question and the confirming button.
    phone = open_context(user_agent=IPHONE).new_page()
    sign_in(phone, email)
    shows(phone, OVERVIEW)
    open_settings(page, "Security")
    other = page.get_by_role("row").filter(has_text=PHONE)
    expect(other.get_by_role("button", name="End session")).to_have_count(0)
    other.get_by_role("button", name="End").click()
    expect(other).to_contain_text("End this session?")
    other.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("row").filter(has_text=PHONE)).to_have_count(1)


def test_every_page_light_and_dark_keyboard_and_axe_clean(open_context, client: Client):
    page, email = new_user_signed_in(open_context, client)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for path, heading in PAGES:
            page.goto(path)
            shows(page, heading)
            expect(page.locator(HEADING)).to_be_focused()
            page.wait_for_load_state("networkidle")
            assert page.evaluate("getComputedStyle(document.body).backgroundColor") == BACKGROUND[scheme]
            accessible(page)
            snapshot(page, f"page-{path.strip('/').replace('/', '-') or 'overview'}-{scheme}")
        sign_out(page)
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == BACKGROUND[scheme]
        accessible(page)
        snapshot(page, f"page-sign-in-{scheme}")
        sign_in(page, email)
        shows(page, OVERVIEW)


DEVICES = {
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
    "Safari/537.36": "Chrome on macOS",
    IPHONE: PHONE,
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 "
    "Edg/131.0.0.0": "Edge on Windows",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0": "Firefox on Linux",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile "
    "Safari/537.36": "Chrome on Android",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 "
    "Safari/605.1.15": "Safari on macOS",
    "python-requests/2.32.3": None,  # an API client's own string: shown as it is
    "": None,
}


def test_the_session_list_names_browsers_and_systems_in_words(open_context):
    page = open_context().new_page()
    page.goto("/sign-in")
    shows(page, "Sign in")
    named = page.evaluate("async (agents) => { const { device } = await import('/js/ui.js'); "
                          "return agents.map((agent) => device(agent)); }", list(DEVICES))
    assert dict(zip(DEVICES, named, strict=True)) == DEVICES


def test_the_current_address_cancels_then_approves_a_change_from_its_emailed_link(open_context, client: Client):
    """The link mailed to the current address opens a page that cancels or approves the change; the
    account moves only once the new address confirms it too."""
    from tests.e2e.test_account_takeback import APPROVE, ask_to_move, verified_owner
    from tests.e2e.test_recovery import CONFIRM_NEW

    owner = verified_owner(client)
    email, auth = owner["user"]["email"], owner["auth"]

    def pending() -> str | None:
        return client.get("/v1/auth/me", headers=auth).json()["data"]["pendingEmail"]

    def approval_link(nth: int) -> str:
        """The dashboard link of the `nth` approval mailed to the current address, once it has arrived."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            approvals = [m for m in client.mail(email) if m["subject"] == APPROVE]
            if len(approvals) >= nth:
                link = next(word for word in approvals[0]["text"].split() if "token=" in word)
                return f"{urlsplit(link).path}?{urlsplit(link).query}"
            time.sleep(0.5)
        raise AssertionError(f"no approval number {nth} mailed to {email}")

    page = open_context().new_page()
    unwanted = unique_email("unwanted")
    ask_to_move(client, auth, unwanted)
    page.goto(approval_link(1))
    shows(page, "A change of your email address")
    accessible(page)
    page.get_by_role("button", name="Cancel the change").click()
    expect(page.locator("main")).to_contain_text("The change is cancelled")
    expect(page.get_by_role("button", name="Approve the change")).to_have_count(0)
    assert pending() is None

    wanted = unique_email("wanted")
    ask_to_move(client, auth, wanted)
    page.goto(approval_link(2))
    page.get_by_role("button", name="Approve the change").click()
    expect(page.locator("main")).to_contain_text("once the new address confirms it")
    assert pending() == wanted
    page.goto(f"/confirm-email?token={client.mailed_token(wanted, CONFIRM_NEW)}")
    page.get_by_role("button", name="Confirm the new address").click()
    expect(page.locator("main")).to_contain_text("verified")
    signed_in = client.post("/v1/auth/login", json={"email": wanted, "password": PASSWORD})
    assert signed_in.status_code == 200 and signed_in.json()["data"]["user"]["email"] == wanted, signed_in.text


def test_every_audit_event_type_reads_as_a_sentence_in_the_activity_page():
    """The activity page words each event type the API writes (pages.js `sentence`); one it does not know
    would show as its raw id."""
    from tests.support import ROOT

    source = (ROOT / "dashboard" / "js" / "pages.js").read_text()
    table = source[source.index("function sentence("):source.index("function notFound(")]
    assert [t for t in audit.TYPES if f'"{t}":' not in table] == []

"""Passwordless sign-in in a real browser: a magic link clicked on the local mailbox's page, and a code
typed from the mailbox, each ending signed in with the address verified and no secret left behind."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_dashboard_journeys import OVERVIEW, accessible, no_secret_left, shows, sign_out
from tests.support import Client


def newest(client: Client, to: str, subject: str, count: int) -> dict:
    (message, *_) = [m for m in client.mail(to, count) if m["subject"] == subject]
    return message


def test_sign_in_with_a_magic_link_from_the_mailbox_then_with_an_email_code(open_context, client: Client):
    email = client.register()["user"]["email"]
    page = open_context().new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))

    page.goto("/sign-in")
    shows(page, "Sign in")
    page.get_by_role("link", name="Email me a link").click()
    shows(page, "Sign in with a link")
    accessible(page)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("status")).to_contain_text("A sign-in link")
    newest(client, email, "Your sign-in link", 2)
    # As a person does it: the local mailbox's page, and a click on the link in the message.
    page.goto(f"/_local/mail/?to={email}")
    page.get_by_role("link", name=re.compile(r"magic-link\?token=")).first.click()
    shows(page, "Sign in")
    accessible(page)
    page.get_by_role("button", name="Sign in", exact=True).click()
    shows(page, OVERVIEW)
    expect(page.locator(".facts")).to_contain_text("(verified)")
    no_secret_left(page, console)

    sign_out(page)
    page.get_by_role("link", name="Email me a code").click()
    shows(page, "Sign in with a code")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Email me a code").click()
    code_field = page.get_by_label("Six-digit code")
    expect(code_field).to_be_visible()
    accessible(page)
    code = re.search(r"code is (\d{6})", newest(client, email, "Your sign-in code", 3)["text"]).group(1)
    code_field.fill(code)
    page.get_by_role("button", name="Sign in", exact=True).click()
    shows(page, OVERVIEW)
    no_secret_left(page, console)

"""Sign in with a provider in a real browser, the whole redirect dance: the dashboard's sign-in page
shows the provider's button, a click takes the person to the upstream OpenID provider (oidc-provider-mock,
started by `--federation-mock` as `make dev FEDERATION_MOCK=1` does), they sign in there and land on
the dashboard signed in; settings lists the linked provider; a second visit signs the same account in.
An address an existing account already uses is refused with the page's explanation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from local import federation_mock
from tests.browser.conftest import SCREENSHOTS, TIMEOUT_MS
from tests.browser.test_dashboard_journeys import OVERVIEW, accessible, no_secret_left, shows, sign_out
from tests.support import LocalApiProcess, unique_email


@pytest.fixture(scope="module")
def federated(tmp_path_factory):
    process = LocalApiProcess(tmp_path_factory.mktemp("federation-browser") / "server.log", "--ephemeral",
                              "--no-demo", "--federation-mock")
    process.issuer = re.search(r"upstream OpenID provider \(oidc-provider-mock\): (\S+)", process.log.read_text())[1]
    yield process
    process.stop()


@pytest.fixture
def page(browser, federated, request):
    context = browser.new_context(base_url=federated.base_url)
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    opened.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def at_the_provider(page, subject: str) -> None:
    """The person on the provider's page: types who they are there and authorizes."""
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.get_by_placeholder("Subject").fill(subject)
    page.get_by_role("button", name="Authorize", exact=True).click()


def test_a_person_signs_in_with_the_provider_and_lands_signed_in(page, federated):
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    email = unique_email("browser-fed")
    federation_mock.set_user(federated.issuer, "browser-person", email=email, email_verified=True, name="Grace Fed")

    page.goto("/sign-in")
    shows(page, "Sign in")
    accessible(page)
    page.get_by_role("button", name=f"Sign in with {federation_mock.NAME}").click()
    at_the_provider(page, "browser-person")
    shows(page, OVERVIEW)
    expect(page.get_by_role("banner")).to_contain_text(email)
    no_secret_left(page, console)

    page.goto("/settings/security")
    expect(page.get_by_role("table", name="Your linked sign-in providers")).to_contain_text(federation_mock.NAME)

    sign_out(page)
    page.get_by_role("button", name=f"Sign in with {federation_mock.NAME}").click()
    at_the_provider(page, "browser-person")
    shows(page, OVERVIEW)
    expect(page.get_by_role("banner")).to_contain_text(email)


def test_an_address_an_account_uses_unverified_is_refused_with_the_way_to_link(page, federated):
    import requests

    email = unique_email("browser-taken")
    answer = requests.post(f"{federated.base_url}/v1/auth/register", timeout=30, json={
        "email": email, "password": "correct horse battery staple", "name": "Taken"})
    assert answer.status_code == 201, answer.text
    federation_mock.set_user(federated.issuer, "browser-taker", email=email, email_verified=False)

    page.goto("/sign-in")
    page.get_by_role("button", name=f"Sign in with {federation_mock.NAME}").click()
    at_the_provider(page, "browser-taker")
    shows(page, "Sign in")
    expect(page.get_by_role("alert")).to_contain_text("link this provider")
    assert "error=" not in page.url


def test_two_factor_still_applies_after_the_provider(page, federated):
    """An account with two-factor on, its address verified, signs in with a provider whose address is
    verified too: the identity is linked, and the dashboard asks for the code before the Overview."""
    import pyotp

    from tests.support import Client

    client = Client(federated.base_url)
    email = unique_email("browser-fed-2fa")
    tokens = client.register(email)
    token = client.mailed_token(email, "Confirm your email address")
    assert client.post("/v1/auth/verify-email", json={"token": token}).status_code == 200
    secret = client.enable_two_factor(tokens["accessToken"])["secret"]
    federation_mock.set_user(federated.issuer, "browser-2fa", email=email, email_verified=True)

    page.goto("/sign-in")
    page.get_by_role("button", name=f"Sign in with {federation_mock.NAME}").click()
    at_the_provider(page, "browser-2fa")
    code = page.get_by_label("Code from your authenticator app, or a recovery code")
    expect(code).to_be_visible()
    assert "pendingToken" not in page.url  # read once, then out of the address bar
    accessible(page)
    code.fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Verify").click()
    shows(page, OVERVIEW)
    expect(page.get_by_role("banner")).to_contain_text(email)

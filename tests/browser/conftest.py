"""Browser fixtures: headless Chromium (tests.browser.chromium) driven by Playwright against the local
API process the end-to-end tests share, which serves the dashboard as `make dev` does.

Every test's pages are photographed when it ends, passed or failed, into test-results/browser/."""

from __future__ import annotations

import re

import pytest
import requests

from tests.browser import chromium
from tests.support import ROOT, Client

SCREENSHOTS = ROOT / "test-results" / "browser"
# The flags a root, closed-network machine needs (no sandbox as root; no calls home).
_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--no-first-run", "--disable-quic"]
TIMEOUT_MS = 60_000  # cold starts of the functions behind a page, on two shared cores


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    found = chromium.find()
    if found is None:
        pytest.fail("No Chromium for the browser tests: `make test` installs one (python -m tests.browser.chromium)")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=found[0], args=_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def open_context(browser, client: Client, request):
    """open_context(**options) -> a new browser context (a device of its own: its own cookies) on the local API."""
    contexts = []

    def open_one(**options):
        context = browser.new_context(base_url=client.base_url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_one
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"\W+", "-", request.node.name).strip("-")
    for i, context in enumerate(contexts):
        for j, page in enumerate(context.pages):
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{i}{j}.png"), full_page=True)
        context.close()


def snapshot(page, name: str, full_page: bool = True) -> None:
    """A screenshot of the page as it is now, for a person to look at: test-results/browser/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def served(client: Client) -> set[str]:
    """The API's paths as its OpenAPI document lists them: which of the dashboard's routes exist here."""
    return set(requests.get(client.base_url + "/openapi.json", timeout=30).json()["paths"])


def step_up_once(page, url_glob: str) -> None:
    """The API's step-up answer (403 REAUTHENTICATION_REQUIRED), given once to the next POST to
    `url_glob`: a sign-in in these journeys is always fresh, so the real API would not ask yet. The
    dashboard's dialog then re-authenticates for real and sends the request again, which goes through."""
    refusal = {"success": False, "error": {"code": "REAUTHENTICATION_REQUIRED", "message": "Sign in again",
                                           "details": [{"maxAge": 600}]}}
    answered = []

    def once(route):
        if route.request.method == "POST" and not answered:
            answered.append(True)
            return route.fulfill(status=403, json=refusal)
        return route.continue_()

    page.route(url_glob, once)

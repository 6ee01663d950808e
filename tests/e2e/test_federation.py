"""Federation over HTTP against the local runtime as `make dev FEDERATION_MOCK=1` runs it: the built
functions (Authlib and joserfc imported from the federation layer's build, in their sandboxes), the
upstream OpenID provider (oidc-provider-mock) started by `--federation-mock`. A person's redirect
dance, followed by hand: start, sign in at the provider, back to the callback, then the dashboard's
refresh in cookie mode and who is signed in."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import requests

from local import federation_mock
from tests.support import LocalApiProcess, unique_email


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    process = LocalApiProcess(tmp_path_factory.mktemp("federation") / "server.log", "--ephemeral", "--no-demo",
                              "--federation-mock")
    process.issuer = re.search(r"upstream OpenID provider \(oidc-provider-mock\): (\S+)", process.log.read_text())[1]
    yield process
    process.stop()


def cookie(answer: requests.Response, name: str) -> str:
    """A cookie's value from the answer's Set-Cookie headers (Secure cookies: requests' jar keeps them
    from plain http, a browser on localhost does not)."""
    for value in answer.raw.headers.getlist("Set-Cookie"):
        if value.startswith(f"{name}=") and "Max-Age=0" not in value:
            return value.split(";")[0].split("=", 1)[1]
    return ""


def test_a_person_signs_in_with_the_mock_provider_and_lands_signed_in(local):
    base = local.base_url
    providers = requests.get(f"{base}/v1/auth/providers", timeout=10).json()["data"]["providers"]
    assert providers == [{"id": "oidc", "name": federation_mock.NAME}]

    email = unique_email("e2e-fed")
    federation_mock.set_user(local.issuer, "person-1", email=email, email_verified=True, name="Ada Fed")
    started = requests.get(f"{base}/v1/auth/oauth/oidc/start", params={"returnTo": "/settings"},
                           allow_redirects=False, timeout=10)
    assert started.status_code == 302 and started.headers["Location"].startswith(f"{local.issuer}/oauth2/authorize")
    browser = cookie(started, "latchkey_oauth")

    at_provider = requests.post(started.headers["Location"], data={"sub": "person-1"}, allow_redirects=False,
                                timeout=10)
    back = at_provider.headers["Location"]
    assert back.startswith(f"{base}/v1/auth/oauth/oidc/callback?")
    landed = requests.get(back, headers={"Cookie": f"latchkey_oauth={browser}"}, allow_redirects=False, timeout=10)
    assert landed.status_code == 302 and landed.headers["Location"] == f"{base}/settings", landed.text
    refresh = cookie(landed, "latchkey_refresh")
    assert refresh

    # The dashboard's reload: a refresh in cookie mode, then who is signed in.
    tokens = requests.post(f"{base}/v1/auth/refresh", json={}, timeout=10, headers={
        "X-Token-Transport": "cookie", "Origin": base, "Cookie": f"latchkey_refresh={refresh}"})
    assert tokens.status_code == 200, tokens.text
    me = requests.get(f"{base}/v1/auth/me", headers={"Authorization": f"Bearer {tokens.json()['data']['accessToken']}"},
                      timeout=10).json()["data"]
    assert me["email"] == email and me["emailVerified"] is True

    # The same callback again: the state is spent.
    replay = requests.get(back, headers={"Cookie": f"latchkey_oauth={browser}"}, allow_redirects=False, timeout=10)
    assert urlsplit(replay.headers["Location"]).query == "error=INVALID_OAUTH_STATE"

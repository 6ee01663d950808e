"""Cookie mode (the dashboard's refresh token in an HttpOnly cookie) over HTTP: a page of another origin
can neither use nor plant the cookie (CSRF), the cookie alone is never a credential, and every other
client keeps the JSON-body flow exactly."""

from __future__ import annotations

import threading

import pytest

from tests.support import PASSWORD, Client

COOKIE_MODE = {"X-Token-Transport": "cookie"}


def own_origin(client: Client) -> dict[str, str]:
    return {**COOKIE_MODE, "Origin": client.base_url}


def sign_in(client: Client, email: str, headers: dict[str, str]):
    return client.post("/v1/auth/login", json={"email": email, "password": PASSWORD}, headers=headers)


def refresh_cookie(response) -> str:
    return response.cookies.get("latchkey_refresh") or ""


@pytest.mark.parametrize("origin", ["https://evil.example", "null", None])
def test_cookie_mode_from_another_origin_or_none_is_refused_before_the_password_is_checked(client: Client, origin):
    email = client.register()["user"]["email"]
    headers = {**COOKIE_MODE, **({"Origin": origin} if origin else {})}
    for _ in range(6):  # past the lockout threshold, had they been checked
        refused = client.post("/v1/auth/login", json={"email": email, "password": "wrong password"}, headers=headers)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "CROSS_SITE_REQUEST"
        assert "Set-Cookie" not in refused.headers
    assert sign_in(client, email, {}).status_code == 200  # nothing was counted: not locked


def test_sign_in_in_cookie_mode_sets_the_cookie_and_leaves_it_out_of_the_body(client: Client):
    email = client.register()["user"]["email"]
    signed_in = sign_in(client, email, own_origin(client))
    assert signed_in.status_code == 200
    assert "refreshToken" not in signed_in.json()["data"] and signed_in.json()["data"]["accessToken"]
    attributes = [part.strip() for part in signed_in.headers["Set-Cookie"].split(";")]
    assert attributes[0].startswith("latchkey_refresh=eyJ")
    assert set(attributes[1:]) == {"Path=/v1/auth", "Max-Age=604800", "HttpOnly", "Secure", "SameSite=Strict"}


def test_the_seeds_json_flow_sets_no_cookie_and_ignores_one(client: Client):
    email = client.register()["user"]["email"]
    cookie = refresh_cookie(sign_in(client, email, own_origin(client)))
    plain = sign_in(client, email, {})
    assert "Set-Cookie" not in plain.headers and plain.json()["data"]["refreshToken"]
    # Without the header the cookie is no credential: a form or a simple request cannot refresh with it.
    ignored = client.post("/v1/auth/refresh", json={}, cookies={"latchkey_refresh": cookie})
    assert ignored.status_code == 401 and ignored.json()["error"]["code"] == "NO_REFRESH_TOKEN"
    body_flow = client.post("/v1/auth/refresh", json={"refreshToken": plain.json()["data"]["refreshToken"]})
    assert body_flow.status_code == 200


def test_refresh_in_cookie_mode_rotates_the_cookie_and_needs_the_sites_origin(client: Client):
    email = client.register()["user"]["email"]
    cookie = refresh_cookie(sign_in(client, email, own_origin(client)))
    cross = client.post("/v1/auth/refresh", json={}, cookies={"latchkey_refresh": cookie},
                        headers={**COOKIE_MODE, "Origin": "https://evil.example"})
    assert cross.status_code == 403 and cross.json()["error"]["code"] == "CROSS_SITE_REQUEST"
    # A body token is not read in cookie mode: only the cookie.
    rotated = client.post("/v1/auth/refresh", json={"refreshToken": "ignored"}, cookies={"latchkey_refresh": cookie},
                          headers=own_origin(client))
    assert rotated.status_code == 200, rotated.text
    assert "refreshToken" not in rotated.json()["data"]
    assert refresh_cookie(rotated) not in ("", cookie)
    me = client.get("/v1/auth/me", headers=client.bearer(rotated.json()["data"]["accessToken"]))
    assert me.json()["data"]["email"] == email


def test_two_tabs_refreshing_the_same_cookie_at_once_both_stay_signed_in(client: Client):
    email = client.register()["user"]["email"]
    cookie = refresh_cookie(sign_in(client, email, own_origin(client)))
    answers, start = [], threading.Barrier(2)

    def tab():
        start.wait()
        answers.append(client.post("/v1/auth/refresh", json={}, cookies={"latchkey_refresh": cookie},
                                   headers=own_origin(client)))

    tabs = [threading.Thread(target=tab) for _ in range(2)]
    for thread in tabs:
        thread.start()
    for thread in tabs:
        thread.join()
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    # The grace rule gives both the same new cookie: the family did not fork, nothing was revoked.
    assert refresh_cookie(answers[0]) == refresh_cookie(answers[1])
    again = client.post("/v1/auth/refresh", json={}, cookies={"latchkey_refresh": refresh_cookie(answers[0])},
                        headers=own_origin(client))
    assert again.status_code == 200


def test_logout_in_cookie_mode_clears_the_cookie(client: Client):
    email = client.register()["user"]["email"]
    signed_in = sign_in(client, email, own_origin(client))
    cookie = refresh_cookie(signed_in)
    bearer = client.bearer(signed_in.json()["data"]["accessToken"])
    out = client.post("/v1/auth/logout", headers={**own_origin(client), **bearer})
    assert out.status_code == 200
    assert out.headers["Set-Cookie"].startswith("latchkey_refresh=;") and "Max-Age=0" in out.headers["Set-Cookie"]
    dead = client.post("/v1/auth/refresh", json={}, cookies={"latchkey_refresh": cookie}, headers=own_origin(client))
    assert dead.status_code == 401 and dead.json()["error"]["code"] == "SESSION_REVOKED"

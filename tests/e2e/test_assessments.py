"""Assessments over HTTP: pages oldest first behind an opaque cursor that stays inside the caller's
organization, and paging parameters checked strictly."""

import pytest

from tests.conftest import Client


def test_assessments_page_oldest_first_with_an_opaque_cursor(client: Client):
    admin = client.register()
    auth = client.bearer(admin["accessToken"])
    for i in range(5):
        assert client.post("/v1/assessments", headers=auth, json={"title": f"t{i}"}).status_code == 201
    titles, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/assessments", headers=auth, params=params)
        data = page.json()["data"]
        titles += [a["title"] for a in data["assessments"]]
        cursor = data["nextCursor"]
        if not cursor:
            break
    assert titles == [f"t{i}" for i in range(5)]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"limit": "x"}, {"cursor": "%%%"}])
def test_bad_paging_parameters_are_400(client: Client, params):
    admin = client.register()
    response = client.get("/v1/assessments", headers=client.bearer(admin["accessToken"]), params=params)
    assert response.status_code == 400 and response.json()["error"]["code"] in ("VALIDATION_FAILED", "INVALID_CURSOR")


def test_a_cursor_never_reaches_another_organizations_assessments(client: Client):
    victim, attacker = client.register(), client.register()
    for title in ("secret-1", "secret-2", "secret-3"):
        client.post("/v1/assessments", headers=client.bearer(victim["accessToken"]), json={"title": title})
    page = client.get("/v1/assessments", headers=client.bearer(victim["accessToken"]), params={"limit": 1})
    cursor = page.json()["data"]["nextCursor"]
    stolen = client.get("/v1/assessments", headers=client.bearer(attacker["accessToken"]), params={"cursor": cursor})
    assert stolen.status_code == 200 and stolen.json()["data"]["assessments"] == []


def test_a_unicode_digit_limit_is_a_400(client: Client):
    admin = client.register()
    response = client.get("/v1/assessments?limit=%C2%B2", headers=client.bearer(admin["accessToken"]))
    assert response.status_code == 400

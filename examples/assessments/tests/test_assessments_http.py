"""Assessments over HTTP: created and listed within one organization, pages oldest first behind an
opaque cursor that stays inside the caller's organization, paging parameters checked strictly, keys
that see their own organization's only, and the organization's assessments and candidates deleted
with its last member."""

import pytest

from tests.support import PASSWORD, Client


def test_an_admin_creates_and_lists_assessments(client: Client):
    data = client.register()
    empty = client.get("/v1/assessments", headers=client.bearer(data["accessToken"]))
    assert empty.status_code == 200 and empty.json()["data"]["assessments"] == []

    created = client.post("/v1/assessments", headers=client.bearer(data["accessToken"]),
                          json={"title": "Systems design", "description": "COBOL"})
    assert created.status_code == 201
    listed = client.get("/v1/assessments", headers=client.bearer(data["accessToken"])).json()["data"]["assessments"]
    assert [a["title"] for a in listed] == ["Systems design"]


def test_organizations_do_not_see_each_others_assessments(client: Client):
    first, second = client.register(), client.register()
    client.post("/v1/assessments", headers=client.bearer(first["accessToken"]), json={"title": "Private"})
    theirs = client.get("/v1/assessments", headers=client.bearer(second["accessToken"])).json()["data"]
    assert theirs["assessments"] == []


def test_blank_assessment_title_is_refused(client: Client):
    admin = client.register()
    bad = client.post("/v1/assessments", headers=client.bearer(admin["accessToken"]), json={"title": ""})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "VALIDATION_FAILED"
    assert bad.json()["error"]["details"] == [{"field": "title", "message": "must not be empty"}]


def test_organizations_never_see_each_others_assessments_through_keys(client: Client):
    first, second = client.register(), client.register()
    mine = client.post("/v1/assessments", headers=client.bearer(first["accessToken"]), json={"title": "Mine"})
    assessment_id = mine.json()["data"]["id"]
    own_key, other_key = (_key(client, owner) for owner in (first, second))
    assert client.get(f"/v1/public/assessments/{assessment_id}", headers={"X-API-Key": own_key}).status_code == 200
    stolen = client.get(f"/v1/public/assessments/{assessment_id}", headers={"X-API-Key": other_key})
    assert stolen.status_code == 404 and "Mine" not in stolen.text
    assert client.get("/v1/public/assessments", headers={"X-API-Key": other_key}).json()["data"]["assessments"] == []


def test_a_deleted_sole_organization_takes_its_assessments_and_candidates_with_it(client: Client):
    """The delete-account function calls the module's hook (declaration.py, on_organization_deleted)."""
    owner = client.register()
    auth, organization = client.bearer(owner["accessToken"]), owner["user"]["organizationId"]
    assessment = client.post("/v1/assessments", headers=auth, json={"title": "T"}).json()["data"]["id"]
    invited = client.post("/v1/public/candidates", headers=auth,
                          json={"assessmentId": assessment, "email": "grace@example.com", "name": "Grace"})
    assert invited.status_code == 201, invited.text
    deleted = client.post("/v1/auth/delete-account", headers=auth, json={"password": PASSWORD})
    assert deleted.status_code == 200, deleted.text
    for table in ("assessments", "candidates"):
        assert not [i for i in client.table_items(table) if i["organizationId"]["S"] == organization], table


def _key(client: Client, owner: dict) -> str:
    response = client.post("/v1/api-keys", headers=client.bearer(owner["accessToken"]),
                           json={"name": "k", "scopes": ["assessments:read"]})
    assert response.status_code == 201, response.text
    return response.json()["data"]["key"]


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

"""The public integration API over HTTP: invite with a key -> list -> complete -> follow the redirect
URL's `result` -> exchange with a key; and every refusal on the way."""

import json
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from assessments_example.records import RESULT

from latchkey.rules import tokens
from tests.support import Client

ALL = ["assessments:read", "candidates:read", "candidates:write", "results:read"]


@pytest.fixture
def org(client: Client) -> dict:
    """An admin, their organization's assessment and a key with every scope."""
    admin = client.register()
    auth = client.bearer(admin["accessToken"])
    assessment = client.post("/v1/assessments", headers=auth, json={"title": "Screen"}).json()["data"]
    key = client.post("/v1/api-keys", headers=auth, json={"name": "int", "scopes": ALL}).json()["data"]["key"]
    return {"admin": admin, "auth": auth, "assessment": assessment["id"], "key": {"X-API-Key": key}}


def invite(client, org, **extra):
    body = {"assessmentId": org["assessment"], "email": "grace@example.com", "name": "Grace Hopper", **extra}
    return client.post("/v1/public/candidates", headers=org["key"], json=body)


def complete(client, token, answers=None):
    return client.post("/v1/candidate/complete", json={"invitationToken": token, "answers": answers or {"q1": "B"}})


def set_redirect(client, org, url):
    return client.request("PATCH", "/v1/organization", headers=org["auth"], json={"resultRedirectUrl": url})


def test_the_whole_flow(client: Client, org):
    assert set_redirect(client, org, "https://app.example.com/done?source=latchkey&x=a%20b").status_code == 200
    invited = invite(client, org)
    assert invited.status_code == 201
    candidate = invited.json()["data"]
    assert candidate["status"] == "invited" and candidate["id"].startswith("cand_")
    token = candidate["invitationToken"]
    assert len(token.split(".")[1]) >= 22, "at least 128 random bits"

    listed = client.get("/v1/public/candidates", headers=org["key"], params={"assessmentId": org["assessment"]})
    assert [c["id"] for c in listed.json()["data"]["candidates"]] == [candidate["id"]]
    assert token not in listed.text and "invitationToken" not in listed.text
    one = client.get(f"/v1/public/candidates/{candidate['id']}", headers=org["key"])
    assert one.status_code == 200 and token not in one.text
    assert one.json()["data"] == {k: v for k, v in candidate.items() if k != "invitationToken"}, "one shape"

    done = complete(client, token, {"q1": "B", "essay": "Ünïcode & <tags>"})
    assert done.status_code == 200
    redirect = urlsplit(done.json()["data"]["redirectUrl"])
    query = parse_qs(redirect.query)
    assert (redirect.scheme, redirect.netloc, redirect.path) == ("https", "app.example.com", "/done")
    assert query["source"] == ["latchkey"] and query["x"] == ["a b"]
    result = query["result"][0]
    assert jwt.decode(result, options={"verify_signature": False})["typ"] == "result"

    exchanged = client.get(f"/v1/public/results/{result}", headers=org["key"])
    assert exchanged.status_code == 200
    assert exchanged.json()["data"] == {
        "candidateId": candidate["id"], "assessmentId": org["assessment"],
        "candidate": {"name": "Grace Hopper", "email": "grace@example.com"},
        "answers": {"q1": "B", "essay": "Ünïcode & <tags>"}, "completedAt": exchanged.json()["data"]["completedAt"]}
    by_dashboard = client.get(f"/v1/public/results/{result}", headers=org["auth"])
    assert by_dashboard.status_code == 200
    status = client.get(f"/v1/public/candidates/{candidate['id']}", headers=org["key"]).json()["data"]
    assert status["status"] == "completed" and status["completedAt"]


def test_without_a_redirect_url_the_result_token_comes_back_itself(client: Client, org):
    done = complete(client, invite(client, org).json()["data"]["invitationToken"])
    assert set(done.json()["data"]) == {"resultToken"}


def test_an_invitation_completes_once(client: Client, org):
    token = invite(client, org).json()["data"]["invitationToken"]
    assert complete(client, token).status_code == 200
    again = complete(client, token, {"q1": "changed"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "INVITATION_USED"
    assert "resultToken" not in again.text and "redirectUrl" not in again.text


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
                                    lambda t: t.split(".")[0], lambda t: "cand_000000000000000000000000.x",
                                    lambda t: ""])
def test_a_wrong_invitation_token_issues_nothing(client: Client, org, mangle):
    token = invite(client, org).json()["data"]["invitationToken"]
    response = complete(client, mangle(token))
    assert response.status_code in (400, 401)
    assert complete(client, token).status_code == 200, "the real invitation is untouched"


def test_two_organizations_never_see_each_others_candidates_or_results(client: Client, org):
    other_admin = client.register()
    other_auth = client.bearer(other_admin["accessToken"])
    other_key = {"X-API-Key": client.post("/v1/api-keys", headers=other_auth,
                                          json={"name": "x", "scopes": ALL}).json()["data"]["key"]}
    candidate = invite(client, org).json()["data"]
    result = complete(client, candidate["invitationToken"]).json()["data"]["resultToken"]
    assert client.get("/v1/public/candidates", headers=other_key).json()["data"]["candidates"] == []
    assert client.get(f"/v1/public/candidates/{candidate['id']}", headers=other_key).status_code == 404
    foreign = client.get(f"/v1/public/results/{result}", headers=other_key)
    assert foreign.status_code == 404 and "Grace" not in foreign.text and "q1" not in foreign.text
    assert client.get(f"/v1/public/results/{result}", headers=other_auth).status_code == 404
    stolen = client.post("/v1/public/candidates", headers=other_key,
                         json={"assessmentId": org["assessment"], "email": "a@b.co", "name": "N"})
    assert stolen.status_code == 404


def test_scopes_guard_each_step(client: Client, org):
    auth = org["auth"]
    read_only = {"X-API-Key": client.post("/v1/api-keys", headers=auth, json={
        "name": "ro", "scopes": ["candidates:read"]}).json()["data"]["key"]}
    refused = client.post("/v1/public/candidates", headers=read_only,
                          json={"assessmentId": org["assessment"], "email": "a@b.co", "name": "N"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "INSUFFICIENT_SCOPE"
    result = complete(client, invite(client, org).json()["data"]["invitationToken"]).json()["data"]["resultToken"]
    no_results = client.get(f"/v1/public/results/{result}", headers=read_only)
    assert no_results.status_code == 403 and "results:read" in no_results.json()["error"]["message"]


def test_result_token_refusals(client: Client, org):
    result = complete(client, invite(client, org).json()["data"]["invitationToken"]).json()["data"]["resultToken"]
    claims = jwt.decode(result, options={"verify_signature": False})
    ctx = client.token_context(RESULT)
    expired, _ = tokens.issue(ctx, RESULT, 900, now=int(time.time()) - 1000, sub=claims["sub"],
                              org=claims["org"])
    response = client.get(f"/v1/public/results/{expired}", headers=org["key"])
    assert response.status_code == 401 and response.json()["error"]["code"] == "RESULT_TOKEN_EXPIRED"
    header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"
    for bad, code in ((result[:-6], "INVALID_TOKEN"), (f"{header}.{result.split('.')[1]}.", "INVALID_TOKEN"),
                      (org["admin"]["accessToken"], "WRONG_TOKEN_TYPE"),
                      (org["admin"]["refreshToken"], "WRONG_TOKEN_TYPE"),
                      (jwt.encode(claims, "x" * 64, algorithm="HS256"), "INVALID_TOKEN")):
        response = client.get(f"/v1/public/results/{bad}", headers=org["key"])
        assert response.status_code == 401 and response.json()["error"]["code"] == code, (bad, response.text)
    as_bearer = client.get("/v1/auth/me", headers=client.bearer(result))
    assert as_bearer.status_code == 401 and as_bearer.json()["error"]["code"] == "WRONG_TOKEN_TYPE"
    as_refresh = client.post("/v1/auth/refresh", json={"refreshToken": result})
    assert as_refresh.json()["error"]["code"] == "WRONG_TOKEN_TYPE"


@pytest.mark.parametrize("change, code", [
    ({"assessmentId": "not-an-id"}, "INVALID_ASSESSMENT_ID"), ({"assessmentId": 7}, "VALIDATION_FAILED"),
    ({"email": "nope"}, "VALIDATION_FAILED"), ({"name": ""}, "VALIDATION_FAILED"), ({"extra": 1}, "VALIDATION_FAILED"),
    ({"assessmentId": "asm_000000000000000000000000"}, "ASSESSMENT_NOT_FOUND")])
def test_bad_invitations_are_refused_and_store_nothing(client: Client, org, change, code):
    response = invite(client, org, **change)
    assert response.json()["error"]["code"] == code
    assert response.status_code == (404 if code == "ASSESSMENT_NOT_FOUND" else 400)
    assert client.get("/v1/public/candidates", headers=org["key"]).json()["data"]["candidates"] == []


def test_answers_must_be_an_object_of_limited_size(client: Client, org):
    token = invite(client, org).json()["data"]["invitationToken"]
    too_big = complete(client, token, {"essay": "x" * 9000})
    assert too_big.status_code in (400, 413)
    not_object = client.post("/v1/candidate/complete", json={"invitationToken": token, "answers": ["a"]})
    assert not_object.status_code == 400
    assert complete(client, token).status_code == 200, "nothing was recorded by the refusals"


@pytest.mark.parametrize("url, ok", [
    ("https://app.example.com/done", True), ("http://localhost:8080/cb", True), ("http://127.0.0.1/cb?a=1", True),
    ("http://app.example.com/done", False), ("https://app.example.com/done#frag", False), ("/relative", False),
    ("javascript:alert(1)", False), ("https://user:pw@app.example.com/", False),
    ("https://" + "a" * 2050 + ".com", False),
    ("ftp://app.example.com/", False), ("https://app.example.com/a b", False)])
def test_redirect_url_rules(client: Client, org, url, ok):
    response = set_redirect(client, org, url)
    assert (response.status_code == 200) is ok, response.text
    shown = client.get("/v1/organization", headers=org["auth"]).json()["data"]["resultRedirectUrl"]
    assert (shown == url) is ok


def test_redirect_url_can_be_cleared(client: Client, org):
    set_redirect(client, org, "https://app.example.com/done")
    assert set_redirect(client, org, None).json()["data"]["resultRedirectUrl"] is None


def test_result_token_never_reaches_the_log(client: Client, org, server_log):
    result = complete(client, invite(client, org).json()["data"]["invitationToken"]).json()["data"]["resultToken"]
    client.get(f"/v1/public/results/{result}", headers=org["key"])
    client.get(f"/v1/public/results/{result[:-3]}", headers=org["key"])
    log = server_log.read_text()
    assert result not in log and result.split(".")[2] not in log
    assert json.dumps("/v1/public/results/{token}") in log


@pytest.mark.parametrize("url", ["https://*.good.com/", "https://evil.com%00.good.com/", "https://[v1.abc]/",
                                 "https://x.com:0", "https://a..b/", "https://1.2.3.4.5/", "https://ex\u200bample.com/",
                                 "https://good.com\\evil.com/", "https://good.com/\u202egnp"])
def test_lookalike_and_malformed_hosts_are_refused(client: Client, org, url):
    assert set_redirect(client, org, url).status_code == 400


def test_the_redirect_keeps_the_stored_query_byte_for_byte(client: Client, org):
    assert set_redirect(client, org, "https://app.example.com/d?sig=%E9%FF&flag&a=1;b&result=stale").status_code == 200
    done = complete(client, invite(client, org).json()["data"]["invitationToken"])
    url = done.json()["data"]["redirectUrl"]
    assert url.startswith("https://app.example.com/d?sig=%E9%FF&flag&a=1;b&result=")
    assert "stale" not in url


def test_answers_too_deep_to_return_are_refused_up_front(client: Client, org):
    token = invite(client, org).json()["data"]["invitationToken"]
    deep = client.post("/v1/candidate/complete", headers={"Content-Type": "application/json"},
                       data=json.dumps({"invitationToken": token, "answers": {"a": "NEST"}}).replace(
                           '"NEST"', "[" * 40 + "]" * 40))
    assert deep.status_code == 400 and deep.json()["error"]["code"] == "ANSWERS_TOO_DEEP"
    assert complete(client, token).status_code == 200


def test_an_absurd_limit_is_a_400(client: Client, org):
    response = client.get("/v1/public/candidates", headers=org["key"], params={"limit": "0" * 4400 + "5"})
    assert response.status_code == 400

"""Attacks on the skeleton over HTTP (found by attacking it), and what must hold."""

import socket
from urllib.parse import urlparse

import pytest

from tests.conftest import PASSWORD, Client, unique_email


def raw_http(client: Client, payload: bytes) -> bytes:
    url = urlparse(client.base_url)
    with socket.create_connection((url.hostname, url.port), timeout=10, source_address=(client.source_ip, 0)) as sock:
        sock.sendall(payload)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_chunked_body_is_read_as_one_body_and_cannot_smuggle_a_second_request(client: Client):
    body = b'{"email": "nobody@example.com", "password": "wrong password"}'
    smuggled = b"GET /v1/auth/me HTTP/1.1\r\nHost: x\r\n\r\n"
    payload = (b"POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
               + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n" + smuggled)
    answer = raw_http(client, payload)
    assert answer.count(b"HTTP/1.1 ") == 1
    assert answer.startswith(b"HTTP/1.1 401") and b"INVALID_CREDENTIALS" in answer


@pytest.mark.parametrize("length", [b"abc", b"-1", b"1e3"])
def test_unusable_content_length_is_a_400_not_a_hang(client: Client, length):
    answer = raw_http(client, b"POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                              b"Content-Length: " + length + b"\r\n\r\n{}")
    assert answer.startswith(b"HTTP/1.1 400") and b'"success": false' in answer


def test_body_that_is_not_utf8_is_refused_in_the_envelope(client: Client):
    response = client.post("/v1/auth/login", data=b'{"email": "\xff@x.io", "password": "aaaaaaaaaa"}',
                           headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 401)
    assert response.json()["success"] is False


def test_composed_and_decomposed_forms_of_one_email_are_one_account(client: Client):
    local = unique_email("caf\u00e9").split("@")[0]
    client.register(email=f"{local}@example.com")
    decomposed = local.replace("\u00e9", "e\u0301")
    again = client.post("/v1/auth/register", json={"email": f"{decomposed}@example.com", "password": PASSWORD,
                                                   "name": "Twin"})
    assert again.status_code == 409


@pytest.mark.parametrize("change", [{"email": "a\u0000b@example.com"}, {"name": "bell\u0007"},
                                    {"email": "tab\t@example.com"}])
def test_control_characters_in_email_or_name_are_refused(client: Client, change):
    body = {"email": unique_email(), "password": PASSWORD, "name": "Fine", **change}
    assert client.post("/v1/auth/register", json=body).status_code == 400


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


def test_head_and_unusual_methods_get_the_envelope(client: Client):
    assert client.request("TRACE", "/v1/auth/login").status_code == 405
    head = client.request("HEAD", "/v1/nowhere")
    assert head.status_code == 404 and int(head.headers["Content-Length"]) > 0


def test_an_email_that_normalization_blows_up_is_a_400_not_a_500(client: Client):
    body = {"email": "\ufdfa" * 240 + "@a.co", "password": PASSWORD}
    for path in ("/v1/auth/login", "/v1/auth/register"):
        response = client.post(path, json={**body, "name": "N"} if "register" in path else body)
        assert response.status_code == 400, response.text


def test_a_unicode_digit_limit_is_a_400(client: Client):
    admin = client.register()
    response = client.get("/v1/assessments?limit=%C2%B2", headers=client.bearer(admin["accessToken"]))
    assert response.status_code == 400

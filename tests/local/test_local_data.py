"""The local data page (/_local/data): every table's items and every secret's name, read-only, with
what could sign anyone in masked; and the local pages answer this machine's peers only."""

from __future__ import annotations

import socket

import pytest

from local.server import make_server
from tests.e2e.test_two_factor import code_at
from tests.support import PASSWORD, Client

STORED_SECRETS = ("Hash", "Secret", "totpPending", "Spent", "recoveryCode")


def _a_user_with_everything(client: Client) -> dict:
    """A user with a password, a session, an email to verify, two-factor on and an API key."""
    user = client.register()
    auth = client.bearer(user["accessToken"])
    setup = client.post("/v1/auth/2fa/setup", headers=auth).json()["data"]
    enabled = client.post("/v1/auth/2fa/enable", headers=auth,
                          json={"password": PASSWORD, "code": code_at(setup["secret"])})
    assert enabled.status_code == 200, enabled.text
    key = client.post("/v1/api-keys", headers=auth, json={"name": "data page", "scopes": ["organization:read"]})
    assert key.status_code == 201, key.text
    return {**user, "secret": setup["secret"], "key": key.json()["data"]["key"]}


def _stored_secrets(client: Client) -> list[str]:
    """Every hash, sealed secret and one-time token as the tables hold them (read from moto itself)."""
    found = []
    for table in ("accounts", "sessions", "api-keys"):
        for item in client.table_items(table):
            for name, value in item.items():
                if any(part.lower() in name.lower() for part in STORED_SECRETS):
                    found += value.get("SS") or [value.get("S")]
    return [value for value in found if value]


def test_the_data_page_lists_every_table_and_masks_hashes_secrets_and_tokens(client: Client):
    user = _a_user_with_everything(client)
    email = user["user"]["email"]
    answer = client.get("/_local/data")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    data = answer.json()["data"]
    assert {t["name"] for t in data["tables"]} == set(client.aws("dynamodb").list_tables()["TableNames"])
    accounts = next(t["items"] for t in data["tables"] if t["name"].endswith("-accounts"))
    (login,) = [i for i in accounts if i["pk"] == f"EMAIL#{email}"]
    assert login["passwordHash"] == "****" and login["userId"] == user["user"]["id"]
    (person,) = [i for i in accounts if i["pk"] == f"USER#{user['user']['id']}"]
    assert person["email"] == email and person["totpEnabled"] is True
    assert person["totpSecret"] == "****" and person["recoveryCodeHashes"] == "****"
    assert data["secrets"] and all(s["value"] == "****" for s in data["secrets"])

    page = client.get("/_local/data/")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert email in page.text and "<script" not in page.text
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    stored = _stored_secrets(client)
    assert len(stored) >= 5, stored  # the password hash, the TOTP secret, ten recovery codes, key and token hashes
    signing_key = client.secret("signing-keys/access")
    for shown in (answer.text, page.text):
        for secret in (*stored, user["accessToken"], user["refreshToken"], user["key"], user["secret"], signing_key):
            assert secret not in shown


def test_make_dev_prints_the_data_page_at_start(client: Client, server_log):
    assert f"{client.base_url}/_local/data/" in server_log.read_text()


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_the_data_page_is_read_only(client: Client, method: str):
    for path in ("/_local/data", "/_local/data/"):
        answer = client.request(method, path, json={"TableName": "latchkey-dev-accounts"})
        assert answer.status_code == 405 and answer.headers["Allow"] == "GET, HEAD"
    assert "<form" not in client.get("/_local/data/").text


def _ask_as(peer: str, path: str) -> bytes:
    """One request through the local server's own handler, from the TCP peer `peer` (a socket pair
    stands in for a connection from another machine)."""
    server = make_server(stack=None, port=0)
    ours, theirs = socket.socketpair()
    try:
        ours.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        server.RequestHandlerClass(theirs, (peer, 40000), server)
        theirs.close()
        return ours.recv(65536)
    finally:
        ours.close()
        server.server_close()


@pytest.mark.parametrize("path", ["/_local/data", "/_local/data/", "/_local/mail", "/_local/mail/"])
def test_local_pages_refuse_a_peer_that_is_not_this_machine(client: Client, path: str):
    assert client.get(path).status_code == 200  # a loopback peer, however it names the host
    for peer in ("192.0.2.7", "10.0.0.1", "::ffff:192.0.2.7", "2001:db8::1"):
        answer = _ask_as(peer, path)
        assert answer.startswith(b"HTTP/1.1 403 "), answer[:200]
        assert b"LOCAL_ONLY" in answer

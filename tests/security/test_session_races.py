"""Races against the refresh family, with real threads over HTTP and moto behind."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import jwt
import pytest

from tests.support import Client, random_ip


def sid_of(token):
    return jwt.decode(token, options={"verify_signature": False})["sid"]


def session_item(client, sid):
    return next(i for i in client.table_items("sessions") if i["sessionId"]["S"] == sid)


def _warm_refresh_sandboxes(client: Client, count: int = 8) -> None:
    """`count` (the local runtime's most per function) sandboxes of the refresh function started and
    idle: racers that find them warm are all answered within the grace period of the first rotation.
    Cold, eight sandboxes start at once on two busy cores and the last racers come more than the 10 s
    of grace after it: REFRESH_TOKEN_REUSED, a timing failure, not a race the service lost."""
    start = Barrier(count)

    def garbage(_):
        start.wait()
        return client.post("/v1/auth/refresh", json={"refreshToken": "not.a.token"}, source_ip=random_ip()).status_code

    with ThreadPoolExecutor(max_workers=count) as pool:
        assert set(pool.map(garbage, range(count))) == {401}


def test_twenty_concurrent_refreshes_rotate_once_and_agree_on_the_child(client: Client):
    signed_in = client.register()
    _warm_refresh_sandboxes(client)
    start = Barrier(20)
    source_ip = random_ip()  # one device; its own per-IP refresh counter, untouched by earlier tests

    def one(_):
        start.wait()
        return client.post("/v1/auth/refresh", json={"refreshToken": signed_in["refreshToken"]}, source_ip=source_ip)

    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(one, range(20)))
    assert [r.status_code for r in responses] == [200] * 20, [r.text for r in responses if r.status_code != 200]
    children = {r.json()["data"]["refreshToken"] for r in responses}
    assert len(children) == 1, "one rotation; every racer got the same child (grace), no fork"
    item = session_item(client, sid_of(signed_in["refreshToken"]))
    assert item["generation"]["N"] == "1" and "revokedAt" not in item
    assert client.post("/v1/auth/refresh", json={"refreshToken": children.pop()}).status_code == 200


@pytest.mark.parametrize("trial", range(5))
def test_refresh_racing_logout_leaves_nothing_of_the_family_usable(client: Client, trial):
    signed_in = client.register()
    start = Barrier(2)

    def do_refresh():
        start.wait()
        return client.post("/v1/auth/refresh", json={"refreshToken": signed_in["refreshToken"]},
                           source_ip=random_ip())

    def do_logout():
        start.wait()
        return client.post("/v1/auth/logout", headers=client.bearer(signed_in["accessToken"]), source_ip=random_ip())

    with ThreadPoolExecutor(max_workers=2) as pool:
        refreshed, logged_out = [f.result() for f in (pool.submit(do_refresh), pool.submit(do_logout))]
    assert refreshed.status_code in (200, 401) and logged_out.status_code == 200
    issued = [signed_in] + ([refreshed.json()["data"]] if refreshed.status_code == 200 else [])
    for tokens in issued:
        assert client.get("/v1/auth/me", headers=client.bearer(tokens["accessToken"])).status_code == 401
        assert client.post("/v1/auth/refresh", json={"refreshToken": tokens["refreshToken"]}).status_code == 401

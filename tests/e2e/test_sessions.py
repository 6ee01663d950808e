"""Sessions over HTTP: refresh rotation, the grace rule, reuse detection, logout, logout-all and
session management, each as a user's client would see it."""

import jwt

from tests.support import PASSWORD, Client, random_ip


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def refresh(client, token, **kwargs):
    return client.post("/v1/auth/refresh", json={"refreshToken": token}, **kwargs)


def me_status(client, access_token):
    return client.get("/v1/auth/me", headers=client.bearer(access_token)).status_code


def code_of(response):
    return response.json()["error"]["code"]


def test_refresh_returns_a_new_pair_in_the_login_shape(client: Client):
    signed_in = client.register()
    response = refresh(client, signed_in["refreshToken"])
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["accessToken"] == data["token"] and data["tokenType"] == "Bearer" and data["expiresIn"] == 900
    assert data["refreshToken"] != signed_in["refreshToken"]
    new, old = claims(data["refreshToken"]), claims(signed_in["refreshToken"])
    assert (new["sid"], new["gen"]) == (old["sid"], old["gen"] + 1)
    assert new["exp"] == old["exp"], "rotation never extends the session"
    assert me_status(client, data["accessToken"]) == 200


def test_api_prefixed_paths_serve_login_refresh_and_logout(client: Client):
    signed_in = client.register()
    login = client.post("/api/v1/auth/login", json={"email": signed_in["user"]["email"], "password": PASSWORD})
    assert login.status_code == 200 and login.json()["data"]["token"]
    rotated = client.post("/api/v1/auth/refresh", json={"refreshToken": login.json()["data"]["refreshToken"]})
    assert rotated.status_code == 200
    token = rotated.json()["data"]["token"]
    assert client.post("/api/v1/auth/logout", headers=client.bearer(token)).status_code == 200
    assert me_status(client, token) == 401


def test_replaying_the_previous_token_within_grace_returns_the_same_child(client: Client):
    signed_in = client.register()
    first = refresh(client, signed_in["refreshToken"]).json()["data"]
    replay = refresh(client, signed_in["refreshToken"])
    assert replay.status_code == 200
    assert replay.json()["data"]["refreshToken"] == first["refreshToken"], "no fork: the same child comes back"
    assert me_status(client, replay.json()["data"]["accessToken"]) == 200
    onward = refresh(client, first["refreshToken"])
    assert onward.status_code == 200 and claims(onward.json()["data"]["refreshToken"])["gen"] == 2


def test_reusing_an_older_token_revokes_the_whole_family(client: Client):
    signed_in = client.register()
    gen1 = refresh(client, signed_in["refreshToken"]).json()["data"]
    gen2 = refresh(client, gen1["refreshToken"]).json()["data"]
    reused = refresh(client, signed_in["refreshToken"])  # two generations back: never a lost response
    assert reused.status_code == 401 and code_of(reused) == "REFRESH_TOKEN_REUSED"
    assert code_of(refresh(client, gen2["refreshToken"])) == "SESSION_REVOKED"
    for access in (signed_in["accessToken"], gen1["accessToken"], gen2["accessToken"]):
        response = client.get("/v1/auth/me", headers=client.bearer(access))
        assert response.status_code == 401 and code_of(response) == "SESSION_REVOKED"


def test_other_sessions_survive_a_reuse_revocation(client: Client):
    signed_in = client.register()
    other = client.post("/v1/auth/login", json={"email": signed_in["user"]["email"], "password": PASSWORD}).json()
    refresh(client, signed_in["refreshToken"])
    refresh(client, refresh(client, signed_in["refreshToken"]).json()["data"]["refreshToken"])
    assert code_of(refresh(client, signed_in["refreshToken"])) in ("REFRESH_TOKEN_REUSED", "SESSION_REVOKED")
    assert me_status(client, other["data"]["accessToken"]) == 200


def test_access_token_is_refused_by_refresh(client: Client):
    signed_in = client.register()
    response = refresh(client, signed_in["accessToken"])
    assert response.status_code == 401 and code_of(response) == "WRONG_TOKEN_TYPE"


def test_logout_kills_the_access_token_and_the_session(client: Client):
    signed_in = client.register()
    response = client.post("/v1/auth/logout", headers=client.bearer(signed_in["accessToken"]))
    assert response.status_code == 200 and response.json()["data"] == {"loggedOut": True}
    assert me_status(client, signed_in["accessToken"]) == 401
    assert code_of(refresh(client, signed_in["refreshToken"])) == "SESSION_REVOKED"
    access = claims(signed_in["accessToken"])
    (session,) = [i for i in client.table_items("sessions") if i["sessionId"]["S"] == access["sid"]]
    assert session["revokedReason"]["S"] == "logout"
    second = client.post("/v1/auth/logout", headers=client.bearer(signed_in["accessToken"]))
    assert second.status_code == 401


def test_logout_all_ends_every_session_of_the_user_and_only_theirs(client: Client):
    signed_in = client.register()
    email = signed_in["user"]["email"]
    another = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD}).json()["data"]
    stranger = client.register()
    response = client.post("/v1/auth/logout-all", headers=client.bearer(another["accessToken"]))
    assert response.status_code == 200 and response.json()["data"]["sessionsRevoked"] == 2
    assert me_status(client, signed_in["accessToken"]) == 401
    assert me_status(client, another["accessToken"]) == 401
    assert code_of(refresh(client, signed_in["refreshToken"])) == "SESSION_REVOKED"
    assert me_status(client, stranger["accessToken"]) == 200


def test_sessions_are_listed_with_their_origin_and_the_current_one_marked(client: Client):
    signed_in = client.register()
    email = signed_in["user"]["email"]
    phone_ip = random_ip()
    phone = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD},
                        headers={"User-Agent": "LatchkeyPhone/1.0"}, source_ip=phone_ip).json()["data"]
    listed = client.get("/v1/auth/sessions", headers=client.bearer(phone["accessToken"]))
    assert listed.status_code == 200
    sessions = listed.json()["data"]["sessions"]
    assert len(sessions) == 2
    current = [s for s in sessions if s["current"]]
    assert len(current) == 1 and current[0]["id"] == claims(phone["accessToken"])["sid"]
    assert current[0]["userAgent"] == "LatchkeyPhone/1.0" and current[0]["sourceIp"] == phone_ip
    assert {"createdAt", "lastUsedAt", "expiresAt"} <= current[0].keys()


def test_a_session_lists_the_address_it_was_last_used_from(client: Client):
    signed_in = client.register()
    home, cafe = random_ip(), random_ip()
    login = client.post("/v1/auth/login", json={"email": signed_in["user"]["email"], "password": PASSWORD},
                        source_ip=home).json()["data"]
    sid = claims(login["accessToken"])["sid"]

    def listed(token):
        sessions = client.get("/v1/auth/sessions", headers=client.bearer(token)).json()["data"]["sessions"]
        return next(s for s in sessions if s["id"] == sid)

    assert listed(login["accessToken"])["lastIp"] == home
    moved = refresh(client, login["refreshToken"], source_ip=cafe).json()["data"]
    session = listed(moved["accessToken"])
    assert (session["sourceIp"], session["lastIp"]) == (home, cafe), "signed in from home, last used at the cafe"


def test_deleting_a_session_ends_it_and_another_users_session_is_not_found(client: Client):
    signed_in = client.register()
    email = signed_in["user"]["email"]
    laptop = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD}).json()["data"]
    stranger = client.register()
    laptop_sid = claims(laptop["accessToken"])["sid"]
    foreign = client.request("DELETE", f"/v1/auth/sessions/{laptop_sid}",
                             headers=client.bearer(stranger["accessToken"]))
    assert foreign.status_code == 404 and code_of(foreign) == "SESSION_NOT_FOUND"
    assert me_status(client, laptop["accessToken"]) == 200
    deleted = client.request("DELETE", f"/v1/auth/sessions/{laptop_sid}", headers=client.bearer(signed_in["token"]))
    assert deleted.status_code == 200
    assert me_status(client, laptop["accessToken"]) == 401
    assert me_status(client, signed_in["accessToken"]) == 200
    again = client.request("DELETE", f"/v1/auth/sessions/{laptop_sid}", headers=client.bearer(signed_in["token"]))
    assert again.status_code == 404
    junk = client.request("DELETE", "/v1/auth/sessions/not-a-session", headers=client.bearer(signed_in["token"]))
    assert junk.status_code == 404

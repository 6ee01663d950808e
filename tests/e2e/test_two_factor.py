"""TOTP two-factor over HTTP with a real TOTP generator: set up, enable, log in, replay, recovery
codes, pending tokens, disable, and bad input."""

import time

import pyotp
import pytest

from tests.support import PASSWORD, Client, random_ip


def code_at(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


@pytest.fixture
def enrolled(client: Client) -> dict:
    """A user with two-factor on: their tokens, email, secret and recovery codes. Enabled with the
    previous step's code, so the tests can use the current and the next step's (each works once)."""
    user = client.register()
    data = client.enable_two_factor(user["accessToken"])
    assert data["otpauthUrl"].startswith("otpauth://totp/Latchkey:") and data["qrSvg"].startswith("<svg")
    assert len(data["recoveryCodes"]) == 10
    return {**user, "email": user["user"]["email"], "secret": data["secret"], "recovery": data["recoveryCodes"]}


def password_step(client: Client, email: str) -> str:
    response = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200
    data = response.json()["data"]
    # The methods the user has (issue 26): no passkey here.
    assert data == {"requires2FA": True, "pendingToken": data["pendingToken"], "methods": ["totp", "recovery"]}, \
        "no session tokens yet"
    return data["pendingToken"]


def verify(client: Client, pending: str, code: str):
    return client.post("/v1/auth/verify-2fa", json={"pendingToken": pending, "code": code})


def test_full_flow_ends_with_exactly_the_login_body(client: Client, enrolled):
    pending = password_step(client, enrolled["email"])
    response = verify(client, pending, code_at(enrolled["secret"]))
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert {"accessToken", "token", "refreshToken", "expiresIn", "tokenType", "user"} == data.keys()
    assert data["user"]["twoFactorEnabled"] is True
    assert client.get("/v1/auth/me", headers=client.bearer(data["accessToken"])).status_code == 200
    prefixed = client.post("/api/v1/auth/verify-2fa",
                           json={"pendingToken": password_step(client, enrolled["email"]),
                                 "code": code_at(enrolled["secret"], 1)})
    assert prefixed.status_code == 200


def test_a_code_is_good_once(client: Client, enrolled):
    code = code_at(enrolled["secret"])
    assert verify(client, password_step(client, enrolled["email"]), code).status_code == 200
    replay = verify(client, password_step(client, enrolled["email"]), code)
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "INVALID_2FA_CODE"


def test_a_recovery_code_works_once(client: Client, enrolled):
    code = enrolled["recovery"][0]
    assert verify(client, password_step(client, enrolled["email"]), code.upper()).status_code == 200
    again = verify(client, password_step(client, enrolled["email"]), code)
    assert again.status_code == 401


def test_a_pending_token_signs_in_once_and_is_no_other_kind_of_token(client: Client, enrolled):
    pending = password_step(client, enrolled["email"])
    assert client.get("/v1/auth/me", headers=client.bearer(pending)).json()["error"]["code"] == "WRONG_TOKEN_TYPE"
    as_refresh = client.post("/v1/auth/refresh", json={"refreshToken": pending})
    assert as_refresh.json()["error"]["code"] == "WRONG_TOKEN_TYPE"
    assert verify(client, pending, code_at(enrolled["secret"])).status_code == 200
    reused = verify(client, pending, code_at(enrolled["secret"], 1))
    assert reused.status_code == 401 and reused.json()["error"]["code"] == "PENDING_TOKEN_USED"


def test_a_pending_token_allows_five_attempts(client: Client, enrolled):
    pending = password_step(client, enrolled["email"])
    assert [verify(client, pending, "000000").status_code for _ in range(4)] == [401] * 4
    fifth = verify(client, pending, code_at(enrolled["secret"]))
    assert fifth.status_code == 200
    client.source_ip = random_ip()  # verify-2fa allows ten a minute per address
    pending = password_step(client, enrolled["email"])
    for _ in range(5):
        verify(client, pending, "000001")
    sixth = verify(client, pending, code_at(enrolled["secret"], 1))
    assert sixth.status_code == 401 and sixth.json()["error"]["code"] in ("PENDING_TOKEN_EXHAUSTED", "ACCOUNT_LOCKED")


def test_wrong_codes_count_toward_the_lockout(client: Client, enrolled):
    for _ in range(5):
        verify(client, password_step(client, enrolled["email"]), "999999")
    locked = client.post("/v1/auth/login", json={"email": enrolled["email"], "password": PASSWORD})
    assert locked.status_code == 423


@pytest.mark.parametrize("code", ["12345", "1234567", "12a456", " 123456", "123456 ", "", 123456, None])
def test_malformed_codes_are_400_and_change_nothing(client: Client, enrolled, code):
    pending = password_step(client, enrolled["email"])
    response = verify(client, pending, code)
    assert response.status_code == 400 and response.json()["error"]["code"] == "VALIDATION_FAILED"
    assert verify(client, pending, code_at(enrolled["secret"])).status_code == 200, "the pending token survived"


def test_forged_or_expired_pending_tokens_are_401(client: Client, enrolled):
    pending = password_step(client, enrolled["email"])
    for token in (pending[:-4] + "AAAA", "not.a.token", enrolled["refreshToken"], enrolled["accessToken"]):
        assert verify(client, token, code_at(enrolled["secret"])).status_code == 401


def test_enabling_twice_and_disabling_when_off_are_409(client: Client, enrolled):
    auth = client.bearer(enrolled["accessToken"])
    assert client.post("/v1/auth/2fa/setup", headers=auth).status_code == 409
    assert client.post("/v1/auth/2fa/enable", headers=auth, json={"password": PASSWORD, "code": "123456"}).status_code \
        == 409
    plain = client.register()
    off = client.post("/v1/auth/2fa/disable", headers=client.bearer(plain["accessToken"]),
                      json={"password": PASSWORD, "code": "123456"})
    assert off.status_code == 409 and off.json()["error"]["code"] == "TWO_FACTOR_NOT_ENABLED"
    not_set_up = client.post("/v1/auth/2fa/enable", headers=client.bearer(plain["accessToken"]),
                             json={"password": PASSWORD, "code": "123456"})
    assert not_set_up.status_code == 409 and not_set_up.json()["error"]["code"] == "TWO_FACTOR_NOT_SET_UP"


def test_enable_needs_a_code_from_the_set_up_secret(client: Client):
    user = client.register()
    auth = client.bearer(user["accessToken"])
    secret = client.post("/v1/auth/2fa/setup", headers=auth).json()["data"]["secret"]
    wrong = client.post("/v1/auth/2fa/enable", headers=auth, json={
        "password": PASSWORD, "code": "000000" if code_at(secret) != "000000" else "111111"})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "INVALID_2FA_CODE"
    assert client.post("/v1/auth/login", json={"email": user["user"]["email"], "password": PASSWORD}).json()[
        "data"].get("requires2FA") is None


def test_disable_needs_both_password_and_code(client: Client, enrolled):
    auth = client.bearer(enrolled["accessToken"])
    no_password = client.post("/v1/auth/2fa/disable", headers=auth, json={"password": "nope", "code": code_at(
        enrolled["secret"])})
    assert no_password.status_code == 403 and no_password.json()["error"]["code"] == "INVALID_PASSWORD"
    no_code = client.post("/v1/auth/2fa/disable", headers=auth, json={"password": PASSWORD, "code": "000000"})
    assert no_code.status_code == 403 and no_code.json()["error"]["code"] == "INVALID_2FA_CODE"
    done = client.post("/v1/auth/2fa/disable", headers=auth, json={"password": PASSWORD,
                                                                   "code": code_at(enrolled["secret"], 1)})
    assert done.status_code == 200
    login = client.post("/v1/auth/login", json={"email": enrolled["email"], "password": PASSWORD})
    assert "accessToken" in login.json()["data"]


def test_the_totp_secret_is_never_stored_in_clear(client: Client, enrolled):
    import json

    items = json.dumps(client.table_items("accounts"))
    assert enrolled["secret"] not in items
    assert not any(code.replace("-", "") in items or code in items for code in enrolled["recovery"])


def test_disabling_counts_against_the_lockout_and_respects_it(client: Client, enrolled):
    for _ in range(5):
        client.post("/v1/auth/login", json={"email": enrolled["email"], "password": "wrong password"})
    locked = client.post("/v1/auth/2fa/disable", headers=client.bearer(enrolled["accessToken"]),
                         json={"password": PASSWORD, "code": code_at(enrolled["secret"])})
    assert locked.status_code == 423

"""The attack review's stolen-token scenarios, over HTTP, each failing for the attacker:
- a stolen access token of a sign-in older than ReauthMaxAgeSeconds cannot set up, enable or disable
  two-factor, create an API key, change the password or the email, or delete the account (step-up:
  403 REAUTHENTICATION_REQUIRED, never a 401);
- an API key made by a thief does not outlive "sign out everywhere" when the owner asks for keys too;
- a stolen refresh token does not survive the owner turning two-factor on or off;
- a pending-2FA token does not survive "sign out everywhere";
- reauthenticating counts against the lockout exactly as a sign-in does.
"""

import time

import jwt
import pyotp
import pytest

from tests.support import PASSWORD, Client

MAX_AGE = 600


def aged(client: Client, user: dict, seconds: int = MAX_AGE + 1) -> dict:
    """The victim's session as it is `seconds` after its sign-in: its access tokens (minted by the
    server's own refresh) carry that old auth_time. Only the stored sign-in time is moved."""
    claims = jwt.decode(user["refreshToken"], options={"verify_signature": False})
    client.aws("dynamodb").update_item(
        TableName="latchkey-dev-sessions", Key={"userId": {"S": claims["sub"]}, "sessionId": {"S": claims["sid"]}},
        UpdateExpression="SET authTime = :old",
        ExpressionAttributeValues={":old": {"N": str(int(time.time()) - seconds)}})
    refreshed = client.post("/v1/auth/refresh", json={"refreshToken": user["refreshToken"]})
    assert refreshed.status_code == 200, refreshed.text
    return {**user, **refreshed.json()["data"]}


def step_up_refusal(response):
    assert response.status_code == 403, response.text
    error = response.json()["error"]
    assert error["code"] == "REAUTHENTICATION_REQUIRED" and error["details"] == [{"maxAge": MAX_AGE}]
    # API Gateway renames an integration's WWW-Authenticate, and so does the local gateway.
    assert response.headers["x-amzn-Remapped-WWW-Authenticate"] == (
        'Bearer error="insufficient_user_authentication", '
        f'error_description="A more recent authentication is required", max_age={MAX_AGE}')


@pytest.fixture
def stolen(client: Client) -> dict:
    return aged(client, client.register())


@pytest.mark.parametrize("path, body", [
    ("/v1/auth/2fa/setup", None),
    ("/v1/auth/2fa/enable", {"password": PASSWORD, "code": "123456"}),
    ("/v1/auth/2fa/disable", {"password": PASSWORD, "code": "123456"}),
    ("/v1/api-keys", {"name": "exfil", "scopes": ["organization:read"]}),
    ("/v1/auth/change-password", {"currentPassword": PASSWORD, "newPassword": "the thief's own passphrase"}),
    ("/v1/auth/change-email", {"password": PASSWORD, "newEmail": "thief@example.com"}),
    ("/v1/auth/delete-account", {"password": PASSWORD}),
])
def test_a_stolen_access_token_of_an_old_sign_in_cannot_take_over_the_account(client: Client, stolen, path, body):
    claims = jwt.decode(stolen["accessToken"], options={"verify_signature": False})
    assert time.time() - claims["auth_time"] > MAX_AGE and claims["amr"] == ["pwd"]
    step_up_refusal(client.post(path, headers=client.bearer(stolen["accessToken"]), json=body))
    assert client.get("/v1/auth/me", headers=client.bearer(stolen["accessToken"])).status_code == 200


def test_the_thief_cannot_step_up_without_the_password_and_guessing_counts_toward_the_lockout(client: Client, stolen):
    auth = client.bearer(stolen["accessToken"])
    for _ in range(5):
        wrong = client.post("/v1/auth/reauthenticate", headers=auth, json={"password": "guess guess guess"})
        assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "INVALID_PASSWORD"
    locked = client.post("/v1/auth/reauthenticate", headers=auth, json={"password": PASSWORD})
    assert locked.status_code == 423 and locked.json()["error"]["code"] == "ACCOUNT_LOCKED"
    login = client.post("/v1/auth/login", json={"email": stolen["user"]["email"], "password": PASSWORD})
    assert login.status_code == 423, "the same counter as sign-in"


def test_reauthenticating_gives_a_fresh_pair_of_the_same_session_and_unlocks_the_action(client: Client, stolen):
    before = jwt.decode(stolen["accessToken"], options={"verify_signature": False})
    response = client.post("/v1/auth/reauthenticate", headers=client.bearer(stolen["accessToken"]),
                           json={"password": PASSWORD})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert {"accessToken", "token", "refreshToken", "expiresIn", "tokenType"} <= data.keys()
    after = jwt.decode(data["accessToken"], options={"verify_signature": False})
    assert after["sid"] == before["sid"] and after["auth_time"] > before["auth_time"] + MAX_AGE
    created = client.post("/v1/api-keys", headers=client.bearer(data["accessToken"]),
                          json={"name": "ok", "scopes": ["organization:read"]})
    assert created.status_code == 201, created.text
    assert client.post("/v1/auth/refresh", json={"refreshToken": data["refreshToken"]}).status_code == 200


def test_sign_out_everywhere_can_revoke_the_keys_the_user_made_and_leaves_them_otherwise(client: Client):
    owner = client.register()
    auth = client.bearer(owner["accessToken"])

    def new_key():
        response = client.post("/v1/api-keys", headers=auth, json={"name": "k", "scopes": ["organization:read"]})
        assert response.status_code == 201, response.text
        return {"X-API-Key": response.json()["data"]["key"]}

    kept, thiefs = new_key(), new_key()
    plain = client.post("/v1/auth/logout-all", headers=auth)
    assert plain.json()["data"] == {"loggedOut": True, "sessionsRevoked": 1, "apiKeysRevoked": None}
    assert client.get("/v1/organization", headers=kept).status_code == 200, "keys are not sessions"

    again = client.post("/v1/auth/login", json={"email": owner["user"]["email"], "password": PASSWORD}).json()["data"]
    everything = client.post("/v1/auth/logout-all", headers=client.bearer(again["accessToken"]),
                             json={"revokeApiKeys": True})
    assert everything.status_code == 200 and everything.json()["data"]["apiKeysRevoked"] == 2
    for key in (kept, thiefs):
        refused = client.get("/v1/organization", headers=key)
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "API_KEY_REVOKED"


def _enable_two_factor(client: Client, access_token: str) -> str:
    return client.enable_two_factor(access_token)["secret"]


def test_a_stolen_refresh_token_dies_when_the_owner_turns_two_factor_on_and_off(client: Client):
    owner = client.register()
    thief = client.post("/v1/auth/login", json={"email": owner["user"]["email"], "password": PASSWORD}).json()["data"]
    secret = _enable_two_factor(client, owner["accessToken"])
    for token, use in ((thief["refreshToken"], "refresh"), (thief["accessToken"], "bearer")):
        response = (client.post("/v1/auth/refresh", json={"refreshToken": token}) if use == "refresh"
                    else client.get("/v1/auth/me", headers=client.bearer(token)))
        assert response.status_code == 401 and response.json()["error"]["code"] == "SESSION_REVOKED", use
    assert client.get("/v1/auth/me", headers=client.bearer(owner["accessToken"])).status_code == 200

    pending = client.post("/v1/auth/login", json={"email": owner["user"]["email"], "password": PASSWORD})
    second = client.post("/v1/auth/verify-2fa", json={"pendingToken": pending.json()["data"]["pendingToken"],
                                                      "code": pyotp.TOTP(secret).now()}).json()["data"]
    disabled = client.post("/v1/auth/2fa/disable", headers=client.bearer(owner["accessToken"]),
                           json={"password": PASSWORD, "code": pyotp.TOTP(secret).at(time.time() + 30)})
    assert disabled.status_code == 200, disabled.text
    refused = client.post("/v1/auth/refresh", json={"refreshToken": second["refreshToken"]})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "SESSION_REVOKED"


def test_a_pending_two_factor_token_dies_with_sign_out_everywhere(client: Client):
    owner = client.register()
    secret = _enable_two_factor(client, owner["accessToken"])
    pending = client.post("/v1/auth/login", json={"email": owner["user"]["email"], "password": PASSWORD})
    pending_token = pending.json()["data"]["pendingToken"]
    time.sleep(1)  # the sign-out is after the pending token's issue second
    assert client.post("/v1/auth/logout-all", headers=client.bearer(owner["accessToken"])).status_code == 200
    refused = client.post("/v1/auth/verify-2fa", json={"pendingToken": pending_token,
                                                       "code": pyotp.TOTP(secret).now()})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "PENDING_TOKEN_REVOKED"
    time.sleep(1)
    fresh = client.post("/v1/auth/login", json={"email": owner["user"]["email"], "password": PASSWORD})
    signed_in = client.post("/v1/auth/verify-2fa", json={"pendingToken": fresh.json()["data"]["pendingToken"],
                                                         "code": pyotp.TOTP(secret).at(time.time() + 30)})
    assert signed_in.status_code == 200, signed_in.text
    assert jwt.decode(signed_in.json()["data"]["accessToken"], options={"verify_signature": False})["amr"] == [
        "pwd", "otp"]


def test_with_two_factor_on_reauthenticating_needs_a_code_too(client: Client):
    owner = client.register()
    secret = _enable_two_factor(client, owner["accessToken"])
    auth = client.bearer(owner["accessToken"])
    no_code = client.post("/v1/auth/reauthenticate", headers=auth, json={"password": PASSWORD})
    assert no_code.status_code == 403 and no_code.json()["error"]["code"] == "TWO_FACTOR_CODE_REQUIRED"
    wrong = client.post("/v1/auth/reauthenticate", headers=auth, json={"password": PASSWORD, "code": "000000"})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "INVALID_2FA_CODE"
    ok = client.post("/v1/auth/reauthenticate", headers=auth, json={"password": PASSWORD,
                                                                    "code": pyotp.TOTP(secret).now()})
    assert ok.status_code == 200, ok.text
    assert jwt.decode(ok.json()["data"]["accessToken"], options={"verify_signature": False})["amr"] == ["pwd", "otp"]

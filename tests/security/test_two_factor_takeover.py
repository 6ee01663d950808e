"""Two-factor turned on by someone else (issue 23), over HTTP, written before the defence:
- a stolen access token of a sign-in under ReauthMaxAgeSeconds old cannot bind the thief's
  authenticator: enabling asks for the password in the same request;
- the owner whose two-factor a thief (who had the password too) turned on takes the account back with a
  reset from their own mailbox: the thief's factor, sessions and password are all gone;
- the way back is no bypass: a second factor that has settled (turned on more than SETTLING_DAYS ago)
  is still asked for by a reset from the mailbox, and the thief cannot bind a factor again afterwards.
"""

from __future__ import annotations

import time

import pyotp

from tests.support import PASSWORD, Client

NEW_PASSWORD = "the owner's new long passphrase"
RESET = "Reset your password"
SETTLING_DAYS = 7


def login(client: Client, email: str, password: str = PASSWORD):
    return client.post("/v1/auth/login", json={"email": email, "password": password})


def reset_link(client: Client, email: str) -> str:
    """What the mailbox's holder gets: a reset link's token (after the verification link and the
    notice that two-factor is on)."""
    assert client.post("/v1/auth/forgot-password", json={"email": email}).status_code == 202
    return client.mailed_token(email, RESET, count=3)


def set_up(client: Client, access_token: str) -> str:
    setup = client.post("/v1/auth/2fa/setup", headers=client.bearer(access_token))
    assert setup.status_code == 200, setup.text
    return setup.json()["data"]["secret"]


def test_a_fresh_stolen_access_token_cannot_bind_the_thiefs_authenticator(client: Client):
    owner = client.register()
    stolen = client.bearer(owner["accessToken"])  # a sign-in seconds old: step-up lets it through
    thiefs = pyotp.TOTP(set_up(client, owner["accessToken"]))
    no_password = client.post("/v1/auth/2fa/enable", headers=stolen, json={"code": thiefs.now()})
    assert no_password.status_code == 400 and no_password.json()["error"]["code"] == "VALIDATION_FAILED"
    guessed = client.post("/v1/auth/2fa/enable", headers=stolen,
                          json={"password": "a guess at it", "code": thiefs.now()})
    assert guessed.status_code == 403 and guessed.json()["error"]["code"] == "INVALID_PASSWORD"
    signed_in = login(client, owner["user"]["email"]).json()["data"]
    assert "accessToken" in signed_in and "requires2FA" not in signed_in, "no second factor was bound"
    assert client.get("/v1/auth/me", headers=stolen).status_code == 200, "and the owner's own session lives"


def test_the_owner_takes_back_an_account_whose_two_factor_a_thief_turned_on(client: Client):
    owner = client.register()
    email = owner["user"]["email"]
    thief = login(client, email).json()["data"]  # the password, phished
    thiefs = pyotp.TOTP(client.enable_two_factor(thief["accessToken"])["secret"])
    assert client.get("/v1/auth/me", headers=client.bearer(owner["accessToken"])).status_code == 401, \
        "turning it on ended the owner's session"
    assert login(client, email).json()["data"].get("requires2FA") is True

    # The way back: a reset through the link mailed to the owner's address, with no code.
    back = client.post("/v1/auth/reset-password", json={"token": reset_link(client, email), "password": NEW_PASSWORD})
    assert back.status_code == 200, back.text
    signed_in = login(client, email, NEW_PASSWORD).json()["data"]
    assert "accessToken" in signed_in and signed_in["user"]["twoFactorEnabled"] is False
    subjects = [m["subject"] for m in client.mail(email, 5)]  # and the password-changed notice
    assert "Two-factor sign-in is off" in subjects

    # Nothing the thief set up survives: their session, their password, their authenticator.
    for token in (thief["accessToken"],):
        refused = client.get("/v1/auth/me", headers=client.bearer(token))
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "SESSION_REVOKED"
    refused = client.post("/v1/auth/refresh", json={"refreshToken": thief["refreshToken"]})
    assert refused.status_code == 401
    assert login(client, email).status_code == 401
    pending = login(client, email, NEW_PASSWORD).json()["data"]
    assert "pendingToken" not in pending
    again = client.post("/v1/auth/2fa/enable", headers=client.bearer(signed_in["accessToken"]),
                        json={"password": PASSWORD, "code": thiefs.now()})
    assert again.status_code == 409, "the thief's set-up secret went with the factor"
    events = client.get("/v1/audit-events", headers=client.bearer(signed_in["accessToken"]),
                        params={"type": "auth.2fa.disabled"}).json()["data"]["auditEvents"]
    assert [e["reason"] for e in events] == ["password reset"]


def verified(client: Client) -> dict:
    """An owner who proved the address (a never-verified one's factor is a squatter's, which a reset
    through that address always removes: docs/security/recovery.md, tests/e2e/test_account_takeback.py)."""
    owner = client.register()
    token = client.mailed_token(owner["user"]["email"], "Confirm your email address")
    assert client.post("/v1/auth/verify-email", json={"token": token}).status_code == 200
    return owner


def test_the_way_back_does_not_remove_a_settled_second_factor(client: Client):
    """The attack on the way back: whoever holds the mailbox (not the authenticator) resets the
    password of an account whose factor has been on longer than SETTLING_DAYS."""
    owner = verified(client)
    email = owner["user"]["email"]
    owners = pyotp.TOTP(client.enable_two_factor(owner["accessToken"])["secret"])
    client.aws("dynamodb").update_item(
        TableName="latchkey-dev-accounts", Key={"pk": {"S": f"USER#{owner['user']['id']}"}},
        UpdateExpression="SET totpEnabledAt = :then",
        ExpressionAttributeValues={":then": {"N": str(int(time.time()) - SETTLING_DAYS * 24 * 3600 - 1)}})
    token = reset_link(client, email)
    for code in (None, "000000"):
        refused = client.post("/v1/auth/reset-password",
                              json={"token": token, "password": NEW_PASSWORD, **({"code": code} if code else {})})
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "TWO_FACTOR_REQUIRED"
    assert login(client, email).json()["data"].get("requires2FA") is True, "the password is unchanged"
    done = client.post("/v1/auth/reset-password", json={"token": token, "password": NEW_PASSWORD,
                                                         "code": owners.now()})
    assert done.status_code == 200, done.text
    assert login(client, email, NEW_PASSWORD).json()["data"].get("requires2FA") is True, "the factor stays"


def test_the_owner_who_sends_a_code_with_a_reset_keeps_a_factor_they_just_turned_on(client: Client):
    owner = verified(client)
    email = owner["user"]["email"]
    owners = pyotp.TOTP(client.enable_two_factor(owner["accessToken"])["secret"])
    done = client.post("/v1/auth/reset-password", json={"token": reset_link(client, email), "password": NEW_PASSWORD,
                                                         "code": owners.now()})
    assert done.status_code == 200, done.text
    assert login(client, email, NEW_PASSWORD).json()["data"].get("requires2FA") is True

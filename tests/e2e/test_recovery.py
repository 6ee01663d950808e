"""Accounts people can recover, over HTTP against the local runtime, every email read back from the
local mailbox: verification, forgot and reset password (with two-factor), change password and email,
delete account, security notices, and the bad tokens."""

from __future__ import annotations

import time

import pyotp
import pytest

from tests.support import PASSWORD, Client, random_ip, unique_email

NEW_PASSWORD = "a brand new long passphrase"
VERIFY, RESET, CONFIRM_NEW = "Confirm your email address", "Reset your password", "Confirm your new email address"


def login(client: Client, email: str, password: str = PASSWORD, **kwargs):
    return client.post("/v1/auth/login", json={"email": email, "password": password}, **kwargs)


def me(client: Client, access: str) -> dict:
    return client.get("/v1/auth/me", headers=client.bearer(access)).json()["data"]


# --- verification -----------------------------------------------------------------------------------


def test_registration_sends_a_verification_link_that_verifies_the_address_once(client: Client):
    registered = client.register()
    email, access = registered["user"]["email"], registered["accessToken"]
    assert registered["user"]["emailVerified"] is False
    assert client.get("/v1/auth/me", headers=client.bearer(access)).status_code == 200  # works unverified
    (message,) = client.mail(email)
    assert message["subject"] == VERIFY and "/verify-email?token=" in message["text"] and message["html"]
    token = client.mailed_token(email, VERIFY)
    verified = client.post("/v1/auth/verify-email", json={"token": token})
    assert verified.status_code == 200 and verified.json() == {"success": True, "data": {"emailVerified": True}}
    assert me(client, access)["emailVerified"] is True
    again = client.post("/v1/auth/verify-email", json={"token": token})
    assert again.status_code == 400 and again.json()["error"]["code"] == "ONE_TIME_TOKEN_USED"


def test_resend_voids_the_older_link_and_is_refused_once_verified(client: Client):
    registered = client.register()
    email, auth = registered["user"]["email"], client.bearer(registered["accessToken"])
    first = client.mailed_token(email, VERIFY)
    assert client.post("/v1/auth/verify-email/resend", headers=auth).status_code == 202
    second = client.mailed_token(email, VERIFY, count=2)
    assert second != first
    older = client.post("/v1/auth/verify-email", json={"token": first})
    assert older.status_code == 400 and older.json()["error"]["code"] == "INVALID_ONE_TIME_TOKEN"
    assert client.post("/v1/auth/verify-email", json={"token": second}).status_code == 200
    done = client.post("/v1/auth/verify-email/resend", headers=auth)
    assert done.status_code == 409 and done.json()["error"]["code"] == "EMAIL_ALREADY_VERIFIED"


@pytest.mark.parametrize("token, code", [
    ("verify.user_0123456789abcdef01234567.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "INVALID_ONE_TIME_TOKEN"),
    ("not-a-token", "INVALID_ONE_TIME_TOKEN"),
    ("reset.user_0123456789abcdef01234567.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "WRONG_TOKEN_PURPOSE"),
])
def test_forged_malformed_and_wrong_purpose_tokens_get_clear_errors(client: Client, token, code):
    response = client.post("/v1/auth/verify-email", json={"token": token})
    assert response.status_code == 400 and response.json()["error"]["code"] == code


# --- forgot and reset password ---------------------------------------------------------------------


def test_forgot_then_reset_ends_every_session_verifies_the_address_and_issues_no_tokens(client: Client):
    registered = client.register()
    email, old_access = registered["user"]["email"], registered["accessToken"]
    forgot = client.post("/v1/auth/forgot-password", json={"email": email})
    assert forgot.status_code == 202 and forgot.json() == {"success": True, "data": {"accepted": True}}
    token = client.mailed_token(email, RESET, count=2)
    common = client.post("/v1/auth/reset-password", json={"token": token, "password": "password123"})
    assert common.status_code == 400 and common.json()["error"]["code"] == "PASSWORD_TOO_COMMON"
    reset = client.post("/v1/auth/reset-password", json={"token": token, "password": NEW_PASSWORD})
    assert reset.status_code == 200 and reset.json() == {"success": True, "data": {"passwordChanged": True}}
    assert client.get("/v1/auth/me", headers=client.bearer(old_access)).status_code == 401  # sessions ended
    assert login(client, email).status_code == 401
    signed_in = login(client, email, NEW_PASSWORD)
    assert signed_in.status_code == 200 and signed_in.json()["data"]["user"]["emailVerified"] is True
    notice = client.mail(email, 3)[0]
    assert notice["subject"] == "Your password was changed" and "token=" not in notice["text"]
    spent = client.post("/v1/auth/reset-password", json={"token": token, "password": NEW_PASSWORD + "!"})
    assert spent.status_code == 400 and spent.json()["error"]["code"] == "ONE_TIME_TOKEN_USED"


def test_a_reset_clears_the_lockout(client: Client):
    email = client.register()["user"]["email"]
    for _ in range(5):
        login(client, email, "wrong password")
    assert login(client, email).status_code == 423
    locked = [m for m in client.mail(email, 2) if m["subject"].startswith("Your account was locked")]
    assert len(locked) == 1 and "/reset-password?token=" in locked[0]["text"]  # told once, with a way back
    token = client.mailed_token(email, locked[0]["subject"], count=2)
    assert client.post("/v1/auth/reset-password", json={"token": token, "password": NEW_PASSWORD}).status_code == 200
    assert login(client, email, NEW_PASSWORD).status_code == 200


def test_a_reset_never_bypasses_the_second_factor_and_a_wrong_code_spends_nothing(client: Client):
    """(Without a code, a reset takes off a factor turned on in the last days, and asks for a settled
    one: tests/security/test_two_factor_takeover.py.)"""
    registered = client.register()
    email = registered["user"]["email"]
    # Of a verified address: a never-verified one's second factor is the squatter's (test_account_takeback).
    assert client.post("/v1/auth/verify-email", json={"token": client.mailed_token(email, VERIFY)}).status_code == 200
    totp = pyotp.TOTP(client.enable_two_factor(registered["accessToken"])["secret"])
    assert client.mail(email, 2)[0]["subject"] == "Two-factor sign-in is on"
    client.post("/v1/auth/forgot-password", json={"email": email})
    token = client.mailed_token(email, RESET, count=3)
    for _ in range(2):
        refused = client.post("/v1/auth/reset-password", json={"token": token, "password": NEW_PASSWORD,
                                                                "code": "000000"})
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "TWO_FACTOR_REQUIRED"
    done = client.post("/v1/auth/reset-password", json={"token": token, "password": NEW_PASSWORD, "code": totp.now()})
    assert done.status_code == 200, done.text


def test_a_reset_of_a_never_verified_address_revokes_the_keys_made_before_it(client: Client):
    """Whoever registered someone else's address first is evicted when the owner resets."""
    squatter = client.register()
    email, auth = squatter["user"]["email"], client.bearer(squatter["accessToken"])
    key = client.post("/v1/api-keys", headers=auth, json={"name": "squat", "scopes": ["organization:read"]})
    assert key.status_code == 201
    assert client.get("/v1/organization", headers={"X-API-Key": key.json()["data"]["key"]}).status_code == 200
    client.post("/v1/auth/forgot-password", json={"email": email})  # the owner
    token = client.mailed_token(email, RESET, count=3)
    assert client.post("/v1/auth/reset-password", json={"token": token, "password": NEW_PASSWORD}).status_code == 200
    revoked = client.get("/v1/organization", headers={"X-API-Key": key.json()["data"]["key"]})
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "API_KEY_REVOKED"


def test_forgot_password_answers_the_same_for_every_kind_of_address(client: Client):
    known = client.register()["user"]["email"]
    locked = client.register()["user"]["email"]
    for _ in range(5):
        login(client, locked, "wrong password")
    verified = client.register()["user"]["email"]
    client.post("/v1/auth/verify-email", json={"token": client.mailed_token(verified, VERIFY)})
    answers = {kind: client.post("/v1/auth/forgot-password", json={"email": email}, source_ip=random_ip())
               for kind, email in (("known", known), ("unknown", unique_email("nobody")), ("locked", locked),
                                   ("verified", verified))}
    assert {r.status_code for r in answers.values()} == {202}
    assert len({r.content for r in answers.values()}) == 1
    assert len({tuple(sorted((k, v) for k, v in r.headers.items() if k.lower() != "date"))
                for r in answers.values()}) == 1


def test_forgot_password_is_limited_per_address_and_per_source(client: Client):
    email = client.register()["user"]["email"]
    for _ in range(5):  # from five addresses: the per-address budget (3 an hour) is what stops them
        assert client.post("/v1/auth/forgot-password", json={"email": email},
                           source_ip=random_ip()).status_code == 202
    time.sleep(2)
    assert len([m for m in client.mail(email, 4) if m["subject"] == RESET]) == 3
    answers = [client.post("/v1/auth/forgot-password", json={"email": unique_email()}).status_code for _ in range(6)]
    assert answers[:5] == [202] * 5 and answers[5] == 429


# --- signed in: change password, change email, delete account ---------------------------------------


def test_change_password_keeps_this_session_ends_the_others_and_sends_a_notice(client: Client):
    registered = client.register()
    email, auth = registered["user"]["email"], client.bearer(registered["accessToken"])
    other = login(client, email).json()["data"]["accessToken"]
    wrong = client.post("/v1/auth/change-password", headers=auth,
                        json={"currentPassword": "not it", "newPassword": NEW_PASSWORD})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "INVALID_PASSWORD"
    common = client.post("/v1/auth/change-password", headers=auth,
                         json={"currentPassword": PASSWORD, "newPassword": "iloveyou123"})
    assert common.status_code == 400 and common.json()["error"]["code"] == "PASSWORD_TOO_COMMON"
    changed = client.post("/v1/auth/change-password", headers=auth,
                          json={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD})
    assert changed.status_code == 200, changed.text
    assert client.get("/v1/auth/me", headers=auth).status_code == 200
    assert client.get("/v1/auth/me", headers=client.bearer(other)).status_code == 401
    assert login(client, email, NEW_PASSWORD).status_code == 200
    assert client.mail(email, 2)[0]["subject"] == "Your password was changed"


def test_change_email_moves_the_account_when_the_new_address_confirms(client: Client):
    registered = client.register()
    old, auth = registered["user"]["email"], client.bearer(registered["accessToken"])
    new = unique_email("moved")
    taken = client.post("/v1/auth/change-email", headers=auth,
                        json={"password": PASSWORD, "newEmail": client.register()["user"]["email"]})
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "EMAIL_TAKEN"
    pending = client.post("/v1/auth/change-email", headers=auth, json={"password": PASSWORD, "newEmail": new})
    assert pending.status_code == 202 and pending.json()["data"] == {"pendingEmail": new}
    assert me(client, registered["accessToken"])["email"] == old  # not before it is confirmed
    token = client.mailed_token(new, CONFIRM_NEW)
    assert client.post("/v1/auth/verify-email", json={"token": token}).status_code == 200
    user = me(client, registered["accessToken"])
    assert user["email"] == new and user["emailVerified"] is True
    assert login(client, new).status_code == 200 and login(client, old).status_code == 401
    notice = client.mail(old, 3)[0]  # after the verification link and the request's notice
    assert notice["subject"] == "Your email address was changed" and "token=" not in notice["text"]
    assert client.post("/v1/auth/register", json={"email": old, "password": PASSWORD, "name": "Old"}).status_code == 201


def test_delete_account_ends_everything_frees_the_email_and_deletes_a_sole_organization(client: Client):
    registered = client.register()
    email, auth = registered["user"]["email"], client.bearer(registered["accessToken"])
    other = login(client, email).json()["data"]["accessToken"]
    key = client.post("/v1/api-keys", headers=auth, json={"name": "k", "scopes": ["organization:read"]})
    wrong = client.post("/v1/auth/delete-account", headers=auth, json={"password": "not it"})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "INVALID_PASSWORD"
    deleted = client.post("/v1/auth/delete-account", headers=auth, json={"password": PASSWORD})
    assert deleted.status_code == 200 and deleted.json()["data"] == {"deleted": True}
    for token in (registered["accessToken"], other):
        assert client.get("/v1/auth/me", headers=client.bearer(token)).status_code == 401
    assert client.get("/v1/organization", headers={"X-API-Key": key.json()["data"]["key"]}).status_code == 401
    assert login(client, email).status_code == 401
    organization = registered["user"]["organizationId"]
    assert not [i for i in client.table_items("accounts") if i.get("organizationId", {}).get("S") == organization]
    assert client.register(email)["user"]["emailVerified"] is False  # the address is free again


# --- the audit trail ---------------------------------------------------------------------------------


def test_each_account_change_is_in_the_audit_trail_and_the_moved_account_keeps_its_organization(client: Client):
    registered = client.register()
    email, access = registered["user"]["email"], registered["accessToken"]
    auth, user_id = client.bearer(access), registered["user"]["id"]
    assert client.post("/v1/auth/verify-email", json={"token": client.mailed_token(email, VERIFY)}).status_code == 200
    assert client.post("/v1/auth/change-password", headers=auth,
                       json={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}).status_code == 200
    new = unique_email("audited")
    assert client.post("/v1/auth/change-email", headers=auth,
                       json={"password": NEW_PASSWORD, "newEmail": new}).status_code == 202
    confirm = client.mailed_token(new, CONFIRM_NEW)
    assert client.post("/v1/auth/verify-email", json={"token": confirm}).status_code == 200
    approve = client.mailed_token(email, "Approve the change of your email address", count=2)  # a verified address
    assert client.post("/v1/auth/verify-email", json={"token": approve}).json()["data"] == {"emailVerified": True}
    client.post("/v1/auth/forgot-password", json={"email": new})
    token = client.mailed_token(new, RESET, count=2)
    assert client.post("/v1/auth/reset-password", json={"token": token, "password": PASSWORD}).status_code == 200
    (credentials,) = [i for i in client.table_items("accounts") if i["pk"]["S"] == f"EMAIL#{new.lower()}"]
    assert credentials["credentialsOrganizationId"]["S"] == registered["user"]["organizationId"]
    # A wrong password at the new address is recorded in the account's organization: the credentials
    # item moved with its organization.
    assert login(client, new, "not it").status_code == 401
    fresh = client.bearer(login(client, new).json()["data"]["accessToken"])
    trail = client.get("/v1/audit-events", headers=fresh).json()["data"]["auditEvents"]
    account = [e for e in trail if not e["type"].startswith(("auth.sign_in", "session."))]
    assert [e["type"] for e in account] == ["account.password_reset", "account.email_changed",
                                            "account.email_change.approved", "account.email_change.confirmed",
                                            "account.email_change.requested", "account.password_changed",
                                            "account.email_verified"]
    assert all(e["userId"] == user_id and e["subject"] == f"user:{user_id}" for e in account)
    assert trail[1]["type"] == "auth.sign_in.failed" and trail[1]["userId"] == user_id
    assert email not in str(trail) and new not in str(trail)

"""An owner takes their account back, over HTTP against the local runtime, every email read from the
local mailbox (issue 23): an email change needs both addresses, whatever voids it voids it, a move
kills the links mailed to the old address, and a reset through a never-verified address evicts
whoever set the account up (docs/security/recovery.md)."""

from __future__ import annotations

import time

import pyotp
import pytest

from latchkey.rules.mail_templates import neutralize
from tests.e2e.test_recovery import CONFIRM_NEW, NEW_PASSWORD, RESET, VERIFY, login, me
from tests.e2e.test_team_journey import code, invitation_token
from tests.support import PASSWORD, Client, unique_email

APPROVE = "Approve the change of your email address"
REQUESTED = "Your email address is about to change"


def verified_owner(client: Client) -> dict:
    """A registered user whose address is verified: register's data, and `auth`."""
    registered = client.register()
    email = registered["user"]["email"]
    assert client.post("/v1/auth/verify-email", json={"token": client.mailed_token(email, VERIFY)}).status_code == 200
    return {**registered, "auth": client.bearer(registered["accessToken"])}


def ask_to_move(client: Client, auth: dict, new: str, password: str = PASSWORD) -> None:
    asked = client.post("/v1/auth/change-email", headers=auth, json={"password": password, "newEmail": new})
    assert asked.status_code == 202 and asked.json()["data"] == {"pendingEmail": new}, asked.text


def reset(client: Client, email: str, count: int, **extra):
    assert client.post("/v1/auth/forgot-password", json={"email": email}).status_code == 202
    token = client.mailed_token(email, RESET, count=count)
    return client.post("/v1/auth/reset-password", json={"token": token, "password": NEW_PASSWORD, **extra})


def account_events(client: Client, email: str, password: str = PASSWORD) -> list[dict]:
    auth = client.bearer(login(client, email, password).json()["data"]["accessToken"])
    trail = client.get("/v1/audit-events", headers=auth).json()["data"]["auditEvents"]
    return [e for e in trail if e["type"].startswith("account.")]


# --- the takeover: an attacker with the password and a fresh sign-in --------------------------------


def test_an_attackers_email_change_dies_with_the_owners_reset_and_the_owner_was_told_at_once(client: Client):
    owner = verified_owner(client)
    email = owner["user"]["email"]
    attacker = client.bearer(login(client, email).json()["data"]["accessToken"])  # the password, a fresh sign-in
    theirs = unique_email("attacker")
    ask_to_move(client, attacker, theirs)
    told = client.mailed_token(email, APPROVE, count=2)  # at request time, with a link to cancel it
    assert told and neutralize(theirs) in client.mail(email, 2)[0]["text"]  # named, and no link
    assert me(client, owner["accessToken"])["pendingEmail"] == theirs
    assert reset(client, email, count=3).status_code == 200  # the owner takes the account back
    confirmed = client.post("/v1/auth/verify-email", json={"token": client.mailed_token(theirs, CONFIRM_NEW)})
    assert confirmed.status_code == 400 and code(confirmed) == "INVALID_ONE_TIME_TOKEN"
    approved = client.post("/v1/auth/verify-email", json={"token": told})
    assert approved.status_code == 400 and code(approved) == "INVALID_ONE_TIME_TOKEN"
    assert login(client, theirs).status_code == 401
    fresh = login(client, email, NEW_PASSWORD).json()["data"]
    assert fresh["user"]["email"] == email and me(client, fresh["accessToken"])["pendingEmail"] is None
    events = account_events(client, email, NEW_PASSWORD)
    assert [(e["type"], e["reason"]) for e in events[:3]] == [
        ("account.email_change.cancelled", "PASSWORD_RESET"), ("account.password_reset", None),
        ("account.email_change.requested", None)]
    assert theirs not in str(events)


def test_without_the_current_addresses_approval_the_new_address_alone_moves_nothing(client: Client):
    owner = verified_owner(client)
    email = owner["user"]["email"]
    theirs = unique_email("attacker")
    ask_to_move(client, owner["auth"], theirs)
    confirmed = client.post("/v1/auth/verify-email", json={"token": client.mailed_token(theirs, CONFIRM_NEW)})
    assert confirmed.status_code == 200
    assert confirmed.json()["data"] == {"emailVerified": False, "waitingFor": "approval"}
    assert me(client, owner["accessToken"])["email"] == email and login(client, theirs).status_code == 401
    cancelled = client.post("/v1/auth/change-email/cancel", json={"token": client.mailed_token(email, APPROVE, 2)})
    assert cancelled.status_code == 200 and cancelled.json()["data"] == {"cancelled": True}
    assert me(client, owner["accessToken"])["pendingEmail"] is None
    assert [e["type"] for e in account_events(client, email)[:3]] == [
        "account.email_change.cancelled", "account.email_change.confirmed", "account.email_change.requested"]


@pytest.mark.parametrize("approve_first", [True, False], ids=["approved-then-confirmed", "confirmed-then-approved"])
def test_a_change_both_addresses_answer_moves_the_account_in_either_order(client: Client, approve_first):
    owner = verified_owner(client)
    email, new = owner["user"]["email"], unique_email("moving")
    ask_to_move(client, owner["auth"], new)
    links = [("confirmation", client.mailed_token(new, CONFIRM_NEW)),
             ("approval", client.mailed_token(email, APPROVE, 2))]
    first, second = links[::-1] if approve_first else links
    answered = client.post("/v1/auth/verify-email", json={"token": first[1]})
    assert answered.json()["data"] == {"emailVerified": False, "waitingFor": second[0]}
    assert me(client, owner["accessToken"])["email"] == email
    done = client.post("/v1/auth/verify-email", json={"token": second[1]})
    assert done.status_code == 200 and done.json()["data"] == {"emailVerified": True}
    moved = me(client, owner["accessToken"])
    assert (moved["email"], moved["emailVerified"], moved["pendingEmail"]) == (new, True, None)
    assert login(client, new).status_code == 200 and login(client, email).status_code == 401


# --- whatever voids a pending change ------------------------------------------------------------------


TRIGGERS = {
    "change-password": lambda client, auth, totp: client.post(
        "/v1/auth/change-password", headers=auth, json={"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}),
    "logout-all": lambda client, auth, totp: client.post("/v1/auth/logout-all", headers=auth),
    "2fa-enable": lambda client, auth, totp: client.post(
        "/v1/auth/2fa/enable", headers=auth, json={"password": PASSWORD, "code": totp.now()}),
    "2fa-disable": lambda client, auth, totp: client.post(
        "/v1/auth/2fa/disable", headers=auth, json={"password": PASSWORD, "code": totp.now()}),
}
REASONS = {"change-password": "PASSWORD_CHANGED", "logout-all": "LOGOUT_ALL", "2fa-enable": "TWO_FACTOR_ENABLED",
           "2fa-disable": "TWO_FACTOR_DISABLED"}


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_each_account_security_change_voids_a_pending_email_change(client: Client, trigger):
    owner = verified_owner(client)
    email, auth, new = owner["user"]["email"], owner["auth"], unique_email("voided")
    totp = None
    if trigger == "2fa-enable":
        totp = pyotp.TOTP(client.post("/v1/auth/2fa/setup", headers=auth).json()["data"]["secret"])
    elif trigger == "2fa-disable":
        totp = pyotp.TOTP(client.enable_two_factor(owner["accessToken"])["secret"])
    ask_to_move(client, auth, new)
    approval = client.mailed_token(email, APPROVE, count=3 if trigger == "2fa-disable" else 2)
    assert me(client, owner["accessToken"])["pendingEmail"] == new
    done = TRIGGERS[trigger](client, auth, totp)
    assert done.status_code == 200, done.text
    for token in (client.mailed_token(new, CONFIRM_NEW), approval):
        refused = client.post("/v1/auth/verify-email", json={"token": token})
        assert refused.status_code == 400 and code(refused) == "INVALID_ONE_TIME_TOKEN"
    password = NEW_PASSWORD if trigger == "change-password" else PASSWORD
    signed_in = login(client, email, password).json()["data"]
    if "pendingToken" in signed_in:
        signed_in = client.post("/v1/auth/verify-2fa", json={"pendingToken": signed_in["pendingToken"],
                                                             "code": totp.at(time.time() + 30)}).json()["data"]
    assert me(client, signed_in["accessToken"])["pendingEmail"] is None
    trail = client.get("/v1/audit-events", headers=client.bearer(signed_in["accessToken"]),
                       params={"type": "account.email_change.cancelled"}).json()["data"]["auditEvents"]
    assert [e["reason"] for e in trail] == [REASONS[trigger]]


def test_deleting_the_account_voids_its_pending_email_change(client: Client):
    owner = verified_owner(client)
    new = unique_email("deleted")
    ask_to_move(client, owner["auth"], new)
    deleted = client.post("/v1/auth/delete-account", headers=owner["auth"], json={"password": PASSWORD})
    assert deleted.status_code == 200
    refused = client.post("/v1/auth/verify-email", json={"token": client.mailed_token(new, CONFIRM_NEW)})
    assert refused.status_code == 400 and login(client, new).status_code == 401
    events = [i for i in client.table_items("audit-events") if i.get("userId", {}).get("S") == owner["user"]["id"]]
    assert [i["reason"]["S"] for i in events if i["type"]["S"] == "account.email_change.cancelled"] == \
        ["ACCOUNT_DELETED"]


# --- a move kills the links mailed to the old address -------------------------------------------------


def test_a_reset_link_mailed_to_the_old_address_dies_with_the_move(client: Client):
    registered = client.register()  # never verified: the password approves the move
    old, auth, new = registered["user"]["email"], client.bearer(registered["accessToken"]), unique_email("moved")
    assert client.post("/v1/auth/forgot-password", json={"email": old}).status_code == 202
    old_link = client.mailed_token(old, RESET, count=2)
    ask_to_move(client, auth, new)
    assert client.mailed_token(old, REQUESTED, count=3)  # told at once, with a link that cancels
    assert client.post("/v1/auth/verify-email", json={"token": client.mailed_token(new, CONFIRM_NEW)}).json()[
        "data"] == {"emailVerified": True}
    stale = client.post("/v1/auth/reset-password", json={"token": old_link, "password": NEW_PASSWORD})
    assert stale.status_code == 400 and code(stale) == "INVALID_ONE_TIME_TOKEN"
    assert login(client, new).status_code == 200


# --- squatting: the address's owner takes it back ------------------------------------------------------


def test_the_owner_of_a_squatted_address_ends_alone_in_control(client: Client):
    squatter = client.register(organizationName="Squatted")
    email, auth = squatter["user"]["email"], client.bearer(squatter["accessToken"])
    organization = squatter["user"]["organizationId"]
    helper = unique_email("co-admin")
    assert client.post("/v1/organization/invitations", headers=auth,
                       json={"email": helper, "role": "ADMIN"}).status_code == 201
    joined = client.post("/v1/auth/accept-invitation",
                         json={"token": invitation_token(client, helper), "name": "Co", "password": PASSWORD}).json()
    co_admin = client.bearer(joined["data"]["accessToken"])
    keys = [client.post("/v1/api-keys", headers=who, json={"name": "k", "scopes": ["organization:read"]}).json()[
        "data"]["key"] for who in (auth, co_admin)]
    later = unique_email("later")
    assert client.post("/v1/organization/invitations", headers=co_admin,
                       json={"email": later, "role": "ADMIN"}).status_code == 201
    assert client.request("PATCH", "/v1/organization", headers=auth,
                          json={"resultRedirectUrl": "https://squatter.example.com/results"}).status_code == 200

    assert reset(client, email, count=4).status_code == 200  # the owner, from their mailbox (after two notices)

    owner = client.bearer(login(client, email, NEW_PASSWORD).json()["data"]["accessToken"])
    members = client.get("/v1/organization/members", headers=owner).json()["data"]["members"]
    assert [(m["email"], m["role"]) for m in members] == [(email, "ADMIN")]
    assert client.get("/v1/auth/me", headers=co_admin).status_code == 401
    assert login(client, helper).status_code == 401
    for key in keys:
        assert client.get("/v1/organization", headers={"X-API-Key": key}).status_code == 401
    assert client.get("/v1/organization/invitations", headers=owner).json()["data"]["invitations"] == []
    refused = client.post("/v1/auth/accept-invitation",
                          json={"token": invitation_token(client, later), "name": "Late", "password": PASSWORD})
    assert refused.status_code == 401 and code(refused) == "INVITATION_REVOKED"
    assert login(client, later).status_code == 401
    settings = client.get("/v1/organization", headers=owner).json()["data"]
    assert settings["id"] == organization and settings["resultRedirectUrl"] is None


def test_a_squatters_second_factor_is_neither_asked_for_nor_kept(client: Client):
    squatter = client.register()
    email, auth = squatter["user"]["email"], client.bearer(squatter["accessToken"])
    client.enable_two_factor(squatter["accessToken"])
    assert login(client, email).json()["data"].get("requires2FA") is True
    done = reset(client, email, count=3)  # no code: the owner never had one
    assert done.status_code == 200, done.text
    signed_in = login(client, email, NEW_PASSWORD).json()["data"]
    assert "accessToken" in signed_in and signed_in["user"]["twoFactorEnabled"] is False
    assert client.get("/v1/auth/me", headers=auth).status_code == 401

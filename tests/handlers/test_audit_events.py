"""The audit trail: what each security event records, that it is written with its change (or not at
all), who may read which events (admins their organization's, members their own, nobody another
organization's), newest first and paged, and kept for the retention the template sets."""

import json

import pyotp
import pytest

from latchkey.rules import clock, ids
from tests.handlers.conftest import authorize_key, body_of, invoke, new_key, register, sign_in, signed_in_event
from tests.support import PASSWORD, load_event


def events(local_api, user, role=None, **query):
    event = signed_in_event("list_audit_events", user, role=role)
    event["queryStringParameters"] = {k: str(v) for k, v in query.items()} or None
    response = invoke(local_api, "ListAuditEventsFunction", event)
    assert response["statusCode"] == 200, response["body"]
    return body_of(response)["data"]


def types(local_api, user, **query):
    return [e["type"] for e in events(local_api, user, **query)["auditEvents"]]


def login(local_api, email, password, ip="198.51.100.7", agent="journey/1.0"):
    event = load_event("login")
    event["body"] = json.dumps({"email": email, "password": password})
    event["requestContext"]["identity"].update(sourceIp=ip, userAgent=agent)
    return invoke(local_api, "LoginFunction", event)


def test_an_admin_reads_the_organizations_security_events_newest_first(local_api):
    email, data = register(local_api, "audit")
    admin = data["user"]
    assert login(local_api, email, "wrong " + PASSWORD)["statusCode"] == 401
    signed_in = body_of(login(local_api, email, PASSWORD))["data"]
    key = body_of(new_key(local_api, admin))["data"]
    authorize_key(local_api, key["key"]), authorize_key(local_api, key["key"])  # first use recorded once
    revoke = signed_in_event("revoke_api_key", admin)
    revoke["pathParameters"] = {"id": key["id"]}
    assert invoke(local_api, "RevokeApiKeyFunction", revoke)["statusCode"] == 200
    patch = signed_in_event("update_organization", admin)
    patch["body"] = json.dumps({"resultRedirectUrl": "https://app.example.com/done"})
    assert invoke(local_api, "UpdateOrganizationFunction", patch)["statusCode"] == 200
    logout = signed_in_event("logout", admin, access_token=signed_in["accessToken"])
    assert invoke(local_api, "LogoutFunction", logout)["statusCode"] == 200

    assert types(local_api, admin) == [
        "session.logout", "organization.settings_changed", "api_key.revoked", "api_key.first_used",
        "api_key.created", "auth.sign_in.succeeded", "auth.sign_in.failed", "auth.sign_in.succeeded"]
    failed = events(local_api, admin, type="auth.sign_in.failed")["auditEvents"]
    assert len(failed) == 1
    assert failed[0] | {"id": None, "at": None, "requestId": None} == {
        "id": None, "at": None, "requestId": None, "type": "auth.sign_in.failed", "userId": admin["id"],
        "actor": "anonymous", "subject": f"user:{admin['id']}", "reason": "INVALID_CREDENTIALS",
        "sourceIp": "198.51.100.7", "userAgent": "journey/1.0"}
    assert failed[0]["requestId"] and ids.is_id(failed[0]["id"], "evt")
    first_use = events(local_api, admin, type="api_key.first_used")["auditEvents"][0]
    assert first_use["actor"] == first_use["subject"] == f"key:{key['id']}"


def test_members_see_their_own_events_and_nobody_sees_another_organizations(local_api):
    email, data = register(local_api, "audit-own")
    admin = data["user"]
    login(local_api, email, "wrong " + PASSWORD)
    member = {**admin, "id": ids.new_id(ids.USER), "role": "MEMBER"}  # a member of the same organization
    assert types(local_api, member, role="MEMBER") == []
    other_admin = register(local_api, "audit-other")[1]["user"]
    assert types(local_api, other_admin) == ["auth.sign_in.succeeded"]  # its own sign-up only
    assert types(local_api, other_admin, userId=admin["id"]) == []  # a user of another organization: nothing
    refused = signed_in_event("list_audit_events", member, role="MEMBER")
    refused["queryStringParameters"] = {"userId": admin["id"]}
    response = invoke(local_api, "ListAuditEventsFunction", refused)
    assert response["statusCode"] == 403 and body_of(response)["error"]["code"] == "ADMIN_ONLY"
    assert types(local_api, admin, userId=admin["id"]) == ["auth.sign_in.failed", "auth.sign_in.succeeded"]


def test_a_failed_sign_in_for_an_unknown_email_is_recorded_in_no_organization(local_api):
    from latchkey.store import dynamodb

    before = dynamodb.client.query(TableName=_table(), KeyConditionExpression="organizationId = :o",
                                   ExpressionAttributeValues={":o": {"S": "-"}})["Count"]
    assert login(local_api, "nobody-here@example.com", PASSWORD)["statusCode"] == 401
    after = dynamodb.client.query(TableName=_table(), KeyConditionExpression="organizationId = :o",
                                  ExpressionAttributeValues={":o": {"S": "-"}})
    assert after["Count"] == before + 1
    assert "nobody-here" not in json.dumps(after["Items"])  # no email, no way to list it


def test_lockout_and_two_factor_events(local_api):
    email, data = register(local_api, "audit-2fa")
    user = data["user"]
    setup = signed_in_event("setup_2fa", user)
    secret = body_of(invoke(local_api, "SetupTwoFactorFunction", setup))["data"]["secret"]
    enable = signed_in_event("enable_2fa", user, access_token=data["accessToken"])
    enable["body"] = json.dumps({"password": PASSWORD, "code": pyotp.TOTP(secret).now()})
    codes = body_of(invoke(local_api, "EnableTwoFactorFunction", enable))["data"]["recoveryCodes"]
    pending = sign_in(local_api, email)["pendingToken"]
    verify = load_event("verify_2fa")
    verify["body"] = json.dumps({"pendingToken": pending, "code": codes[0]})
    assert invoke(local_api, "VerifyTwoFactorFunction", verify)["statusCode"] == 200
    for _ in range(5):
        login(local_api, email, "wrong " + PASSWORD)
    assert types(local_api, user)[:4] == ["auth.lockout", "auth.sign_in.failed", "auth.sign_in.failed",
                                          "auth.sign_in.failed"]
    assert types(local_api, user)[-5:] == ["auth.sign_in.succeeded", "auth.2fa.recovery_code_used",
                                           "auth.2fa.enabled", "auth.2fa.set_up", "auth.sign_in.succeeded"]


def test_refresh_reuse_and_session_revocation_are_recorded(local_api, monkeypatch):
    email, data = register(local_api, "audit-reuse")
    user = data["user"]
    refresh = load_event("refresh")
    refresh["body"] = json.dumps({"refreshToken": data["refreshToken"]})
    assert invoke(local_api, "RefreshFunction", refresh)["statusCode"] == 200
    other = sign_in(local_api, email)
    revoke = signed_in_event("revoke_session", user, access_token=data["accessToken"])
    from jwt import decode

    revoke["pathParameters"] = {"id": decode(other["accessToken"], options={"verify_signature": False})["sid"]}
    assert invoke(local_api, "RevokeSessionFunction", revoke)["statusCode"] == 200
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() + 60)  # past the 10 s grace window
    assert invoke(local_api, "RefreshFunction", refresh)["statusCode"] == 401
    monkeypatch.undo()
    assert types(local_api, user)[:2] == ["session.refresh_reuse_detected", "session.revoked"]
    logout_all = signed_in_event("logout_all", user, access_token=sign_in(local_api, email)["accessToken"])
    assert invoke(local_api, "LogoutAllFunction", logout_all)["statusCode"] == 200
    assert types(local_api, user)[0] == "session.logout_all"


def test_pages_go_back_in_time_and_a_foreign_cursor_is_refused(local_api):
    email, data = register(local_api, "audit-pages")
    for _ in range(3):
        login(local_api, email, "wrong " + PASSWORD)
    first = events(local_api, data["user"], limit=2)
    second = events(local_api, data["user"], limit=2, cursor=first["nextCursor"])
    seen = [e["id"] for e in first["auditEvents"] + second["auditEvents"]]
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 4
    bad = signed_in_event("list_audit_events", data["user"])
    bad["queryStringParameters"] = {"cursor": "bm90LWFuLWV2ZW50"}
    assert body_of(invoke(local_api, "ListAuditEventsFunction", bad))["error"]["code"] == "INVALID_CURSOR"
    unknown = signed_in_event("list_audit_events", data["user"])
    unknown["queryStringParameters"] = {"type": "made.up"}
    assert invoke(local_api, "ListAuditEventsFunction", unknown)["statusCode"] == 400


def test_events_expire_after_the_retention_period(local_api):
    from latchkey.store import dynamodb

    _, data = register(local_api, "audit-ttl")
    item = dynamodb.client.query(TableName=_table(), KeyConditionExpression="organizationId = :o",
                                 ExpressionAttributeValues={":o": {"S": data["user"]["organizationId"]}})["Items"][0]
    assert int(item["expiresAt"]["N"]) - int(item["at"]["N"]) == 400 * 86400


@pytest.mark.parametrize("failing_item", [0, 1], ids=["the change refused", "the event refused"])
def test_an_event_and_its_change_are_written_together_or_not_at_all(local_api, monkeypatch, failing_item):
    from latchkey.store import api_keys_table, dynamodb

    _, data = register(local_api, "audit-atomic")
    user = data["user"]

    def cancelled(**kwargs):
        reasons = [{"Code": "None"}] * len(kwargs["TransactItems"])
        reasons[failing_item] = {"Code": "ValidationError"}
        raise dynamodb.client.exceptions.TransactionCanceledException(
            {"Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
             "CancellationReasons": reasons}, "TransactWriteItems")

    monkeypatch.setattr(dynamodb.client, "transact_write_items", cancelled)
    assert new_key(local_api, user)["statusCode"] == 500
    monkeypatch.undo()
    assert api_keys_table.list_for_organization(user["organizationId"]) == []
    assert types(local_api, user, type="api_key.created") == []


def _table():
    from latchkey.settings import get_settings

    return get_settings().audit_events_table

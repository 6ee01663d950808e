"""The admin API through its handlers: operators (AWS IAM principals, as API Gateway's AWS_IAM puts them
in `requestContext.identity`) create, find, disable, enable, sign out and delete users, audited with the
IAM principal as actor; a disabled user cannot sign in, and their sessions and keys stop on the next
request (the authorizer's one read); a request without an IAM caller, or with a Latchkey principal, is
refused."""

from __future__ import annotations

import json

import pytest

from tests.handlers.conftest import authorize, authorize_key, body_of, code_of, invoke, new_key, register, sign_in
from tests.support import PASSWORD, load_event, unique_email

ARN = "arn:aws:iam::123456789012:user/ops-robot"


def operator_event(name: str, *, body=None, user_id: str | None = None, query=None, arn: str = ARN) -> dict:
    event = load_event(name)
    event["requestContext"]["identity"]["userArn"] = arn
    if body is not None:
        event["body"] = json.dumps(body)
    if user_id is not None:
        event["pathParameters"] = {"id": user_id}
        event["path"] = event["resource"].replace("{id}", user_id)
    if query is not None:
        event["queryStringParameters"] = query
    return event


def admin_call(local_api, function: str, folder: str, **kwargs) -> dict:
    return invoke(local_api, function, operator_event(folder, **kwargs))


def create(local_api, **body) -> dict:
    body = {"email": unique_email("op"), "name": "Grace", "password": PASSWORD, **body}
    response = admin_call(local_api, "AdminCreateUserFunction", "admin_create_user", body=body)
    assert response["statusCode"] == 201, response["body"]
    return body_of(response)["data"]


def audit_events(user_id: str) -> list[dict]:
    from latchkey.settings import get_settings
    from latchkey.store.dynamodb import client

    items = client.scan(TableName=get_settings().audit_events_table)["Items"]
    return [{k: list(v.values())[0] for k, v in item.items()} for item in items
            if item.get("userId", {}).get("S") == user_id]


def test_created_user_signs_in_and_is_found_by_address_and_id(local_api):
    user = create(local_api, emailVerified=True)
    assert user["role"] == "ADMIN" and user["emailVerified"] and not user["disabled"]
    assert "passwordHash" not in user
    tokens = sign_in(local_api, user["email"])
    assert tokens["user"]["id"] == user["id"]
    found = admin_call(local_api, "AdminFindUserFunction", "admin_find_user", query={"email": user["email"].upper()})
    assert body_of(found)["data"]["id"] == user["id"]
    got = admin_call(local_api, "AdminGetUserFunction", "admin_get_user", user_id=user["id"])
    assert body_of(got)["data"] == user
    created = [e for e in audit_events(user["id"]) if e["type"] == "account.created"]
    assert [e["actor"] for e in created] == [f"iam:{ARN}"]


def test_a_user_joins_an_existing_organization_with_a_role_and_a_taken_address_is_409(local_api):
    first = create(local_api)
    member = create(local_api, organizationId=first["organizationId"], role="MEMBER")
    assert member["organizationId"] == first["organizationId"] and member["role"] == "MEMBER"
    again = admin_call(local_api, "AdminCreateUserFunction", "admin_create_user",
                       body={"email": member["email"], "name": "Twin", "password": PASSWORD})
    assert again["statusCode"] == 409 and code_of(again) == "EMAIL_TAKEN"
    nowhere = admin_call(local_api, "AdminCreateUserFunction", "admin_create_user",
                         body={"email": unique_email("op"), "name": "Lost", "organizationId": "org_nowhere"})
    assert nowhere["statusCode"] == 404 and code_of(nowhere) == "ORGANIZATION_NOT_FOUND"


def test_unknown_users_are_404(local_api):
    for user_id in ("user_00000000000000000000beef", "not-an-id"):
        response = admin_call(local_api, "AdminGetUserFunction", "admin_get_user", user_id=user_id)
        assert response["statusCode"] == 404 and code_of(response) == "USER_NOT_FOUND"
    response = admin_call(local_api, "AdminFindUserFunction", "admin_find_user", query={"email": unique_email("no")})
    assert response["statusCode"] == 404


def test_disabled_user_loses_sessions_and_keys_at_once_and_cannot_sign_in_until_enabled(local_api):
    email, signed_up = register(local_api, "disable")
    user, access, refresh = signed_up["user"], signed_up["accessToken"], signed_up["refreshToken"]
    key = body_of(new_key(local_api, user))["data"]["key"]
    assert authorize(local_api, access)["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    assert authorize_key(local_api, key)["policyDocument"]["Statement"][0]["Effect"] == "Allow"

    response = admin_call(local_api, "AdminDisableUserFunction", "admin_disable_user", user_id=user["id"])
    assert response["statusCode"] == 200, response["body"]
    data = body_of(response)["data"]
    assert data["user"]["disabled"] and data["sessionsRevoked"] == 1 and data["apiKeysRevoked"] == 1

    assert authorize(local_api, access)["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert authorize_key(local_api, key)["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    refreshed = invoke(local_api, "RefreshFunction", {**load_event("refresh"), "body": json.dumps(
        {"refreshToken": refresh})})
    assert refreshed["statusCode"] == 401
    login = load_event("login")
    login["body"] = json.dumps({"email": email, "password": PASSWORD})
    refused = invoke(local_api, "LoginFunction", login)
    assert refused["statusCode"] == 403 and code_of(refused) == "ACCOUNT_DISABLED"
    wrong = invoke(local_api, "LoginFunction", {**login, "body": json.dumps({"email": email, "password": "wrong!!!!"})})
    assert wrong["statusCode"] == 401  # a guesser learns nothing: disabled is told after the right password only

    enabled = admin_call(local_api, "AdminEnableUserFunction", "admin_enable_user", user_id=user["id"])
    assert enabled["statusCode"] == 200 and not body_of(enabled)["data"]["disabled"]
    assert sign_in(local_api, email)["user"]["id"] == user["id"]
    types = [(e["type"], e["actor"]) for e in audit_events(user["id"])]
    assert ("account.disabled", f"iam:{ARN}") in types and ("account.enabled", f"iam:{ARN}") in types


def test_a_request_under_way_when_the_user_is_disabled_makes_no_key(local_api):
    """The authorizer let the request in just before the disable: the key's transaction refuses it."""
    _, signed_up = register(local_api, "racing")
    user = signed_up["user"]
    assert admin_call(local_api, "AdminDisableUserFunction", "admin_disable_user", user_id=user["id"])[
        "statusCode"] == 200
    response = new_key(local_api, user)
    assert response["statusCode"] == 403 and code_of(response) == "ACCOUNT_DISABLED"


def test_sign_out_ends_every_session_and_the_keys_the_user_created(local_api):
    _, signed_up = register(local_api, "signout")
    user = signed_up["user"]
    key = body_of(new_key(local_api, user))["data"]["key"]
    response = admin_call(local_api, "AdminSignOutUserFunction", "admin_sign_out_user", user_id=user["id"])
    assert response["statusCode"] == 200, response["body"]
    assert body_of(response)["data"]["sessionsRevoked"] == 1 and body_of(response)["data"]["apiKeysRevoked"] == 1
    assert authorize(local_api, signed_up["accessToken"])["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert authorize_key(local_api, key)["policyDocument"]["Statement"][0]["Effect"] == "Deny"


def test_delete_takes_the_account_and_frees_the_address(local_api):
    user = create(local_api)
    response = admin_call(local_api, "AdminDeleteUserFunction", "admin_delete_user", user_id=user["id"])
    assert response["statusCode"] == 200 and body_of(response)["data"] == {"deleted": True}
    gone = admin_call(local_api, "AdminGetUserFunction", "admin_get_user", user_id=user["id"])
    assert gone["statusCode"] == 404
    assert ("account.deleted", f"iam:{ARN}") in [(e["type"], e["actor"]) for e in audit_events(user["id"])]
    create(local_api, email=user["email"])  # the address is free again


def test_sole_admin_with_members_is_not_deleted(local_api):
    admin = create(local_api)
    create(local_api, organizationId=admin["organizationId"])
    response = admin_call(local_api, "AdminDeleteUserFunction", "admin_delete_user", user_id=admin["id"])
    assert response["statusCode"] == 409 and code_of(response) == "SOLE_ADMIN"


@pytest.mark.parametrize("how", ["no IAM caller", "a Latchkey principal too"])
def test_an_admin_route_without_an_iam_caller_is_refused(local_api, how):
    user = create(local_api)
    event = operator_event("admin_get_user", user_id=user["id"], arn="" if how == "no IAM caller" else ARN)
    if how == "a Latchkey principal too":
        event["requestContext"]["authorizer"] = {"principalId": user["id"], "userId": user["id"],
                                                 "organizationId": user["organizationId"], "role": "ADMIN"}
    response = invoke(local_api, "AdminGetUserFunction", event)
    assert response["statusCode"] == 403 and code_of(response) == "OPERATOR_ONLY"


def test_the_authorizer_refuses_admin_routes(local_api):
    """Should a deployment put the Lambda authorizer on an admin route, a Latchkey token opens nothing."""
    _, signed_up = register(local_api, "token")
    policy = authorize(local_api, signed_up["accessToken"], "/v1/admin/users/{id}", "GET")
    assert policy["policyDocument"]["Statement"][0]["Effect"] == "Deny"

"""OAuth apps through the handlers: an admin's step-up action; a confidential app's secret answered once
and stored as its SHA-256 only, rotated with the previous one refused; redirect URIs held to the rules;
another organization's app as unknown as a made-up id."""

from __future__ import annotations

import json

import pytest

from tests.handlers.conftest import body_of, call, code_of, register

CALLBACK = "https://portal.example.com/callback"


@pytest.fixture
def admin(local_api) -> dict:
    return register(local_api, "apps")[1]["user"]


def create(local_api, user: dict, *, role: str | None = None, auth_time: int | None = None, **body) -> dict:
    return call(local_api, "CreateAppFunction", "create_app", user, role=role, auth_time=auth_time,
                body={"name": "Portal", "redirectUris": [CALLBACK], "type": "confidential"} | body)


def stored_apps() -> str:
    from latchkey.settings import get_settings
    from latchkey.store.dynamodb import client

    return json.dumps(client.scan(TableName=get_settings().apps_table, ConsistentRead=True)["Items"])


def secret_matches(client_id: str, secret: str) -> bool:
    from latchkey.rules import record_tokens
    from latchkey.store import apps_table

    return record_tokens.matches(apps_table.get(client_id).secret_hash, secret)


def test_a_confidential_app_answers_its_secret_once_and_stores_only_its_hash(local_api, admin):
    response = create(local_api, admin, scopes=["organization:read"])
    assert response["statusCode"] == 201, response["body"]
    data = body_of(response)["data"]
    assert data["clientId"].startswith("app_") and data["type"] == "confidential" and not data["firstParty"]
    assert data["redirectUris"] == [CALLBACK] and data["scopes"] == ["organization:read"]
    secret = data["clientSecret"]
    assert len(secret) >= 43 and secret not in stored_apps() and secret_matches(data["clientId"], secret)
    listed = call(local_api, "ListAppsFunction", "list_apps", admin)
    assert listed["statusCode"] == 200
    (app,) = body_of(listed)["data"]["apps"]
    assert app == {k: v for k, v in data.items() if k != "clientSecret"} and secret not in listed["body"]


def test_a_public_app_has_no_secret_and_may_register_a_native_scheme_and_a_loopback_uri(local_api, admin):
    uris = ["com.example.portal:/callback", "http://127.0.0.1/callback", "http://[::1]:8080/cb"]
    response = create(local_api, admin, type="public", redirectUris=uris, firstParty=True)
    assert response["statusCode"] == 201, response["body"]
    data = body_of(response)["data"]
    assert data["clientSecret"] is None and data["redirectUris"] == uris and data["firstParty"]
    rotated = call(local_api, "RotateAppSecretFunction", "rotate_app_secret", admin,
                   params={"id": data["clientId"]})
    assert rotated["statusCode"] == 409 and code_of(rotated) == "PUBLIC_APP"


@pytest.mark.parametrize("uri", [
    "http://portal.example.com/callback",  # plain http off loopback
    "https://portal.example.com/callback#fragment",
    "https://user:pass@portal.example.com/callback",
    "/callback",
    "javascript:alert(1)",
    "com.example.portal:/callback",  # a private scheme: public (native) apps only
])
def test_a_redirect_uri_that_breaks_the_rules_is_refused_and_nothing_is_registered(local_api, admin, uri):
    response = create(local_api, admin, redirectUris=[CALLBACK, uri])
    assert response["statusCode"] == 400 and code_of(response) == "VALIDATION_FAILED", uri
    assert body_of(response)["error"]["details"][0]["field"] == "redirectUris"
    assert body_of(call(local_api, "ListAppsFunction", "list_apps", admin))["data"]["apps"] == []


def test_an_unknown_scope_or_no_redirect_uri_is_refused(local_api, admin):
    unknown = create(local_api, admin, scopes=["everything"])
    assert unknown["statusCode"] == 400 and code_of(unknown) == "INVALID_SCOPE"
    empty = create(local_api, admin, redirectUris=[])
    assert empty["statusCode"] == 400 and code_of(empty) == "VALIDATION_FAILED"
    wrong_type = create(local_api, admin, type="spa")
    assert wrong_type["statusCode"] == 400 and code_of(wrong_type) == "VALIDATION_FAILED"


def test_rotating_the_secret_refuses_the_previous_one_at_once(local_api, admin):
    data = body_of(create(local_api, admin))["data"]
    rotated = call(local_api, "RotateAppSecretFunction", "rotate_app_secret", admin, params={"id": data["clientId"]})
    assert rotated["statusCode"] == 200, rotated["body"]
    new = body_of(rotated)["data"]
    assert new["clientId"] == data["clientId"] and new["clientSecret"] != data["clientSecret"]
    assert secret_matches(data["clientId"], new["clientSecret"])
    assert not secret_matches(data["clientId"], data["clientSecret"])
    assert new["clientSecret"] not in stored_apps()
    listed = body_of(call(local_api, "ListAppsFunction", "list_apps", admin))["data"]["apps"][0]
    assert listed["secretRotatedAt"] is not None


def test_an_update_changes_only_what_it_names_and_holds_redirect_uris_to_the_rules(local_api, admin):
    data = body_of(create(local_api, admin))["data"]
    params = {"id": data["clientId"]}
    other = "https://portal.example.com/other"
    response = call(local_api, "UpdateAppFunction", "update_app", admin, params=params,
                    body={"redirectUris": [CALLBACK, other], "firstParty": True})
    assert response["statusCode"] == 200, response["body"]
    updated = body_of(response)["data"]
    assert updated["redirectUris"] == [CALLBACK, other] and updated["firstParty"] and updated["name"] == "Portal"
    refused = call(local_api, "UpdateAppFunction", "update_app", admin, params=params,
                   body={"redirectUris": ["http://evil.example.com/"]})
    assert refused["statusCode"] == 400 and code_of(refused) == "VALIDATION_FAILED"
    listed = body_of(call(local_api, "ListAppsFunction", "list_apps", admin))["data"]["apps"][0]
    assert listed["redirectUris"] == [CALLBACK, other] and secret_matches(data["clientId"], data["clientSecret"])


def test_a_deleted_app_is_gone(local_api, admin):
    client_id = body_of(create(local_api, admin))["data"]["clientId"]
    deleted = call(local_api, "DeleteAppFunction", "delete_app", admin, params={"id": client_id})
    assert deleted["statusCode"] == 200 and body_of(deleted)["data"] == {"revoked": client_id}
    again = call(local_api, "DeleteAppFunction", "delete_app", admin, params={"id": client_id})
    assert again["statusCode"] == 404 and code_of(again) == "APP_NOT_FOUND"
    assert body_of(call(local_api, "ListAppsFunction", "list_apps", admin))["data"]["apps"] == []


def test_another_organizations_app_is_as_unknown_as_a_made_up_id(local_api, admin):
    client_id = body_of(create(local_api, admin))["data"]["clientId"]
    stranger = register(local_api, "stranger")[1]["user"]
    for function, event, body in [("UpdateAppFunction", "update_app", {"name": "Mine"}),
                                  ("RotateAppSecretFunction", "rotate_app_secret", None),
                                  ("DeleteAppFunction", "delete_app", None)]:
        for target in (client_id, "app_00000000000000000000dead", "not-an-id"):
            response = call(local_api, function, event, stranger, params={"id": target}, body=body)
            assert response["statusCode"] == 404 and code_of(response) == "APP_NOT_FOUND", (function, target)
    assert body_of(call(local_api, "ListAppsFunction", "list_apps", stranger))["data"]["apps"] == []
    assert body_of(call(local_api, "ListAppsFunction", "list_apps", admin))["data"]["apps"][0]["name"] == "Portal"


def test_apps_are_an_admins_step_up_actions(local_api, admin):
    as_member = create(local_api, admin, role="MEMBER")
    assert as_member["statusCode"] == 403 and code_of(as_member) == "ADMIN_ONLY"
    listed = call(local_api, "ListAppsFunction", "list_apps", admin, role="MEMBER")
    assert listed["statusCode"] == 403 and code_of(listed) == "ADMIN_ONLY"
    stale = create(local_api, admin, auth_time=1)  # signed in long ago: reauthenticate first
    assert stale["statusCode"] == 403 and code_of(stale) == "REAUTHENTICATION_REQUIRED"
    client_id = body_of(create(local_api, admin))["data"]["clientId"]
    for function, event in [("UpdateAppFunction", "update_app"), ("DeleteAppFunction", "delete_app"),
                            ("RotateAppSecretFunction", "rotate_app_secret")]:
        response = call(local_api, function, event, admin, params={"id": client_id}, auth_time=1,
                        body={"name": "x"} if event == "update_app" else None)
        assert response["statusCode"] == 403 and code_of(response) == "REAUTHENTICATION_REQUIRED", function


def test_registering_and_changing_apps_is_audited(local_api, admin):
    from latchkey.settings import get_settings
    from latchkey.store.dynamodb import client

    client_id = body_of(create(local_api, admin))["data"]["clientId"]
    call(local_api, "RotateAppSecretFunction", "rotate_app_secret", admin, params={"id": client_id})
    call(local_api, "DeleteAppFunction", "delete_app", admin, params={"id": client_id})
    events = client.query(TableName=get_settings().audit_events_table, KeyConditionExpression="organizationId = :o",
                          ExpressionAttributeValues={":o": {"S": admin["organizationId"]}})["Items"]
    mine = [e["type"]["S"] for e in events if e.get("subject", {}).get("S") == f"app:{client_id}"]
    assert mine == ["app.registered", "app.secret_rotated", "app.deleted"]

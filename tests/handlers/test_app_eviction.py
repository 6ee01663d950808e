"""An OAuth app's secret is access, as an API key is: whoever created a confidential app knows its
secret, so it ends with them. A removed member's or a deleted account's confidential apps lose their
secret (an admin rotates it to get a new one) and the machine tokens issued with it stop at once; an
organization that goes takes its apps with it; an owner's reclaim removes every app the account's
squatter could have registered."""

from __future__ import annotations

import json

from tests.handlers.conftest import authorize, body_of, call, invoke, join, register, signed_in_event
from tests.handlers.test_oauth_authorize import CALLBACK
from tests.handlers.test_oauth_token import machine
from tests.support import PASSWORD


def new_app(local_api, admin: dict) -> dict:
    """A confidential app `admin` registers (a sign-in just now: the step-up holds)."""
    response = call(local_api, "CreateAppFunction", "create_app", admin, body={
        "name": "Nightly sync", "redirectUris": [CALLBACK], "type": "confidential", "scopes": ["organization:read"],
        "firstParty": True})
    assert response["statusCode"] == 201, response["body"]
    return body_of(response)["data"]


def allowed(local_api, token: str) -> bool:
    policy = authorize(local_api, token, resource="/v1/organization")
    return policy["policyDocument"]["Statement"][0]["Effect"] == "Allow"


def machine_access(local_api, app: dict) -> str:
    status, answer = machine(local_api, app)
    assert status == 200, answer
    assert allowed(local_api, answer["access_token"])
    return answer["access_token"]


def test_a_removed_admins_confidential_app_loses_its_secret_and_its_tokens(local_api, outbox):
    owner = register(local_api, "app-owner")[1]["user"]
    leaving = join(local_api, outbox, owner, role="ADMIN")["user"]
    theirs = new_app(local_api, leaving)  # confidential: its secret is the leaving admin's
    kept = new_app(local_api, owner)
    token, kept_token = machine_access(local_api, theirs), machine_access(local_api, kept)

    removed = call(local_api, "RemoveMemberFunction", "remove_member", owner, params={"userId": leaving["id"]})
    assert removed["statusCode"] == 200, removed["body"]

    assert not allowed(local_api, token)
    status, refused = machine(local_api, theirs)
    assert status == 401 and refused["error"] == "invalid_client"
    assert allowed(local_api, kept_token) and machine(local_api, kept)[0] == 200  # the owner's own stands
    rotated = call(local_api, "RotateAppSecretFunction", "rotate_app_secret", owner, params={"id": theirs["clientId"]})
    assert rotated["statusCode"] == 200, rotated["body"]  # an admin gives it a secret of their own again
    assert machine(local_api, theirs | {"clientSecret": body_of(rotated)["data"]["clientSecret"]})[0] == 200


def test_an_organization_that_goes_takes_its_apps(local_api):
    email, data = register(local_api, "app-last")
    app = new_app(local_api, data["user"])
    token = machine_access(local_api, app)
    event = signed_in_event("delete_account", data["user"], access_token=data["accessToken"])
    event["body"] = json.dumps({"password": PASSWORD})
    assert invoke(local_api, "DeleteAccountFunction", event)["statusCode"] == 200

    assert not allowed(local_api, token)
    status, refused = machine(local_api, app)
    assert status == 401 and refused["error"] == "invalid_client"


def test_an_owners_reclaim_removes_the_squatters_apps(local_api):
    from tests.handlers.test_reset_faults import _reset_event

    email, squatter = register(local_api, "app-squatted")  # an address nobody proved
    app = new_app(local_api, squatter["user"])
    token = machine_access(local_api, app)

    assert invoke(local_api, "ResetPasswordFunction", _reset_event(local_api, email))["statusCode"] == 200

    assert not allowed(local_api, token)
    assert machine(local_api, app)[0] == 401
    listed = call(local_api, "ListAppsFunction", "list_apps", squatter["user"])
    assert body_of(listed)["data"]["apps"] == []

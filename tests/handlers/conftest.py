"""Helpers of the handler tests: a function's handler invoked in this process (the local runtime's
moto and IAM around it), its body read, and sample events signed in as a user."""

from __future__ import annotations

import json
import time

import jwt
import pytest

from tests.conftest import PASSWORD, load_event, unique_email


def invoke(local_api, logical_id: str, event: dict) -> dict:
    from local.gateway import LambdaContext

    return local_api.handlers[logical_id](event, LambdaContext(local_api.functions[logical_id]))


def body_of(response: dict) -> dict:
    return json.loads(response["body"])


def register(local_api, tag: str = "handler") -> tuple[str, dict]:
    """A new account through RegisterFunction: its email and the response's data (user and tokens)."""
    event = load_event("register")
    email = unique_email(tag)
    event["body"] = json.dumps({**json.loads(event["body"]), "email": email})
    response = invoke(local_api, "RegisterFunction", event)
    assert response["statusCode"] == 201, response["body"]
    return email, body_of(response)["data"]


def sign_in(local_api, email: str, password: str = PASSWORD) -> dict:
    """A login through the handler; its body's data (tokens, or the pending token of a 2FA account)."""
    event = load_event("login")
    event["body"] = json.dumps({"email": email, "password": password})
    response = invoke(local_api, "LoginFunction", event)
    assert response["statusCode"] == 200, response["body"]
    return body_of(response)["data"]


@pytest.fixture
def registered(local_api) -> tuple[str, dict]:
    return register(local_api)


def signed_in_event(name: str, user: dict, *, role: str | None = None, access_token: str | None = None) -> dict:
    """The sample event `name` as the authorizer would pass it for `user`; with `access_token`, its
    session and token id too (read from the token as the authorizer would, after verifying it)."""
    event = load_event(name)
    context = {"principalId": user["id"], "userId": user["id"], "organizationId": user["organizationId"],
               "role": role or user["role"], "authTime": str(int(time.time()))}  # a sign-in just now
    if access_token:
        claims = jwt.decode(access_token, options={"verify_signature": False})
        context.update(sessionId=claims["sid"], tokenId=claims["jti"], tokenExpiresAt=str(claims["exp"]))
    event["requestContext"]["authorizer"].update(context)
    return event


def new_key(local_api, user: dict, scopes=("assessments:read",), role: str | None = None, **extra) -> dict:
    """POST /v1/api-keys through its handler, as `user`: the response."""
    event = signed_in_event("create_api_key", user, role=role)
    event["body"] = json.dumps({"name": "k", "scopes": list(scopes), **extra})
    return invoke(local_api, "CreateApiKeyFunction", event)


def authorize_key(local_api, key: str) -> dict:
    """The authorizer's answer (its policy) for `key` as X-API-Key on GET /v1/public/assessments."""
    event = load_event("authorizer")
    event["resource"], event["httpMethod"], event["path"] = "/v1/public/assessments", "GET", "/v1/public/assessments"
    del event["headers"]["Authorization"]
    event["headers"]["X-API-Key"] = key
    return invoke(local_api, "AuthorizerFunction", event)


def mailed(local_api, to: str | None = None) -> list[dict]:
    """The mail sent to `to` (everyone's, with None), newest first, once what is queued was delivered:
    in process no poller runs, so the mailer runs here, in the test's thread."""
    from local import mailbox

    local_api.deliver_queued()
    return mailbox.messages(to)


def mailed_token(local_api, to: str, subject: str) -> str:
    """The one-time token in the newest mail to `to` with `subject`."""
    found = [m for m in mailed(local_api, to) if m["subject"] == subject]
    assert found, f"no '{subject}' mail to {to}"
    return found[0]["text"].split("token=")[1].split()[0]

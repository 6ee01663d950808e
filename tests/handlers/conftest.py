"""Helpers of the handler tests: a function's handler invoked in this process (the local runtime's
moto and IAM around it), its body read, and sample events signed in as a user."""

from __future__ import annotations

import json
import logging
import time
from contextlib import contextmanager

import jwt
import pytest

from tests import openapi_check
from tests.support import PASSWORD, load_event, unique_email


def invoke(local_api, logical_id: str, event: dict) -> dict:
    from local.gateway import LambdaContext

    response = local_api.handlers[logical_id](event, LambdaContext(local_api.functions[logical_id]))
    if "statusCode" in response:  # a function's answer (not an authorizer's policy), held to the document
        openapi_check.check(event.get("httpMethod", ""), event.get("resource", ""), response["statusCode"],
                            response["headers"].get("Content-Type", ""), response["body"].encode())
    return response


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


READ_SCOPE = "organization:read"  # Latchkey's own scope: GET /v1/organization


def write_scope() -> str:
    """A declared write scope (only an admin may put one on a key), for the tests of that rule: a module's
    or your own endpoint's. With none declared the rule has nothing to hold, and the test is skipped."""
    from latchkey.rules.scopes import WRITE_SCOPES

    if not WRITE_SCOPES:
        pytest.skip("no write scope is declared (api/scopes.py, a module, an endpoint of yours)")
    return sorted(WRITE_SCOPES)[0]


def new_key(local_api, user: dict, scopes=(READ_SCOPE,), role: str | None = None, **extra) -> dict:
    """POST /v1/api-keys through its handler, as `user`: the response."""
    event = signed_in_event("create_api_key", user, role=role)
    event["body"] = json.dumps({"name": "k", "scopes": list(scopes), **extra})
    return invoke(local_api, "CreateApiKeyFunction", event)


def authorize_key(local_api, key: str) -> dict:
    """The authorizer's answer (its policy) for `key` as X-API-Key on GET /v1/organization (organization:read)."""
    event = load_event("authorizer")
    event["resource"], event["httpMethod"], event["path"] = "/v1/organization", "GET", "/v1/organization"
    del event["headers"]["Authorization"]
    event["headers"]["X-API-Key"] = key
    return invoke(local_api, "AuthorizerFunction", event)


# --- teams: invitations as the mailer gets them, members as the handlers see them --------------------


@pytest.fixture
def outbox(local_api, monkeypatch):
    """The invitation emails' tokens, by address, as the use case hands them to the mailer."""
    from latchkey.usecases import invitations

    sent: dict[str, list[str]] = {}
    real = invitations.send_invitation
    monkeypatch.setattr(invitations, "send_invitation",
                        lambda invitation, token: (sent.setdefault(invitation.email, []).append(token),
                                                   real(invitation, token)))
    return sent


def call(local_api, function: str, event_name: str, user: dict, *, body=None, params=None, role=None,
         auth_time: int | None = None) -> dict:
    event = signed_in_event(event_name, user, role=role)
    if auth_time is not None:
        event["requestContext"]["authorizer"]["authTime"] = str(auth_time)
    event["body"] = json.dumps(body) if body is not None else None
    if params is not None:
        event["pathParameters"] = params
    return invoke(local_api, function, event)


def invite(local_api, admin: dict, email: str, role: str = "MEMBER", **kwargs) -> dict:
    return call(local_api, "InviteMemberFunction", "invite_member", admin, body={"email": email, "role": role},
                **kwargs)


def accept(local_api, token: str, name: str = "Grace", password: str = PASSWORD) -> dict:
    event = load_event("accept_invitation")
    event["body"] = json.dumps({"token": token, "name": name, "password": password})
    return invoke(local_api, "AcceptInvitationFunction", event)


def join(local_api, outbox, admin: dict, role: str = "MEMBER") -> dict:
    """A new member of `admin`'s organization, invited and accepted: login's body (user and tokens)."""
    email = unique_email("member")
    assert invite(local_api, admin, email, role)["statusCode"] == 201
    response = accept(local_api, outbox[email][-1])
    assert response["statusCode"] == 201, response["body"]
    return body_of(response)["data"]


def authorize(local_api, token: str, resource: str = "/v1/auth/me", method: str = "GET") -> dict:
    event = load_event("authorizer")
    event["resource"], event["httpMethod"] = resource, method
    event["headers"]["Authorization"] = f"Bearer {token}"
    return invoke(local_api, "AuthorizerFunction", event)


def code_of(response: dict) -> str:
    return body_of(response)["error"]["code"]


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


class _Collect(logging.Handler):
    def __init__(self, lines: list[str], formatter: logging.Formatter):
        super().__init__()
        self.lines = lines
        self.setFormatter(formatter)

    def emit(self, record):
        self.lines.append(self.format(record))


@contextmanager
def collected_logs():
    """Every log line the functions write while it is open, as written (`latchkey.logs`)."""
    from latchkey.logs import JsonLines, logger

    lines: list[str] = []
    collector = _Collect(lines, JsonLines())
    logger.addHandler(collector)
    try:
        yield lines
    finally:
        logger.removeHandler(collector)

"""What the handlers log: the request id on every line, and never a password, token or hash."""

import json

from tests.handlers.conftest import body_of, collected_logs, invoke
from tests.support import PASSWORD, load_event, unique_email


def test_no_password_or_token_reaches_a_log_line(local_api):
    with collected_logs() as lines:
        email = unique_email("logs")
        register = load_event("register")
        register["body"] = json.dumps({"email": email, "password": PASSWORD, "name": "Log Check"})
        data = body_of(invoke(local_api, "RegisterFunction", register))["data"]
        bad_login = load_event("login")
        bad_login["body"] = json.dumps({"email": email, "password": "wrong " + PASSWORD})
        invoke(local_api, "LoginFunction", bad_login)
        invalid = load_event("register")
        invalid["body"] = json.dumps({"email": email, "password": "s3cr3t!", "name": 7})
        invoke(local_api, "RegisterFunction", invalid)
        authorizer = load_event("authorizer")
        authorizer["headers"]["Authorization"] = f"Bearer {data['refreshToken']}"
        invoke(local_api, "AuthorizerFunction", authorizer)
    logs = "\n".join(lines)
    assert len(lines) >= 4 and '"message":"denied"' in logs  # the authorizer's line too
    for secret in (PASSWORD, "s3cr3t!", data["accessToken"], data["refreshToken"], data["refreshToken"].split(".")[2]):
        assert secret not in logs
    assert "$argon2" not in logs

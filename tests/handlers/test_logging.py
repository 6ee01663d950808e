"""What the handlers log: the request id on every line, and never a password, token or hash."""

import json
import logging

from tests.conftest import PASSWORD, load_event, unique_email
from tests.handlers.conftest import body_of, invoke


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


def test_no_password_or_token_reaches_a_log_line(local_api):
    from latchkey.edge.http import logger

    collect = _Collect()
    collect.setFormatter(logger.registered_handler.formatter)
    logger.addHandler(collect)
    try:
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
    finally:
        logger.removeHandler(collect)
    logs = "\n".join(collect.lines)
    assert len(collect.lines) >= 4
    for secret in (PASSWORD, "s3cr3t!", data["accessToken"], data["refreshToken"], data["refreshToken"].split(".")[2]):
        assert secret not in logs
    assert "$argon2" not in logs

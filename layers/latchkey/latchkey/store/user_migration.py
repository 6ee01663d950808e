"""The team's own user migration function (UserMigrationFunctionArn): a Lambda function of theirs,
asked about an address Latchkey does not know, as Cognito's user migration trigger is. The only module
that reaches it.

The event is Cognito's (`triggerSource` `UserMigration_Authentication` with the password, or
`UserMigration_ForgotPassword` without; `userName` the address); a user is its answer's
`response.userAttributes` (`email`, `name`?, `email_verified`? as "true"); an error the function raises
(or no attributes) means "no such user, or a wrong password", as in Cognito. A throttle or timeout is the
service's trouble (503), never a refusal."""

from __future__ import annotations

import json
from functools import cache

import boto3
from botocore.config import Config

from latchkey.settings import get_settings

SIGN_IN = "UserMigration_Authentication"
FORGOT_PASSWORD = "UserMigration_ForgotPassword"
_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 2})


@cache
def _lambda():
    return boto3.client("lambda", config=_CONFIG)


def ask(trigger: str, email: str, password: str | None) -> dict | None:
    """The user's attributes the legacy service answers for `email` (and `password`), or None."""
    event = {"version": "1", "triggerSource": trigger, "region": "", "userPoolId": "", "userName": email,
             "callerContext": {}, "request": {"password": password} if password is not None else {},
             "response": {}}
    answer = _lambda().invoke(FunctionName=get_settings().user_migration_function_arn, Payload=json.dumps(event))
    if answer.get("FunctionError"):
        return None
    try:
        attributes = json.loads(answer["Payload"].read())["response"]["userAttributes"]
    except (ValueError, KeyError, TypeError):
        return None
    return attributes if isinstance(attributes, dict) and attributes else None

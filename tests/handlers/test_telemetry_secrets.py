"""Over a whole journey (sign-up, a failed and a good sign-in, refresh, two-factor with a recovery code,
an API key made and used, sign-out everywhere; a module's flow: examples/assessments/tests/),
no log line, no metric (EMF on stdout) and no audit event carries a password, a token, a key, a code
or a hash of one."""

import json

import pyotp

from tests.handlers.conftest import authorize_key, body_of, collected_logs, invoke, new_key, sign_in, signed_in_event
from tests.support import PASSWORD, load_event, unique_email


def post(local_api, function, name, body, user=None, token=None):
    event = signed_in_event(name, user, access_token=token) if user else load_event(name)
    event["body"] = json.dumps(body)
    event["headers"]["Content-Type"] = "application/json"
    response = invoke(local_api, function, event)
    assert response["statusCode"] < 300, (function, response["body"])
    return body_of(response)["data"]


def test_no_secret_reaches_a_log_line_a_metric_or_the_audit_trail(local_api, capsys):
    from latchkey.settings import get_settings
    from latchkey.store import dynamodb

    secrets: list[str] = [PASSWORD]
    with collected_logs() as lines:
        email = unique_email("telemetry")
        data = post(local_api, "RegisterFunction", "register", {"email": email, "password": PASSWORD, "name": "T"})
        user = data["user"]
        secrets += [data["accessToken"], data["refreshToken"]]
        wrong = load_event("login")
        wrong["body"] = json.dumps({"email": email, "password": "not the " + PASSWORD})
        invoke(local_api, "LoginFunction", wrong)
        secrets.append("not the " + PASSWORD)
        pair = post(local_api, "RefreshFunction", "refresh", {"refreshToken": data["refreshToken"]})
        secrets += [pair["accessToken"], pair["refreshToken"]]

        setup = body_of(invoke(local_api, "SetupTwoFactorFunction", signed_in_event("setup_2fa", user)))["data"]
        secrets.append(setup["secret"])
        codes = post(local_api, "EnableTwoFactorFunction", "enable_2fa",
                      {"password": PASSWORD, "code": pyotp.TOTP(setup["secret"]).now()},
                      user, data["accessToken"])["recoveryCodes"]
        pending = sign_in(local_api, email)["pendingToken"]
        signed_in = post(local_api, "VerifyTwoFactorFunction", "verify_2fa",
                          {"pendingToken": pending, "code": codes[0]})
        secrets += [*codes, pending, signed_in["accessToken"], signed_in["refreshToken"]]

        created = body_of(new_key(local_api, user))
        key = created["data"]["key"]
        secrets.append(key)
        authorize_key(local_api, key)
        bogus = load_event("authorizer")
        bogus["headers"]["Authorization"] = f"Bearer {data['refreshToken']}"  # the wrong kind: denied, and logged
        invoke(local_api, "AuthorizerFunction", bogus)

        post(local_api, "LogoutAllFunction", "logout_all", {"revokeApiKeys": True}, user, signed_in["accessToken"])
    stdout = capsys.readouterr().out
    metrics = [line for line in stdout.splitlines() if line.startswith('{"_aws"')]
    audit = json.dumps(dynamodb.client.query(
        TableName=get_settings().audit_events_table, KeyConditionExpression="organizationId = :o",
        ExpressionAttributeValues={":o": {"S": user["organizationId"]}})["Items"])
    logs = "\n".join(lines)
    assert len(lines) >= 10 and '"message":"allowed"' in logs and len(metrics) >= 5 and audit.count("eventId") >= 10
    telemetry = "\n".join([logs, stdout, audit])
    for secret in secrets:
        # a JWT's parts on their own too: a signature or payload leaking alone is still a leak
        for part in [secret, *(p for p in secret.split(".") if len(p) > 16)]:
            assert part not in telemetry, part[:12]
    for forbidden in ("$argon2", "passwordHash", "keyHash", "recoveryCode", "totpSecret", "tokenHash"):
        assert forbidden not in telemetry

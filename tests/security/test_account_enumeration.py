"""Login does not tell whether an account exists: an unknown email and a wrong password cost the same
DynamoDB calls (and the same hashing, see latchkey.rules.passwords)."""

import json

from tests.handlers.conftest import invoke
from tests.support import Client, load_event, unique_email


def test_unknown_email_and_wrong_password_do_the_same_reads(local_api, registered):
    from latchkey.store.dynamodb import client

    email, _ = registered
    seen = []

    def record(model, params, **_):
        seen.append((model.name, params.get("TableName")))

    client.meta.events.register("before-call.dynamodb.*", record)
    try:
        calls = {}
        for label, address in (("known", email), ("unknown", unique_email("ghost"))):
            seen.clear()
            event = load_event("login")
            event["body"] = json.dumps({"email": address, "password": "wrong password entirely"})
            assert invoke(local_api, "LoginFunction", event)["statusCode"] == 401
            calls[label] = list(seen)
    finally:
        client.meta.events.unregister("before-call.dynamodb.*", record)
    assert calls["known"] == calls["unknown"]
    # the per-IP counter, the email's attempt counter, the (email, source) counter, one read of the
    # credentials, then the failure's audit event (in no organization for the unknown email: the same
    # write either way)
    assert [name for name, _ in calls["known"]] == ["UpdateItem", "UpdateItem", "UpdateItem", "GetItem", "PutItem"]


def test_unknown_email_and_wrong_password_are_indistinguishable_over_http(client: Client):
    victim = client.register()
    wrong_password = client.post("/v1/auth/login", json={"email": victim["user"]["email"], "password": "not it at all"})
    unknown_email = client.post("/v1/auth/login", json={"email": "nobody@example.com", "password": "not it at all"})
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json() == {
        "success": False, "error": {"code": "INVALID_CREDENTIALS", "message": "Invalid email or password"}}
    strip = {"Date", "Content-Length"}
    assert {k: v for k, v in wrong_password.headers.items() if k not in strip} == {
        k: v for k, v in unknown_email.headers.items() if k not in strip}

"""Passwordless sign-in by email over HTTP against the local runtime, every link and code read back from
the local mailbox: magic links and sign-in codes, two-factor after them, enumeration, replays, code
guessing, a newer code voiding the older, and the limits per address and per source."""

from __future__ import annotations

import base64
import json
import re
import time

import pyotp

from tests.support import Client, random_ip, unique_email

LINK, CODE, NO_ACCOUNT = "Your sign-in link", "Your sign-in code", "No account uses this address"
LOGIN_KEYS = {"accessToken", "token", "refreshToken", "expiresIn", "tokenType", "user"}


def ask(client: Client, route: str, email: str, **kwargs):
    return client.post(f"/v1/auth/{route}", json={"email": email}, **kwargs)


def mailed_code(client: Client, email: str, count: int = 1) -> str:
    found = [m for m in client.mail(email, count) if m["subject"] == CODE]
    assert found, f"no sign-in code to {email}"
    return re.search(r"code is (\d{6})", found[0]["text"]).group(1)


def magic_link(client: Client, email: str, count: int = 1):
    token = client.mailed_token(email, LINK, count)
    return client.post("/v1/auth/magic-link/verify", json={"token": token}), token


def email_code(client: Client, email: str, code: str, **kwargs):
    return client.post("/v1/auth/email-code/verify", json={"email": email, "code": code}, **kwargs)


def claims(access_token: str) -> dict:
    payload = access_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def me(client: Client, access: str) -> dict:
    return client.get("/v1/auth/me", headers=client.bearer(access)).json()["data"]


def audit_types(client: Client, access: str) -> list[tuple[str, str]]:
    events = client.get("/v1/audit-events", headers=client.bearer(access)).json()["data"]["auditEvents"]
    return [(e["type"], e.get("reason") or "") for e in events]


def test_a_magic_link_signs_in_once_with_the_login_body_and_verifies_the_address(client: Client):
    registered = client.register()
    email = registered["user"]["email"]
    asked = ask(client, "magic-link", email)
    assert asked.status_code == 202 and asked.json() == {"success": True, "data": {"accepted": True}}
    signed_in, token = magic_link(client, email, count=2)  # the verification mail came first
    assert signed_in.status_code == 200, signed_in.text
    data = signed_in.json()["data"]
    assert data.keys() == LOGIN_KEYS and data["user"]["emailVerified"] is True
    assert claims(data["accessToken"])["amr"] == ["email"]
    assert me(client, data["accessToken"])["emailVerified"] is True
    assert ("account.email_verified", "") in audit_types(client, data["accessToken"])
    assert ("auth.sign_in.succeeded", "email") in audit_types(client, data["accessToken"])
    replay = client.post("/v1/auth/magic-link/verify", json={"token": token})
    assert replay.status_code == 400 and replay.json()["error"]["code"] == "ONE_TIME_TOKEN_USED"


def test_an_email_code_signs_in_once_with_the_login_body_and_verifies_the_address(client: Client):
    email = client.register()["user"]["email"]
    assert ask(client, "email-code", email).status_code == 202
    code = mailed_code(client, email, count=2)
    signed_in = email_code(client, email, code)
    assert signed_in.status_code == 200, signed_in.text
    data = signed_in.json()["data"]
    assert data.keys() == LOGIN_KEYS and data["user"]["emailVerified"] is True
    assert claims(data["accessToken"])["amr"] == ["email"]
    replay = email_code(client, email, code)
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "INVALID_SIGN_IN_CODE"


def test_two_factor_users_get_requires_2fa_then_verify_2fa_finishes(client: Client):
    registered = client.register()
    email = registered["user"]["email"]
    secret = client.enable_two_factor(registered["accessToken"])["secret"]
    ask(client, "magic-link", email)
    by_link, _ = magic_link(client, email, count=3)  # verification, the two-factor notice, the link
    ask(client, "email-code", email)
    by_code = email_code(client, email, mailed_code(client, email, count=4))
    for answer, offset in ((by_link, 0), (by_code, 30)):
        assert answer.status_code == 200, answer.text
        data = answer.json()["data"]
        assert data == {"requires2FA": True, "pendingToken": data["pendingToken"], "methods": ["totp", "recovery"]}, \
            "no session tokens yet: the second factors this user has"
        finished = client.post("/v1/auth/verify-2fa", json={"pendingToken": data["pendingToken"],
                                                             "code": pyotp.TOTP(secret).at(time.time() + offset)})
        assert finished.status_code == 200, finished.text
        assert claims(finished.json()["data"]["accessToken"])["amr"] == ["email", "otp"]


def test_known_and_unknown_addresses_get_the_same_answer_and_the_unknown_a_sign_up_note(client: Client):
    known, unknown = client.register()["user"]["email"], unique_email("nobody")
    for route in ("magic-link", "email-code"):
        answers = [ask(client, route, email, source_ip=random_ip()) for email in (known, unknown)]
        assert [a.status_code for a in answers] == [202, 202]
        assert answers[0].json() == answers[1].json()
    notes = [m for m in client.mail(unknown, 2) if m["subject"] == NO_ACCOUNT]
    assert len(notes) == 2 and "/sign-up" in notes[0]["text"] and "token=" not in notes[0]["text"]
    wrong = [email_code(client, email, "000000", source_ip=random_ip()) for email in (known, unknown)]
    assert [w.status_code for w in wrong] == [401, 401] and wrong[0].json() == wrong[1].json()


def test_five_wrong_codes_kill_the_code_even_after_the_lock_is_lifted(client: Client):
    email = client.register()["user"]["email"]
    ask(client, "email-code", email)
    code = mailed_code(client, email, count=2)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        guess = email_code(client, email, wrong)
        assert guess.status_code == 401 and guess.json()["error"]["code"] == "INVALID_SIGN_IN_CODE"
    locked = email_code(client, email, code)
    assert locked.status_code == 423  # the fifth wrong code locked the email, as five wrong passwords do
    # The owner's way back: a magic link signs in (and lifts the lock) ...
    ask(client, "magic-link", email)
    assert magic_link(client, email, count=4)[0].status_code == 200  # after the code and the lock's notice
    # ... and the guessed-at code stays dead: it had its five tries.
    dead = email_code(client, email, code)
    assert dead.status_code == 401 and dead.json()["error"]["code"] == "INVALID_SIGN_IN_CODE"


def test_a_new_code_voids_the_older_one(client: Client):
    email = client.register()["user"]["email"]
    ask(client, "email-code", email)
    first = mailed_code(client, email, count=2)
    ask(client, "email-code", email)
    second = mailed_code(client, email, count=3)
    if first != second:  # one in a million they are the same digits
        older = email_code(client, email, first)
        assert older.status_code == 401 and older.json()["error"]["code"] == "INVALID_SIGN_IN_CODE"
    assert email_code(client, email, second).status_code == 200


def test_sign_in_emails_are_limited_per_address_and_per_source(client: Client):
    email = client.register()["user"]["email"]
    for route in ("magic-link", "email-code") * 4:  # from eight addresses: the address's budget stops them
        assert ask(client, route, email, source_ip=random_ip()).status_code == 202
    time.sleep(2)
    sent = [m for m in client.mail(email, 6) if m["subject"] in (LINK, CODE)]
    assert len(sent) == 5
    answers = [ask(client, route, unique_email()).status_code for route in ("magic-link", "email-code") * 3]
    assert answers[:5] == [202] * 5 and answers[5] == 429


def test_code_guesses_are_limited_per_source(client: Client):
    answers = [email_code(client, unique_email(), "123456").status_code for _ in range(11)]
    assert answers[:10] == [401] * 10 and answers[10] == 429


def test_forged_and_other_purpose_tokens_are_refused_and_a_magic_link_opens_nothing_else(client: Client):
    forged = client.post("/v1/auth/magic-link/verify", json={
        "token": "magic.user_0123456789abcdef01234567.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    assert forged.status_code == 400 and forged.json()["error"]["code"] == "INVALID_ONE_TIME_TOKEN"
    email = client.register()["user"]["email"]
    verification = client.mailed_token(email, "Confirm your email address")
    other = client.post("/v1/auth/magic-link/verify", json={"token": verification})
    assert other.status_code == 400 and other.json()["error"]["code"] == "WRONG_TOKEN_PURPOSE"
    ask(client, "magic-link", email)
    token = client.mailed_token(email, LINK, count=2)
    elsewhere = client.post("/v1/auth/verify-email", json={"token": token})
    assert elsewhere.status_code == 400 and elsewhere.json()["error"]["code"] == "WRONG_TOKEN_PURPOSE"
    assert client.post("/v1/auth/magic-link/verify", json={"token": token}).status_code == 200

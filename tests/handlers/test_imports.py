"""Importing users through the admin API's handlers: every hash format (made here by its reference
algorithm) signs in with its old password and is replaced by Latchkey's argon2id on that first sign-in;
bad lines are refused one by one with their reason, never stored; a re-run skips who exists."""

from __future__ import annotations

import base64
import json

from tests.handlers.conftest import body_of, code_of, invoke, sign_in
from tests.handlers.test_operators import operator_event
from tests.support import PASSWORD, unique_email
from tests.unit.rules.test_imported_hashes import made_by_reference

FIREBASE = {"signerKey": "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==",
            "saltSeparator": "Bw==", "rounds": 8, "memCost": 14}
# user1password, the vector github.com/firebase/scrypt publishes
FIREBASE_USER = {"passwordHash": "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRu"
                                 "id5lQ==", "salt": "42xEC+ixf3L2lw=="}


def run_import(local_api, lines: list) -> dict:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    event = operator_event("admin_import_users")
    event["body"], event["headers"]["Content-Type"] = text, "application/x-ndjson"
    response = invoke(local_api, "AdminImportUsersFunction", event)
    assert response["statusCode"] == 202, response["body"]
    return body_of(response)["data"]


def stored_hash(email: str) -> str:
    from latchkey.store import accounts_table

    return accounts_table.find_credentials(email).password_hash


def test_every_format_signs_in_with_its_old_password_and_is_rehashed_to_argon2id(local_api):
    users = {unique_email("imported"): stored for stored in made_by_reference().values()}
    firebase_email = unique_email("firebase")
    lines = [{"hashParameters": {"firebaseScrypt": FIREBASE}},
             *({"email": email, "name": "Imported", "passwordHash": stored, "emailVerified": True}
               for email, stored in users.items()),
             {"email": firebase_email, **FIREBASE_USER}]
    job = run_import(local_api, lines)
    assert (job["received"], job["created"], job["refused"]) == (len(users) + 1, len(users) + 1, 0), job
    for email, stored in users.items():
        assert stored_hash(email) == stored  # kept as imported until its owner signs in
        assert sign_in(local_api, email)["user"]["emailVerified"]
        assert stored_hash(email).startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        sign_in(local_api, email)  # and Latchkey's own hash verifies from then on
    assert stored_hash(firebase_email).startswith("$firebase-scrypt$")
    sign_in(local_api, firebase_email, "user1password")
    assert stored_hash(firebase_email).startswith("$argon2id$")


def test_a_wrong_password_against_an_imported_hash_is_refused_and_keeps_it(local_api):
    email, stored = unique_email("imported"), made_by_reference()["bcrypt $2y$"]
    run_import(local_api, [{"email": email, "passwordHash": stored}])
    from tests.support import load_event

    event = load_event("login")
    event["body"] = json.dumps({"email": email, "password": PASSWORD + "?"})
    assert code_of(invoke(local_api, "LoginFunction", event)) == "INVALID_CREDENTIALS"
    assert stored_hash(email) == stored


def test_bad_lines_are_refused_with_their_reason_and_a_rerun_skips_who_exists(local_api):
    good = unique_email("good")
    lines = [{"email": good, "passwordHash": made_by_reference()["PHC pbkdf2-sha256"]},
             "{not json",
             {"email": unique_email("md5"), "passwordHash": "5f4dcc3b5aa765d61d8327deb882cf99"},
             {"email": good.upper(), "passwordHash": made_by_reference()["argon2id"]},
             {"email": "not-an-address"},
             {"email": unique_email("extra"), "isAdmin": True},
             {"email": unique_email("lost"), "organizationId": "org_000000000000000000000000"},
             {"email": unique_email("passkey"), "passkeys": [{"id": "short", "publicKey": "not base64url!"}]}]
    job = run_import(local_api, lines)
    assert job["created"] == 1 and job["refused"] == 7
    assert job["refusals"] == [{"line": 2, "reason": "INVALID_JSON"}, {"line": 3, "reason": "UNKNOWN_HASH_FORMAT"},
                               {"line": 4, "reason": "DUPLICATE_EMAIL"}, {"line": 5, "reason": "INVALID_EMAIL"},
                               {"line": 6, "reason": "UNKNOWN_FIELD"},
                               {"line": 7, "reason": "ORGANIZATION_NOT_FOUND"},
                               {"line": 8, "reason": "INVALID_PASSKEY"}]
    from latchkey.store import accounts_table

    assert accounts_table.find_credentials(lines[2]["email"]) is None  # an unknown format is never stored
    again = run_import(local_api, [lines[0]])
    assert (again["created"], again["skipped"]) == (0, 1)
    event = operator_event("admin_get_import", user_id=job["jobId"])
    event["pathParameters"] = {"id": job["jobId"]}
    assert body_of(invoke(local_api, "AdminGetImportFunction", event))["data"] == job


def test_an_unknown_import_is_404_and_an_oversized_import_is_refused_whole(local_api):
    event = operator_event("admin_get_import")
    event["pathParameters"] = {"id": "imp_000000000000000000000000"}
    assert code_of(invoke(local_api, "AdminGetImportFunction", event)) == "IMPORT_NOT_FOUND"
    event = operator_event("admin_import_users")
    event["body"] = "\n".join(json.dumps({"email": f"u{i}@example.com"}) for i in range(201))
    event["headers"]["Content-Type"] = "application/x-ndjson"
    response = invoke(local_api, "AdminImportUsersFunction", event)
    assert response["statusCode"] == 400 and code_of(response) == "VALIDATION_FAILED"
    event["body"] = base64.b64encode(b"x" * (1024 * 1024 + 1)).decode()
    event["isBase64Encoded"] = True
    assert invoke(local_api, "AdminImportUsersFunction", event)["statusCode"] == 413


def test_an_imported_totp_secret_is_sealed_and_asks_for_its_codes(local_api, clock):
    import pyotp

    from latchkey.store.dynamodb import client
    from tests.support import PINNED_NOW, load_event

    secret, email = pyotp.random_base32(), unique_email("totp")
    job = run_import(local_api, [{"email": email, "passwordHash": made_by_reference()["bcrypt $2b$"],
                                  "totpSecret": secret},
                                 {"email": unique_email("badtotp"), "totpSecret": "not base32!"}])
    assert job["created"] == 1 and job["refusals"] == [{"line": 2, "reason": "INVALID_TOTP_SECRET"}]
    from latchkey.settings import get_settings
    from latchkey.store import accounts_table

    user_id = accounts_table.find_credentials(email).user_id
    item = client.get_item(TableName=get_settings().accounts_table, Key={"pk": {"S": f"USER#{user_id}"}})["Item"]
    assert secret not in json.dumps(item) and item["totpSecret"]["S"].startswith("v1.")  # sealed, never in clear
    pending = sign_in(local_api, email)
    assert pending["requires2FA"]
    event = load_event("verify_2fa")
    event["body"] = json.dumps({"pendingToken": pending["pendingToken"], "code": pyotp.TOTP(secret).at(PINNED_NOW)})
    response = invoke(local_api, "VerifyTwoFactorFunction", event)
    assert response["statusCode"] == 200, response["body"]

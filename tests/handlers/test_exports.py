"""Exports through the admin API's handlers, and the round trip: users made with each hash format (by its
reference algorithm) and a TOTP secret are imported, sign in with their old passwords (rehashed to
argon2id), are exported (TOTP secrets only sealed to the recipient's key, read back here with joserfc, an
independent JWE implementation), and imported again after their accounts are gone, where they sign in
with the same passwords and TOTP codes."""

from __future__ import annotations

import json

import pyotp
import requests
from joserfc import jwe
from joserfc.jwk import ECKey

from tests.handlers.conftest import body_of, code_of, invoke, sign_in
from tests.handlers.test_federation import issuer, oidc  # noqa: F401, F811 - fixtures
from tests.handlers.test_imports import FIREBASE, FIREBASE_USER, run_import, stored_hash
from tests.handlers.test_operators import operator_event
from tests.support import PINNED_NOW, load_event, unique_email
from tests.unit.rules.test_imported_hashes import PASSWORD, made_by_reference


def export(local_api, body: dict | None) -> dict:
    event = operator_event("admin_export_users", body=body)
    response = invoke(local_api, "AdminExportUsersFunction", event)
    assert response["statusCode"] == 202, response["body"]
    event = operator_event("admin_get_export")
    event["pathParameters"] = {"id": body_of(response)["data"]["jobId"]}
    return body_of(invoke(local_api, "AdminGetExportFunction", event))["data"]


def exported_lines(job: dict, emails: set[str]) -> list[dict]:
    download = requests.get(job["downloadUrl"], timeout=10)
    assert download.status_code == 200, download.text
    return [line for line in map(json.loads, download.text.splitlines()) if line["email"] in emails]


def verify_2fa(local_api, pending: str, secret: str) -> dict:
    event = load_event("verify_2fa")
    event["body"] = json.dumps({"pendingToken": pending, "code": pyotp.TOTP(secret).at(PINNED_NOW)})
    return invoke(local_api, "VerifyTwoFactorFunction", event)


def delete(local_api, email: str) -> None:
    from latchkey.store import accounts_table

    user_id = accounts_table.find_credentials(email).user_id
    response = invoke(local_api, "AdminDeleteUserFunction", operator_event("admin_delete_user", user_id=user_id))
    assert response["statusCode"] == 200, response["body"]


def test_round_trip_every_format_and_a_totp_secret(local_api, clock):
    users = {unique_email("trip"): (stored, PASSWORD) for stored in made_by_reference().values()}
    firebase_email, totp_email, secret = unique_email("trip-fb"), unique_email("trip-totp"), pyotp.random_base32()
    lines = [{"hashParameters": {"firebaseScrypt": FIREBASE}},
             *({"email": e, "passwordHash": h, "emailVerified": True} for e, (h, _) in users.items()),
             {"email": firebase_email, **FIREBASE_USER},
             {"email": totp_email, "passwordHash": made_by_reference()["bcrypt $2a$"], "totpSecret": secret}]
    team = unique_email("trip").split("@")[0]  # an organization's key where it came from
    boss, worker = unique_email("trip-boss"), unique_email("trip-worker")
    passkey = {"id": "Y3JlZGVudGlhbC1pZC1vbmU", "name": "Laptop", "publicKey": "pQECAyYgASFYIGJ5dGVzLW9mLXRoZS14",
               "signCount": 7, "createdAt": "2026-01-02T03:04:05+00:00", "backedUp": True}
    lines += [{"email": worker, "passwordHash": made_by_reference()["argon2i"], "organization": team, "role": "MEMBER",
               "passkeys": [passkey]},
              {"email": boss, "passwordHash": made_by_reference()["argon2id"], "organization": team, "role": "ADMIN",
               "organizationName": "Acme"}]  # the member first: the admin brings the organization
    assert run_import(local_api, lines)["created"] == len(users) + 4
    users |= {firebase_email: ("", "user1password"), totp_email: ("", PASSWORD), boss: ("", PASSWORD),
              worker: ("", PASSWORD)}
    for email, (_, password) in users.items():
        signed_in = sign_in(local_api, email, password)
        if email == totp_email:
            assert verify_2fa(local_api, signed_in["pendingToken"], secret)["statusCode"] == 200
        assert stored_hash(email).startswith("$argon2id$")  # rehashed on that first sign-in

    recipient = ECKey.generate_key("P-256")
    job = export(local_api, {"recipientPublicKey": recipient.as_dict(private=False)})
    assert job["sealedTo"] == "ECDH-ES+A256GCM" and job["expiresIn"] == 900
    out = exported_lines(job, set(users))
    assert len(out) == len(users)
    (totp_line,) = [line for line in out if line["email"] == totp_email]
    assert secret not in json.dumps(out)  # never in clear
    assert jwe.decrypt_compact(totp_line["totpSecretJwe"], recipient).plaintext.decode() == secret
    assert all(line["passwordHash"].startswith("$argon2id$") for line in out)

    for email in sorted(users, key=lambda e: e == boss):  # the accounts go (the admin last); the export is left
        delete(local_api, email)
    again = [{**{k: v for k, v in line.items() if k != "totpSecretJwe"},
              **({"totpSecret": jwe.decrypt_compact(line["totpSecretJwe"], recipient).plaintext.decode()}
                 if "totpSecretJwe" in line else {})} for line in out]
    job = run_import(local_api, again)
    assert (job["created"], job["refused"]) == (len(users), 0), job
    members = {}
    for email, (_, password) in users.items():
        signed_in = sign_in(local_api, email, password)
        if email == totp_email:
            assert verify_2fa(local_api, signed_in["pendingToken"], secret)["statusCode"] == 200
        else:
            assert signed_in["user"]["email"] == email
            members[email] = signed_in["user"]
    assert members[boss]["role"] == "ADMIN" and members[worker]["role"] == "MEMBER"
    assert members[boss]["organizationId"] == members[worker]["organizationId"]  # one organization again
    from latchkey.store import accounts_table

    _, passkeys = accounts_table.get_user_and_passkeys(members[worker]["id"])
    assert [(p.id, p.public_key, p.sign_count, p.backed_up) for p in passkeys] == [
        (passkey["id"], passkey["publicKey"], 7, True)]  # its public key, as registered


def test_without_a_recipient_key_totp_secrets_are_left_out(local_api):
    email = unique_email("nokey")
    run_import(local_api, [{"email": email, "passwordHash": made_by_reference()["argon2id"],
                            "totpSecret": pyotp.random_base32()}])
    job = export(local_api, None)
    assert job["sealedTo"] == ""
    (line,) = exported_lines(job, {email})
    assert set(line) == {"email", "name", "emailVerified", "passwordHash", "organization", "organizationName", "role"}


def test_a_bad_recipient_key_and_an_unknown_export_are_refused(local_api):
    private = ECKey.generate_key("P-256").as_dict(private=True)
    for key in ({"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}, private):
        event = operator_event("admin_export_users", body={"recipientPublicKey": key})
        response = invoke(local_api, "AdminExportUsersFunction", event)
        assert response["statusCode"] == 400, response["body"]
    event = operator_event("admin_get_export")
    event["pathParameters"] = {"id": "exp_000000000000000000000000"}
    assert code_of(invoke(local_api, "AdminGetExportFunction", event)) == "EXPORT_NOT_FOUND"


def test_linked_identities_go_out_and_come_back_and_their_provider_signs_the_user_in_again(local_api, oidc):  # noqa: F811
    from tests.handlers.test_federation import fresh_subject, refresh_cookie, user_of
    from tests.handlers.test_federation import sign_in as provider_sign_in

    subject, email = fresh_subject(oidc)
    assert refresh_cookie(provider_sign_in(local_api, oidc, subject))  # an account made by the provider
    (line,) = exported_lines(export(local_api, None), {email})
    assert [(i["provider"], i["subject"], i["email"]) for i in line["identities"]] == [("oidc", subject, email)]

    delete(local_api, email)  # its identity goes with it (tests/handlers/test_identity_eviction.py)
    job = run_import(local_api, [line])
    assert (job["created"], job["refused"]) == (1, 0), job
    imported = user_of(email)
    assert refresh_cookie(provider_sign_in(local_api, oidc, subject))  # the same sign-in as before
    assert user_of(email).id == imported.id  # found by the identity: the imported user, no new account

    taken = {**line, "email": unique_email("other")}  # the same identity on another address
    job = run_import(local_api, [taken, {**line, "identities": [{"provider": "myspace", "subject": "1"}]}])
    assert [r["reason"] for r in job["refusals"]] == ["IDENTITY_TAKEN", "INVALID_IDENTITY"], job


"""The admin API over HTTP, as an operator's server calls it: requests signed with AWS SigV4 (botocore,
service execute-api) by the credentials `make dev` printed. A user created, signed in, disabled (their
access token and API key stop on the next request, sign-in says ACCOUNT_DISABLED), enabled, signed out and
deleted; a wrong signature, a Latchkey token and no signature on an admin route are refused by the
gateway, and a Latchkey token never reaches the function."""

from __future__ import annotations

import json

from tests.support import PASSWORD, Client, unique_email


def signed(client: Client, method: str, path: str, body: dict | None = None, secret: str | None = None):
    return client.request(method, path, json=body, auth=client.operator_auth(secret))


def login(client: Client, email: str, password: str = PASSWORD):
    return client.post("/v1/auth/login", json={"email": email, "password": password})


def test_an_operator_creates_disables_enables_signs_out_and_deletes_a_user(client: Client):
    email = unique_email("operated")
    created = signed(client, "POST", "/v1/admin/users", {"email": email, "name": "Ops", "password": PASSWORD})
    assert created.status_code == 201, created.text
    user = created.json()["data"]
    assert signed(client, "GET", f"/v1/admin/users?email={email.upper()}").json()["data"]["id"] == user["id"]

    tokens = login(client, email).json()["data"]
    bearer = client.bearer(tokens["accessToken"])
    key = client.post("/v1/api-keys", headers=bearer, json={"name": "ci", "scopes": ["organization:read"]})
    assert key.status_code == 201, key.text
    assert client.get("/v1/auth/me", headers=bearer).status_code == 200

    disabled = signed(client, "POST", f"/v1/admin/users/{user['id']}/disable")
    assert disabled.status_code == 200 and disabled.json()["data"]["user"]["disabled"]
    assert client.get("/v1/auth/me", headers=bearer).status_code == 401
    api_key = {"X-API-Key": key.json()["data"]["key"]}
    assert client.get("/v1/organization", headers=api_key).status_code == 401
    refused = login(client, email)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "ACCOUNT_DISABLED"

    assert signed(client, "POST", f"/v1/admin/users/{user['id']}/enable").status_code == 200
    again = login(client, email).json()["data"]
    events = client.get("/v1/audit-events?type=account.disabled", headers=client.bearer(again["accessToken"]))
    assert [e["actor"] for e in events.json()["data"]["auditEvents"]] == \
        ["iam:arn:aws:iam::123456789012:user/local-operator"]

    signed_out = signed(client, "POST", f"/v1/admin/users/{user['id']}/sign-out")
    assert signed_out.status_code == 200 and signed_out.json()["data"]["sessionsRevoked"] == 1
    assert client.get("/v1/auth/me", headers=client.bearer(again["accessToken"])).status_code == 401

    assert signed(client, "DELETE", f"/v1/admin/users/{user['id']}").status_code == 200
    assert signed(client, "GET", f"/v1/admin/users/{user['id']}").status_code == 404
    assert login(client, email).status_code == 401


def test_a_wrong_signature_a_latchkey_token_and_no_signature_are_refused_by_the_gateway(client: Client):
    admin = client.register()
    wrong = signed(client, "GET", f"/v1/admin/users/{admin['user']['id']}", secret="not-the-secret")
    assert wrong.status_code == 403
    assert wrong.json()["error"]["message"].startswith("The request signature we calculated does not match")
    token = client.get(f"/v1/admin/users/{admin['user']['id']}", headers=client.bearer(admin["accessToken"]))
    assert token.status_code == 403 and token.json()["error"]["message"].startswith("Invalid key=value pair")
    nothing = client.post("/v1/admin/users", json={"email": unique_email("x"), "name": "X", "password": PASSWORD})
    assert nothing.status_code == 404  # API Gateway's MISSING_AUTHENTICATION_TOKEN, as the template renders it


def test_round_trip_into_a_fresh_stack(client: Client, tmp_path):
    """Users of every hash format and a TOTP secret, imported here, sign in (rehashed), are exported with
    their TOTP secret sealed to a recipient's key, and imported into a second, fresh stack, where they
    sign in with the same passwords and TOTP codes."""
    import pyotp
    import requests
    from joserfc import jwe
    from joserfc.jwk import ECKey

    from tests.handlers.test_imports import FIREBASE, FIREBASE_USER
    from tests.support import LocalApiProcess
    from tests.unit.rules.test_imported_hashes import made_by_reference

    users = {unique_email("trip"): (stored, PASSWORD) for stored in made_by_reference().values()}
    firebase, two_factor, secret = unique_email("trip-fb"), unique_email("trip-totp"), pyotp.random_base32()
    lines = [{"hashParameters": {"firebaseScrypt": FIREBASE}},
             *({"email": e, "passwordHash": h} for e, (h, _) in users.items()),
             {"email": firebase, **FIREBASE_USER},
             {"email": two_factor, "passwordHash": made_by_reference()["bcrypt $2b$"], "totpSecret": secret}]
    users |= {firebase: ("", "user1password"), two_factor: ("", PASSWORD)}

    def import_into(api: Client, rows: list[dict]) -> dict:
        body = "\n".join(json.dumps(row) for row in rows).encode()
        answer = api.request("POST", "/v1/admin/imports", data=body, auth=api.operator_auth(),
                             headers={"Content-Type": "application/x-ndjson"})
        assert answer.status_code == 202, answer.text
        return answer.json()["data"]

    def signs_in_everyone(api: Client) -> None:
        for email, (_, password) in users.items():
            answer = login(api, email, password)
            assert answer.status_code == 200, (email, answer.text)
            if email == two_factor:
                verified = api.post("/v1/auth/verify-2fa", json={"pendingToken": answer.json()["data"]["pendingToken"],
                                                                  "code": pyotp.TOTP(secret).now()})
                assert verified.status_code == 200, verified.text

    assert import_into(client, lines)["created"] == len(users)
    signs_in_everyone(client)
    recipient = ECKey.generate_key("P-256")
    job = signed(client, "POST", "/v1/admin/exports", {"recipientPublicKey": recipient.as_dict(private=False)})
    assert job.status_code == 202, job.text
    done = signed(client, "GET", f"/v1/admin/exports/{job.json()['data']['jobId']}").json()["data"]
    exported = [row for row in map(json.loads, requests.get(done["downloadUrl"], timeout=10).text.splitlines())
                if row["email"] in users]
    assert len(exported) == len(users) and secret not in json.dumps(exported)
    assert all(row["passwordHash"].startswith("$argon2id$") for row in exported)  # rehashed at sign-in
    rows = [{**{k: v for k, v in row.items() if k != "totpSecretJwe"},
             **({"totpSecret": jwe.decrypt_compact(row["totpSecretJwe"], recipient).plaintext.decode()}
                if "totpSecretJwe" in row else {})} for row in exported]

    fresh = LocalApiProcess(tmp_path / "fresh.log", "--ephemeral", "--no-demo")
    try:
        other = Client(fresh.base_url)
        other.operator = fresh.operator
        assert import_into(other, rows)["created"] == len(users)
        signs_in_everyone(other)
    finally:
        fresh.stop()



def test_an_import_of_thousands_of_users_from_an_s3_object(client: Client):
    """A generated file of 2,000 users with bcrypt hashes (far past a request's 200), a bad line and a
    repeated address, put in the imports bucket through S3 and imported by the worker from the stack's
    queue, past API Gateway's 29 s if it needs to: counts exact, and a user of the file signs in with
    their old password."""
    import time

    import bcrypt

    count = 2000
    old_hash = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()  # the cheapest cost: one sign-in
    tag = unique_email("bulk").split("@")[0]
    users = [{"email": f"{tag}-{n}@example.com", "name": f"Bulk {n}", "passwordHash": old_hash} for n in range(count)]
    lines = [json.dumps(u) for u in users[:10]] + ["not json"] + [json.dumps(u) for u in users[10:]] + \
        [json.dumps(users[3])]
    s3 = client.aws("s3")
    bucket = next(b["Name"] for b in s3.list_buckets()["Buckets"] if "-imports-" in b["Name"])
    s3.put_object(Bucket=bucket, Key=f"imports/{tag}.jsonl", Body=("\n".join(lines) + "\n").encode())
    started = time.perf_counter()
    answer = signed(client, "POST", "/v1/admin/imports", {"source": {"bucket": bucket, "key": f"imports/{tag}.jsonl"}})
    assert answer.status_code == 202, answer.text
    job = answer.json()["data"]
    progress, progressed_at = None, time.monotonic()
    while job["status"] in ("queued", "running"):  # polled as an operator would
        time.sleep(0.5)
        job = signed(client, "GET", f"/v1/admin/imports/{job['jobId']}").json()["data"]
        if job.get("linesRead") != progress:
            progress, progressed_at = job.get("linesRead"), time.monotonic()
        assert time.monotonic() - progressed_at < 120, f"the import stopped moving: {job}"
    seconds = time.perf_counter() - started
    print(f"\nimport from S3: {count} users in {seconds:.1f} s, {count / seconds:.0f} users/s")
    assert (job["status"], job["received"], job["created"], job["skipped"], job["refused"]) == \
        ("succeeded", count + 2, count, 1, 1), job
    assert job["refusals"] == [{"line": 11, "reason": "INVALID_JSON"}]
    signed_in = login(client, f"{tag}-{count - 1}@example.com")
    assert signed_in.status_code == 200, signed_in.text
    assert login(client, f"{tag}-1234@example.com", "not the old password").status_code == 401

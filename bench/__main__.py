"""`make bench`: the figures the docs site's performance page quotes. Not a test: nothing here fails.

Everything is measured from what `sam build` produced, in the local runtime's Lambda sandboxes (one
`python3.12 -I -S` process per function, Lambda's module path, nothing of the dev virtualenv):
1. Cold init of every function, in a fresh sandbox of its own: the CPU time of `import boto3;
   boto3.client("dynamodb")` (the floor), then of importing its handler module on top, in the same
   process; the ratio is (floor + handler) / floor. CPU time, because init is CPU-bound and CPU time
   does not count the moments a busy 2-core machine gives to others; one process, because two
   processes one after the other do not get the same machine.
2. Per route, through the local API Gateway (moto server behind it): the warm handler time of the
   authorizer and of the function, measured inside their sandboxes, the whole request's time through
   the gateway, and the DynamoDB calls each function makes per request.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import random
import statistics
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

from api.scopes import SCOPES
from bench import cost
from examples import ENABLED
from local.lambda_runtime import Sandbox
from local.runtime import LocalStack

ROOT = Path(__file__).resolve().parent.parent
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "7"))
WARM_RUNS = int(os.environ.get("BENCH_WARM_RUNS", "30"))
ONLY = os.environ.get("BENCH_ONLY", "")  # measure only the routes whose label holds this (all by default)
# Cold-start only the functions whose logical id holds this (all by default).
ONLY_FUNCTIONS = os.environ.get("BENCH_FUNCTIONS", "")
TARGETS = {"AuthorizerFunction": (1.2, 1)}  # logical id -> (init ratio, DynamoDB calls) where the issue sets one
DEFAULT_INIT_TARGET = 1.5
AUTHORIZER = "AuthorizerFunction"


def cold_init(stack: LocalStack) -> tuple[float, dict[str, float], dict[str, float]]:
    """The median floor (CPU ms), and per function the median CPU ms its handler import adds on top of
    it and the median ratio (floor + import) / floor. Both parts are timed in the same fresh sandbox,
    the floor first (`Sandbox(floor_first=True)`): timed in two processes, one after the other, the
    ratio of functions with the same imports spread from 1.1x to 2.0x on this busy 2-core machine."""
    functions = {name: f for name, f in stack.template.functions().items() if ONLY_FUNCTIONS in name}
    pool = stack.functions
    floors: list[float] = []
    adds: dict[str, list[float]] = {name: [] for name in functions}
    ratios: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(COLD_RUNS):
        for name, function in functions.items():
            sandbox = Sandbox(function, pool.environment(function), pool.sandbox_path(function), None,
                              floor_first=True)
            sandbox.stop()
            floor = sandbox.floor_cpu_ms
            floors.append(floor)
            adds[name].append(sandbox.init_cpu_ms)
            ratios[name].append((floor + sandbox.init_cpu_ms) / floor)
    return (statistics.median(floors), {name: statistics.median(a) for name, a in adds.items()},
            {name: statistics.median(r) for name, r in ratios.items()})


class Recorder:
    """Requests through the local gateway, with each function's outcome (its in-sandbox time and AWS
    calls) kept for the request."""

    def __init__(self, stack: LocalStack):
        self.stack = stack
        self.last: dict[str, object] = {}
        self.requesting = 0  # the thread whose request is measured
        invoke = stack.functions.invoke

        def recorded(function_id: str, event: dict, *args, **kwargs):  # as the gateway calls it
            outcome = invoke(function_id, event, *args, **kwargs)
            # The request's own functions only: the mailer, polling its queue meanwhile, is not the request's.
            if threading.get_ident() == self.requesting:
                self.last[function_id] = outcome
            return outcome

        stack.functions.invoke = recorded

    def request(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        import json

        headers = [("Content-Type", "application/json")]
        if token:
            headers.append(("Authorization", f"Bearer {token}"))
        self.last, self.requesting = {}, threading.get_ident()
        # A new source address each time: the per-IP limits must not turn the benchmark into 429s.
        source_ip = f"127.{random.randrange(1, 255)}.{random.randrange(1, 255)}.{random.randrange(1, 255)}"
        started = time.perf_counter()
        sent = b"" if body is None else json.dumps(body).encode()
        response = self.stack.handle(method, path, headers, sent, source_ip)
        self.last["request"] = time.perf_counter() - started
        return response, dict(self.last)


def warm_routes(stack: LocalStack) -> list[tuple]:
    import pyotp

    counting = Recorder(stack)
    password = "correct horse battery staple"

    def sign_in() -> dict:
        response, _ = counting.request("POST", "/v1/auth/login", {"email": "bench@example.com",
                                                                  "password": password})
        return response.json()["data"]

    counting.request("POST", "/v1/auth/register", {"email": "bench@example.com", "password": password,
                                                   "name": "Bench"})
    token = sign_in()["accessToken"]
    chain = {"refresh": sign_in()["refreshToken"]}
    every_scope = [scope.name for scope in SCOPES]
    created, _ = counting.request("POST", "/v1/api-keys", {"name": "bench", "scopes": every_scope}, token)
    api_key = created.json()["data"]["key"]
    counting.request("PATCH", "/v1/organization", {"resultRedirectUrl": "https://example.com/done?x=1"}, token)

    def rotate():
        response, last = counting.request("POST", "/v1/auth/refresh", {"refreshToken": chain["refresh"]})
        chain["refresh"] = response.json()["data"]["refreshToken"]
        return response, last

    def enrolled_user() -> tuple[str, str]:
        """A fresh user with two-factor on: (email, TOTP secret)."""
        email = f"tf-{uuid.uuid4().hex}@example.com"
        response, _ = counting.request("POST", "/v1/auth/register", {"email": email, "password": password,
                                                                     "name": "TF"})
        access = response.json()["data"]["accessToken"]
        secret = counting.request("POST", "/v1/auth/2fa/setup", None, access)[0].json()["data"]["secret"]
        counting.request("POST", "/v1/auth/2fa/enable", {"password": password, "code": pyotp.TOTP(secret).now()},
                         access)
        return email, secret

    two_factor_email, _ = enrolled_user()

    def verify_second_factor():
        email, secret = enrolled_user()
        pending = counting.request("POST", "/v1/auth/login", {"email": email, "password": password})[0]
        code = pyotp.TOTP(secret).at(time.time() + 30)  # a later step than the one enable used
        return counting.request("POST", "/v1/auth/verify-2fa",
                                {"pendingToken": pending.json()["data"]["pendingToken"], "code": code})

    def fresh() -> str:
        """An access token of a sign-in just now: the step-up routes need one."""
        return sign_in()["accessToken"]

    def invited(role: str = "MEMBER") -> tuple[str, str]:
        """A new invitation: (its id, the token from its email, once the mailer has sent it)."""
        from local import mailbox

        address = f"invitee-{uuid.uuid4().hex}@example.com"
        response, _ = counting.request("POST", "/v1/organization/invitations", {"email": address, "role": role},
                                       fresh())
        deadline = time.monotonic() + 60
        while not (messages := mailbox.messages(address)) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not messages:
            raise SystemExit(f"make bench: no invitation mail reached {address} in 60 s "
                             f"(the invitation answered {response.status_code}: {response.text[:200]})")
        link = next(word for word in messages[0]["text"].split() if "token=" in word)
        return response.json()["data"]["id"], link.split("token=")[1]

    def accepted(role: str = "MEMBER") -> dict:
        _, invitation = invited(role)
        return counting.request("POST", "/v1/auth/accept-invitation", {
            "token": invitation, "name": "Member", "password": password})[0].json()["data"]

    teammate = accepted()
    roles = {"next": "ADMIN"}

    def change_role():
        role, roles["next"] = roles["next"], "MEMBER" if roles["next"] == "ADMIN" else "ADMIN"
        return counting.request("PATCH", f"/v1/organization/members/{teammate['user']['id']}", {"role": role},
                                fresh())

    def accept():
        _, invitation = invited()
        return counting.request("POST", "/v1/auth/accept-invitation", {
            "token": invitation, "name": "Member", "password": password})

    def revoke_invitation():
        invitation_id, _ = invited()
        return counting.request("DELETE", f"/v1/organization/invitations/{invitation_id}", None, fresh())

    def remove_member():
        member = accepted()
        return counting.request("DELETE", f"/v1/organization/members/{member['user']['id']}", None, fresh())

    def end_member_sessions():
        return counting.request("DELETE", f"/v1/organization/members/{teammate['user']['id']}/sessions", None,
                                fresh())
    def fresh_user() -> tuple[str, str]:
        """A new account: (email, access token of a sign-in just now)."""
        email = f"r-{uuid.uuid4().hex}@example.com"
        response, _ = counting.request("POST", "/v1/auth/register", {"email": email, "password": password,
                                                                     "name": "R"})
        return email, response.json()["data"]["accessToken"]

    def mailed_token(email: str, subject: str) -> str:
        """The token of the newest mail to `email` with `subject` (the mailer sends asynchronously)."""
        from local import mailbox

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            found = [m for m in mailbox.messages(email) if m["subject"] == subject]
            if found:
                return found[0]["text"].split("token=")[1].split()[0]
            time.sleep(0.05)
        raise RuntimeError(f"no '{subject}' mail to {email}")

    def verify_email():
        email, _ = fresh_user()
        return counting.request("POST", "/v1/auth/verify-email",
                                {"token": mailed_token(email, "Confirm your email address")})

    def reset_password():
        email, _ = fresh_user()
        counting.request("POST", "/v1/auth/forgot-password", {"email": email})
        return counting.request("POST", "/v1/auth/reset-password", {
            "token": mailed_token(email, "Reset your password"), "password": "a new long passphrase"})

    def signed_in(method, path, body):
        return lambda: counting.request(method, path, body, fresh_user()[1])

    def measured(method, path, body=None, bearer=None):
        return lambda: counting.request(method, path, body() if callable(body) else body,
                                        bearer() if callable(bearer) else bearer)

    scenarios = [
        ("POST /v1/auth/register", measured("POST", "/v1/auth/register", lambda: {
            "email": f"b-{uuid.uuid4().hex}@example.com", "password": password, "name": "Bench"})),
        ("POST /v1/auth/login", measured("POST", "/v1/auth/login",
                                         {"email": "bench@example.com", "password": password})),
        ("POST /v1/auth/login (unknown email)", measured("POST", "/v1/auth/login", lambda: {
            "email": f"nobody-{uuid.uuid4().hex}@example.com", "password": password})),
        ("POST /v1/auth/login (2FA on: pending token)", measured("POST", "/v1/auth/login", {
            "email": two_factor_email, "password": password})),
        ("POST /v1/auth/verify-2fa", verify_second_factor),
        ("POST /v1/auth/refresh", rotate),
        ("GET /v1/auth/me", measured("GET", "/v1/auth/me", bearer=token)),
        ("POST /v1/api-keys", measured("POST", "/v1/api-keys", {"name": "b", "scopes": ["organization:read"]}, token)),
        ("GET /v1/api-keys", measured("GET", "/v1/api-keys", bearer=token)),
        ("GET /v1/auth/sessions", measured("GET", "/v1/auth/sessions", bearer=token)),
        ("POST /v1/auth/logout", measured("POST", "/v1/auth/logout", bearer=lambda: sign_in()["accessToken"])),
        ("GET /v1/auth/me (forged token)", measured("GET", "/v1/auth/me", bearer=token[:-3] + "abc")),
        ("GET /v1/organization (Bearer pk_live_)", measured("GET", "/v1/organization", bearer=api_key)),
        ("GET /v1/organization", measured("GET", "/v1/organization", bearer=token)),
        ("GET /v1/audit-events", measured("GET", "/v1/audit-events", bearer=token)),
        ("GET /v1/organization (malformed key)", measured("GET", "/v1/organization", bearer=api_key[:-1] + "x")),
        ("POST /v1/organization/invitations", measured("POST", "/v1/organization/invitations", lambda: {
            "email": f"i-{uuid.uuid4().hex}@example.com", "role": "MEMBER"}, fresh)),
        ("GET /v1/organization/invitations", measured("GET", "/v1/organization/invitations", bearer=token)),
        ("DELETE /v1/organization/invitations/{id}", revoke_invitation),
        ("POST /v1/auth/accept-invitation", accept),
        ("GET /v1/organization/members", measured("GET", "/v1/organization/members", bearer=token)),
        ("PATCH /v1/organization/members/{userId}", change_role),
        ("GET /v1/auth/me (a member, after role changes)", measured("GET", "/v1/auth/me",
                                                                   bearer=teammate["accessToken"])),
        ("DELETE /v1/organization/members/{userId}/sessions", end_member_sessions),
        ("DELETE /v1/organization/members/{userId}", remove_member),
        ("DELETE /v1/auth/login (405)", measured("DELETE", "/v1/auth/login")),
        ("POST /v1/auth/verify-email", verify_email),
        ("POST /v1/auth/verify-email/resend", signed_in("POST", "/v1/auth/verify-email/resend", None)),
        ("POST /v1/auth/forgot-password (known address)", lambda: counting.request(
            "POST", "/v1/auth/forgot-password", {"email": fresh_user()[0]})),
        ("POST /v1/auth/forgot-password (unknown address)", measured("POST", "/v1/auth/forgot-password", lambda: {
            "email": f"nobody-{uuid.uuid4().hex}@example.com"})),
        ("POST /v1/auth/reset-password", reset_password),
        ("POST /v1/auth/change-password", signed_in("POST", "/v1/auth/change-password", {
            "currentPassword": password, "newPassword": "a new long passphrase"})),
        ("POST /v1/auth/change-email", signed_in("POST", "/v1/auth/change-email", {
            "password": password, "newEmail": f"moved-{uuid.uuid4().hex}@example.com"})),
        ("POST /v1/auth/delete-account", signed_in("POST", "/v1/auth/delete-account", {"password": password})),
    ]
    # Passkeys, with the tests' software authenticator (WebAuthn's bytes built by hand, no browser).
    from tests.passkey_authenticator import SoftAuthenticator

    def enrolled(device: SoftAuthenticator, access: str):
        options, _ = counting.request("POST", "/v1/auth/passkeys/register/options", None, access)
        return counting.request("POST", "/v1/auth/passkeys/register",
                                {"credential": device.create(options.json()["data"]["options"])}, access)

    keyholder, keyholder_token = SoftAuthenticator(), fresh_user()[1]
    passkey_id = enrolled(keyholder, keyholder_token)[0].json()["data"]["id"]

    def asserted(access: str | None = None) -> dict:
        options, _ = counting.request("POST", "/v1/auth/passkeys/login/options", {}, access)
        return {"credential": keyholder.get(options.json()["data"]["options"])}

    def remove_passkey():
        access = fresh_user()[1]
        created, _ = enrolled(SoftAuthenticator(), access)
        return counting.request("DELETE", f"/v1/auth/passkeys/{created.json()['data']['id']}", None, access)

    scenarios += [
        ("POST /v1/auth/passkeys/register/options", measured("POST", "/v1/auth/passkeys/register/options",
                                                              bearer=lambda: fresh_user()[1])),
        ("POST /v1/auth/passkeys/register", lambda: enrolled(SoftAuthenticator(), fresh_user()[1])),
        ("GET /v1/auth/passkeys", measured("GET", "/v1/auth/passkeys", bearer=keyholder_token)),
        ("PATCH /v1/auth/passkeys/{id}", measured("PATCH", f"/v1/auth/passkeys/{passkey_id}", {"name": "Laptop"},
                                                  keyholder_token)),
        ("DELETE /v1/auth/passkeys/{id}", remove_passkey),
        ("POST /v1/auth/passkeys/login/options", measured("POST", "/v1/auth/passkeys/login/options", {})),
        ("POST /v1/auth/passkeys/login", lambda: counting.request("POST", "/v1/auth/passkeys/login", asserted())),
        ("POST /v1/auth/reauthenticate (passkey)", lambda: counting.request(
            "POST", "/v1/auth/reauthenticate", asserted(keyholder_token), keyholder_token)),
    ]
    # The enabled modules' own routes (examples/<name>/bench.py), with this admin's token and key.
    for name in ENABLED:
        if importlib.util.find_spec(f"examples.{name}.bench"):
            scenarios += importlib.import_module(f"examples.{name}.bench").scenarios(counting.request, token, api_key)
    rows = []
    for label, run in [(label, run) for label, run in scenarios if ONLY in label]:
        handler_ms: dict[str, list[float]] = {}
        request_ms: list[float] = []
        calls: dict[str, Counter] = {}
        status = 0
        for i in range(WARM_RUNS + 2):
            response, last = run()
            status = response.status
            if i < 2:
                continue  # warm-up: cold starts and first-use caches (the signing key, the HTTP pool)
            request_ms.append(last.pop("request") * 1000)
            for name, outcome in last.items():
                handler_ms.setdefault(name, []).append(outcome.ms)
                calls[name] = Counter(c.split(":", 1)[1] for c in outcome.calls if c.startswith("dynamodb:"))
        rows.append((label, status, statistics.median(request_ms),
                     {n: statistics.median(s) for n, s in handler_ms.items()}, calls))
    return rows


def main() -> None:
    stack = LocalStack(say=lambda line: print(line, flush=True))
    try:
        rows = warm_routes(stack)
        baseline, inits, ratios = cold_init(stack)
    finally:
        stack.stop()

    print(f"\nCold init (median of {COLD_RUNS} fresh sandboxes per function): in each, the CPU time of the floor,")
    print("then of the handler module's import on top of it; the ratio is (floor + import) / floor")
    print(f"  floor  import boto3 + boto3.client('dynamodb'): {baseline:6.1f} ms = 1.00x")
    for name, ratio in sorted(ratios.items(), key=lambda kv: kv[1]):
        target = TARGETS.get(name, (DEFAULT_INIT_TARGET, None))[0]
        verdict = "ok" if ratio <= target else "OVER"
        print(f"  {name:28s} + {inits[name]:6.1f} ms = {ratio:4.2f}x  (target <= {target}x: {verdict})")

    print(f"\nPer request, warm (median of {WARM_RUNS}): in-sandbox handler time and DynamoDB calls of the")
    print("authorizer and of the function; the whole request through the local gateway (moto server behind)")
    print(f"  {'route':44s} {'status':>6s} {'request':>9s}  {'authorizer':>24s}  {'function':>34s}")
    for label, status, request_ms, medians, calls in rows:
        cells = []
        for name in (AUTHORIZER, None):
            picked = name if name else next((n for n in medians if n != AUTHORIZER), None)
            if picked is None or picked not in medians:
                cells.append("-")
                continue
            n = sum(calls[picked].values())
            ops = ",".join(f"{op}x{c}" if c > 1 else op for op, c in sorted(calls[picked].items())) or "none"
            cells.append(f"{medians[picked]:6.2f} ms {n} ({ops})")
        print(f"  {label:44s} {status:6d} {request_ms:6.1f} ms  {cells[0]:>24s}  {cells[1]:>34s}")
    print("\nTargets: authorizer init <= 1.2x and <= 1 DynamoDB call; other inits <= 1.5x.")
    by_label = {label: medians for label, _, _, medians, _ in rows}
    priced = ("GET /v1/auth/me", "POST /v1/auth/login", "POST /v1/auth/refresh")
    if all(label in by_label for label in priced):  # not when BENCH_ONLY left one out
        me, login, refresh = (by_label[label] for label in priced)
        cost.report(me[AUTHORIZER], me["MeFunction"], login["LoginFunction"], refresh["RefreshFunction"])


if __name__ == "__main__":
    main()

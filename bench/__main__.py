"""`make bench`: the figures the README and the closing notes quote. Not a test: nothing here fails.

1. Cold init of every function: a fresh `python3.12 -I -S` with only what Lambda would have on its
   path (the runtime's boto3, the layer's pinned requirements, the layer's code, the function's
   folder), timing import + module-level setup in CPU time (init is CPU-bound, and CPU time does not
   count the moments a busy 2-core machine gives to others). Reported as a ratio to
   `import boto3; boto3.client("dynamodb")` timed the same way in the same run (interleaved).
2. Per route, through the local API Gateway in this process (moto server behind it): warm latency of
   the authorizer and of the handler, and the DynamoDB calls each makes per request.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench"
LAYER_CODE = ROOT / "layers" / "latchkey"
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "7"))
WARM_RUNS = int(os.environ.get("BENCH_WARM_RUNS", "30"))
TARGETS = {"AuthorizerFunction": (1.2, 1)}  # logical id -> (init ratio, DynamoDB calls) where the issue sets one
DEFAULT_INIT_TARGET = 1.5

_TIMED = """
import sys, time
sys.path[:0] = {paths!r}
t0 = time.process_time()
{code}
print(time.process_time() - t0)
"""


def _pinned(name: str) -> str:
    for line in (ROOT / "requirements-dev.txt").read_text().splitlines():
        if line.lower().startswith(name + "=="):
            return line.strip()
    raise SystemExit(f"{name} is not pinned in requirements-dev.txt")


def _installed(name: str, requirements: str) -> Path:
    """A --target install of `requirements`, made once per content."""
    target = CACHE / f"{name}-{hashlib.sha256(requirements.encode()).hexdigest()[:12]}"
    if not target.exists():
        print(f"installing {target.name} (once) ...", flush=True)
        listing = CACHE / f"{target.name}.txt"
        CACHE.mkdir(exist_ok=True)
        listing.write_text(requirements)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "--target", str(target), "-r", str(listing)], check=True, stderr=subprocess.DEVNULL)
    return target


def lambda_like_paths(function, layers: dict[str, Path]) -> list[str]:
    """What a deployed function has on its path: its folder, its layers (code, then pinned packages),
    and the runtime's boto3."""
    paths = [str(function.code_dir)]
    for name in function.layers:
        folder = layers[name]
        if (folder / "latchkey").exists():
            paths.append(str(folder))
        paths.append(str(_installed(name, (folder / "requirements.txt").read_text())))
    paths.append(str(_installed("runtime", f"{_pinned('boto3')}\n{_pinned('botocore')}\n")))
    return paths


def time_import(paths: list[str], code: str, env: dict[str, str]) -> float:
    script = _TIMED.format(paths=paths, code=code)
    out = subprocess.run([sys.executable, "-I", "-S", "-c", script], env=env, capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


def cold_init(functions: dict, layers: dict[str, Path]) -> tuple[float, dict[str, float]]:
    paths = {name: lambda_like_paths(f, layers) for name, f in functions.items()}
    env = {"PATH": os.environ["PATH"], "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
           "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"}
    for function in functions.values():
        env.update(function.environment)
    baseline_code = "import boto3; boto3.client('dynamodb')"
    samples: dict[str, list[float]] = {name: [] for name in functions}
    baseline: list[float] = []
    # The baseline sees the same path as a function of the main layer: in Lambda, boto3 sits behind
    # the function's and the layers' folders too, and every import walks the path.
    authorizer = next(name for name in functions if name.startswith("Authorizer"))
    for _ in range(COLD_RUNS):
        baseline.append(time_import(paths[authorizer], baseline_code, env))
        for name, function in functions.items():
            samples[name].append(time_import(paths[name], f"import {function.handler.rsplit('.', 1)[0]}", env))
    return statistics.median(baseline), {name: statistics.median(s) for name, s in samples.items()}


class CountingApi:
    """Wraps each handler of the local API to time it and count its DynamoDB calls."""

    def __init__(self, api):
        from latchkey.store.dynamodb import client

        self.api = api
        self.calls: Counter[str] = Counter()
        self.last: dict[str, tuple[float, Counter]] = {}
        client.meta.events.register("before-call.dynamodb.*", self._count)
        for name, handler in list(api.handlers.items()):
            api.handlers[name] = self._wrap(name, handler)

    def _count(self, model, **_kwargs) -> None:
        self.calls[model.name] += 1

    def _wrap(self, name, handler):
        def timed(event, context):
            self.calls = Counter()
            started = time.perf_counter()
            try:
                return handler(event, context)
            finally:
                self.last[name] = (time.perf_counter() - started, self.calls)

        return timed

    def request(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        headers = [("Content-Type", "application/json")]
        if token:
            headers.append(("Authorization", f"Bearer {token}"))
        self.last = {}
        # A new source address each time: the per-IP limits must not turn the benchmark into 429s.
        source_ip = f"127.{random.randrange(1, 255)}.{random.randrange(1, 255)}.{random.randrange(1, 255)}"
        response = self.api.handle(method, path, headers, json.dumps(body).encode() if body else b"", source_ip)
        return response, dict(self.last)


def warm_routes() -> tuple[list[tuple], dict, dict]:
    import pyotp

    from local.runtime import start_local_api

    aws, api = start_local_api()
    try:
        counting = CountingApi(api)
        password = "correct horse battery staple"

        def sign_in() -> dict:
            response, _ = counting.request("POST", "/v1/auth/login", {"email": "bench@example.com",
                                                                      "password": password})
            return response.json()["data"]

        counting.request("POST", "/v1/auth/register", {"email": "bench@example.com", "password": password,
                                                       "name": "Bench"})
        token = sign_in()["accessToken"]
        chain = {"refresh": sign_in()["refreshToken"]}
        created, _ = counting.request("POST", "/v1/api-keys", {"name": "bench", "scopes": [
            "assessments:read", "candidates:read", "candidates:write", "results:read"]}, token)
        api_key = created.json()["data"]["key"]
        assessment = counting.request("POST", "/v1/assessments", {"title": "Bench"}, token)[0]
        assessment_id = assessment.json()["data"]["assessment"]["id"]
        counting.request("PATCH", "/v1/organization", {"resultRedirectUrl": "https://example.com/done?x=1"}, token)

        def invite() -> str:
            response = counting.request("POST", "/v1/public/candidates", {
                "assessmentId": assessment_id, "email": "c@example.com", "name": "C"}, api_key)[0]
            return response.json()["data"]["invitationToken"]

        def complete():
            return counting.request("POST", "/v1/candidate/complete", {"invitationToken": invite(),
                                                                       "answers": {"q1": "a"}})

        def exchange():
            redirect = complete()[0].json()["data"]["redirectUrl"]
            result = redirect.split("result=")[1]
            return counting.request("GET", f"/v1/public/results/{result}", None, api_key)

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
            counting.request("POST", "/v1/auth/2fa/enable", {"code": pyotp.TOTP(secret).now()}, access)
            return email, secret

        two_factor_email, _ = enrolled_user()

        def verify_second_factor():
            email, secret = enrolled_user()
            pending = counting.request("POST", "/v1/auth/login", {"email": email, "password": password})[0]
            code = pyotp.TOTP(secret).at(time.time() + 30)  # a later step than the one enable used
            return counting.request("POST", "/v1/auth/verify-2fa",
                                    {"pendingToken": pending.json()["data"]["pendingToken"], "code": code})

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
            ("POST /v1/api-keys", measured("POST", "/v1/api-keys", {"name": "b", "scopes": ["results:read"]}, token)),
            ("GET /v1/api-keys", measured("GET", "/v1/api-keys", bearer=token)),
            ("GET /v1/auth/sessions", measured("GET", "/v1/auth/sessions", bearer=token)),
            ("POST /v1/assessments", measured("POST", "/v1/assessments", {"title": "Bench"}, token)),
            ("GET /v1/assessments", measured("GET", "/v1/assessments", bearer=token)),
            ("POST /v1/auth/logout", measured("POST", "/v1/auth/logout", bearer=lambda: sign_in()["accessToken"])),
            ("GET /v1/auth/me (forged token)", measured("GET", "/v1/auth/me", bearer=token[:-3] + "abc")),
            ("GET /v1/public/assessments (Bearer pk_live_)", measured("GET", "/v1/public/assessments", bearer=api_key)),
            ("GET /v1/organization", measured("GET", "/v1/organization", bearer=token)),
            ("POST /v1/public/candidates (API key)", measured("POST", "/v1/public/candidates", {
                "assessmentId": assessment_id, "email": "c@example.com", "name": "C"}, api_key)),
            ("GET /v1/public/candidates (API key)", measured("GET", "/v1/public/candidates", bearer=api_key)),
            ("POST /v1/candidate/complete", complete),
            ("GET /v1/public/results/{token} (API key)", exchange),
            ("GET /v1/public/assessments (malformed key)", measured("GET", "/v1/public/assessments",
                                                                   bearer=api_key[:-1] + "x")),
            ("DELETE /v1/auth/login (405)", measured("DELETE", "/v1/auth/login")),
        ]
        rows = []
        for label, run in scenarios:
            runs: dict[str, list[float]] = {}
            calls: dict[str, Counter] = {}
            status = 0
            for i in range(WARM_RUNS + 2):
                response, last = run()
                status = response.status
                if i < 2:
                    continue  # warm-up: first-use caches (the signing key, the HTTP pool)
                for name, (seconds, counted) in last.items():
                    runs.setdefault(name, []).append(seconds)
                    calls[name] = counted
            rows.append((label, status, {n: statistics.median(s) for n, s in runs.items()}, calls))
        return rows, api.functions, api.template.layers()
    finally:
        aws.stop()


def main() -> None:
    sys.path[:0] = [str(ROOT), str(LAYER_CODE)]
    rows, functions, layers = warm_routes()
    baseline, inits = cold_init(functions, layers)

    print(f"\nCold init, CPU time (median of {COLD_RUNS} fresh python3.12 -I -S; Lambda-like path)")
    print(f"  baseline  import boto3 + boto3.client('dynamodb'): {baseline * 1000:6.1f} ms = 1.00x")
    for name, seconds in sorted(inits.items(), key=lambda kv: kv[1]):
        target = TARGETS.get(name, (DEFAULT_INIT_TARGET, None))[0]
        ratio = seconds / baseline
        print(f"  {name:28s} {seconds * 1000:6.1f} ms = {ratio:4.2f}x  (target <= {target}x: "
              f"{'ok' if ratio <= target else 'OVER'})")

    print(f"\nPer request (median of {WARM_RUNS} warm runs, moto server behind; DynamoDB calls per request)")
    print(f"  {'route':42s} {'status':>6s}  {'authorizer':>22s}  {'handler':>30s}")
    for label, status, medians, calls in rows:
        cells = []
        for name in ("AuthorizerFunction", None):
            picked = name if name else next((n for n in medians if n != "AuthorizerFunction"), None)
            if picked is None or picked not in medians:
                cells.append("-")
                continue
            n = sum(calls[picked].values())
            ops = ",".join(f"{op}x{c}" if c > 1 else op for op, c in sorted(calls[picked].items())) or "none"
            cells.append(f"{medians[picked] * 1000:5.1f} ms {n} ({ops})")
        print(f"  {label:42s} {status:6d}  {cells[0]:>22s}  {cells[1]:>30s}")
    print("\nTargets: authorizer init <= 1.2x and <= 1 DynamoDB call; other inits <= 1.5x; login <= 3 calls.")


if __name__ == "__main__":
    main()

"""`make load`: a bounded load against the local API (what `sam build` produced, in its sandboxes,
moto behind it): `LOAD_CLIENTS` concurrent clients (4) for `LOAD_SECONDS` (20), each with its own
account and API key, mixing sign-ins, refreshes, authorized reads and API-key reads. It prints
p50/p95/p99 per route, throughput and answers by status, then checks that every write is accounted
for: sessions created equal successful sign-ins, each refresh family has one live generation (the one
its client holds), and the audit events match the actions. It fails (exit 1) on any 5xx or any
mismatch. Not part of `make test`; a short run of it is.
"""

from __future__ import annotations

import base64
import json
import os
import random
import statistics
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from local.runtime import LocalStack

PASSWORD = "correct horse battery staple"
# (route label, weight): the mix each client draws from
MIX = (("POST /v1/auth/login", 10), ("POST /v1/auth/refresh", 25), ("GET /v1/auth/me", 35),
       ("GET /v1/organization (API key)", 30))


@dataclass
class Account:
    email: str
    user_id: str
    organization_id: str
    key: str
    access_token: str
    families: dict[str, str] = field(default_factory=dict)  # session id -> the refresh token held
    refreshes: Counter = field(default_factory=Counter)  # session id -> successful rotations
    sign_ins: int = 1  # registration signs in
    key_used: bool = False


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, route: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies[route].append(seconds * 1000)
            self.statuses[status] += 1


def _claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class Client:
    def __init__(self, stack: LocalStack, tally: Tally):
        self.stack, self.tally = stack, tally

    def call(self, route: str, method: str, path: str, body: dict | None = None, *, bearer: str | None = None,
             key: str | None = None) -> tuple[int, dict]:
        headers = [("Content-Type", "application/json"), ("User-Agent", "latchkey-load/1")]
        if bearer:
            headers.append(("Authorization", f"Bearer {bearer}"))
        if key:
            headers.append(("X-API-Key", key))
        # A source address per request: the per-IP limits must not turn the load into 429s.
        source_ip = f"127.{random.randrange(1, 255)}.{random.randrange(1, 255)}.{random.randrange(1, 255)}"
        started = time.perf_counter()
        response = self.stack.handle(method, path, headers, json.dumps(body).encode() if body else b"", source_ip)
        self.tally.add(route, response.status, time.perf_counter() - started)
        return response.status, (response.json() if response.body else {})

    def account(self) -> Account:
        email = f"load-{uuid.uuid4().hex[:12]}@example.com"
        _, signed = self.call("POST /v1/auth/register", "POST", "/v1/auth/register",
                              {"email": email, "password": PASSWORD, "name": "Load"})
        data = signed["data"]
        token = data["accessToken"]
        _, created = self.call("POST /v1/api-keys", "POST", "/v1/api-keys",
                               {"name": "load", "scopes": ["organization:read"]}, bearer=token)
        account = Account(email, data["user"]["id"], data["user"]["organizationId"], created["data"]["key"], token)
        account.families[_claims(data["refreshToken"])["sid"]] = data["refreshToken"]
        return account

    def step(self, account: Account, route: str) -> None:
        if route == "POST /v1/auth/login":
            status, body = self.call(route, "POST", "/v1/auth/login", {"email": account.email, "password": PASSWORD})
            if status == 200:
                account.sign_ins += 1
                account.access_token = body["data"]["accessToken"]
                account.families[_claims(body["data"]["refreshToken"])["sid"]] = body["data"]["refreshToken"]
        elif route == "POST /v1/auth/refresh":
            session = random.choice(list(account.families))
            status, body = self.call(route, "POST", "/v1/auth/refresh", {"refreshToken": account.families[session]})
            if status == 200:
                account.families[session] = body["data"]["refreshToken"]
                account.refreshes[session] += 1
                account.access_token = body["data"]["accessToken"]
        elif route == "GET /v1/auth/me":
            self.call(route, "GET", "/v1/auth/me", bearer=account.access_token)
        else:
            status, _ = self.call(route, "GET", "/v1/organization", key=account.key)
            account.key_used |= status == 200


def run(stack: LocalStack, clients: int, seconds: float) -> tuple[Tally, Tally, list[Account], float]:
    """The load itself: accounts first, each route once per account (cold starts: not counted in the
    figures, but in the checks), then `clients` threads for `seconds`."""
    setup = Tally()
    accounts = [Client(stack, setup).account() for _ in range(clients)]
    routes, weights = zip(*MIX, strict=True)
    for account in accounts:
        for route in routes:
            Client(stack, setup).step(account, route)
    tally = Tally()
    deadline = time.monotonic() + seconds

    def work(account: Account) -> None:
        client = Client(stack, tally)
        while time.monotonic() < deadline:
            client.step(account, random.choices(routes, weights)[0])

    threads = [threading.Thread(target=work, args=(a,)) for a in accounts]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, setup, accounts, time.monotonic() - started


def check(stack: LocalStack, accounts: list[Account]) -> list[str]:
    """Every write accounted for, read back from the tables; the problems found (none: all good)."""
    dynamodb = stack.aws.client("dynamodb")
    tables = {name.rsplit("-", 1)[-1] if not name.endswith("audit-events") else "audit": name
              for name in dynamodb.list_tables()["TableNames"]}
    problems = []
    for account in accounts:
        sessions = dynamodb.query(TableName=tables["sessions"], KeyConditionExpression="userId = :u",
                                  ExpressionAttributeValues={":u": {"S": account.user_id}})["Items"]
        if len(sessions) != account.sign_ins:
            problems.append(f"{account.email}: {len(sessions)} sessions for {account.sign_ins} sign-ins")
        for item in sessions:
            sid, generation = item["sessionId"]["S"], int(item["generation"]["N"])
            held = account.families.get(sid)
            if held is None or _claims(held)["jti"] != item["tokenId"]["S"] or generation != account.refreshes[sid]:
                problems.append(f"{sid}: generation {generation}, {account.refreshes[sid]} rotations seen")
        events = Counter(e["type"]["S"] for e in _all(dynamodb, tables["audit"], account.organization_id))
        expected = Counter({"auth.sign_in.succeeded": account.sign_ins, "api_key.created": 1,
                            "api_key.first_used": int(account.key_used)})
        if events != expected:
            problems.append(f"{account.email}: audit events {dict(events)}, expected {dict(expected)}")
    return problems


def _all(dynamodb, table: str, organization_id: str) -> list[dict]:
    items, start = [], {}
    while True:
        page = dynamodb.query(TableName=table, KeyConditionExpression="organizationId = :o",
                              ExpressionAttributeValues={":o": {"S": organization_id}}, **start)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


def report(tally: Tally, elapsed: float) -> None:
    """Latency percentiles per route, throughput, answers by status."""
    total = sum(len(v) for v in tally.latencies.values())
    print(f"\n{total} requests in {elapsed:.1f} s: {total / elapsed:.1f} requests/s through the local gateway")
    print(f"  {'route':40s} {'count':>6s} {'p50':>8s} {'p95':>8s} {'p99':>8s}")
    for route, samples in sorted(tally.latencies.items()):
        q = statistics.quantiles(samples, n=100, method="inclusive") if len(samples) > 1 else samples * 99
        print(f"  {route:40s} {len(samples):6d} {q[49]:6.1f}ms {q[94]:6.1f}ms {q[98]:6.1f}ms")
    print("  answers by status: " + ", ".join(f"{s}: {n}" for s, n in sorted(tally.statuses.items())))


def main() -> int:
    clients = int(os.environ.get("LOAD_CLIENTS", "4"))
    seconds = float(os.environ.get("LOAD_SECONDS", "20"))
    stack = LocalStack(say=lambda line: print(line, flush=True))
    try:
        tally, setup, accounts, elapsed = run(stack, clients, seconds)
        problems = check(stack, accounts)
    finally:
        stack.stop()
    print(f"{clients} clients for {seconds:.0f} s")
    report(tally, elapsed)
    server_errors = sum(n for s, n in (tally.statuses + setup.statuses).items() if s >= 500)
    print(f"\n5xx: {server_errors}; writes accounted for: {'yes' if not problems else 'NO'}")
    for problem in problems:
        print("  " + problem)
    return 1 if server_errors or problems else 0


if __name__ == "__main__":
    sys.exit(main())

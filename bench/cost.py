"""What a million requests cost on AWS, from list prices and the figures `make bench` measures: each
function's billed duration (its warm in-sandbox time, rounded up to the millisecond, at its memory),
Lambda's per-request price, DynamoDB on-demand units from the calls each route makes and the items'
sizes, and the REST API price. Then the monthly bill of a stated traffic model, against Cognito.

Prices: us-east-1 list prices as published (AWS pricing pages, read 2026-12-01; they change: check
before relying on them). Not counted: the free tiers, CloudWatch Logs ingestion (about 1 KB of log
lines per request: $0.50/GB, about $0.50 per million requests), X-Ray traces past the free 100,000 a
month ($5 per million recorded; the default sampling records 1 a second and 5% beyond), data transfer
out, and Secrets Manager (one read per container per 5 minutes: cents a month).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PRICES_AS_OF = "2026-12-01, us-east-1"
LAMBDA_ARM_GB_SECOND = 0.0000133334  # USD, arm64
LAMBDA_REQUEST = 0.20 / 1e6
API_GATEWAY_REST_REQUEST = 3.50 / 1e6  # first 333 million a month
DYNAMODB_WRITE_UNIT = 0.625 / 1e6  # on-demand, per write request unit
DYNAMODB_READ_UNIT = 0.125 / 1e6  # on-demand, per read request unit (a strongly consistent read of <= 4 KB)
COGNITO_ESSENTIALS_MAU = 0.015  # USD per monthly active user past the first 10,000 (Essentials tier)
COGNITO_LITE_MAU = 0.0055  # Lite tier, the first 100,000 MAU past the free 10,000
COGNITO_FREE_MAU = 10_000


@dataclass(frozen=True)
class Route:
    """One request's billable work: each function's memory (MB) and warm duration (ms), and DynamoDB
    units: writes are 1 unit per KB (an item of <= 1 KB: 1), transactional writes 2 per item, a
    global index update 1 more; strongly consistent reads 1 per 4 KB."""

    name: str
    functions: tuple[tuple[int, float], ...]
    write_units: float
    read_units: float

    def usd(self) -> float:
        lambda_usd = sum(memory / 1024 * math.ceil(ms) / 1000 * LAMBDA_ARM_GB_SECOND + LAMBDA_REQUEST
                         for memory, ms in self.functions)
        return (lambda_usd + API_GATEWAY_REST_REQUEST + self.write_units * DYNAMODB_WRITE_UNIT
                + self.read_units * DYNAMODB_READ_UNIT)


def routes(authorizer_ms: float, me_ms: float, login_ms: float, refresh_ms: float, memory: int = 512) -> list[Route]:
    """The three routes the traffic model is made of, with the measured durations."""
    return [
        # the authorizer's session GetItem, the function's user GetItem
        Route("authorized request (GET /v1/auth/me)", ((memory, authorizer_ms), (memory, me_ms)), 0, 2),
        # per-IP counter and attempt counter (1 + 1), credentials and user reads (1 + 1), one transaction of
        # the session, the counter's reset and the audit event (3 items x 2), the event's ByUser index (1)
        Route("sign-in (POST /v1/auth/login)", ((memory, login_ms),), 1 + 1 + 3 * 2 + 1, 2),
        # per-IP counter, the conditional rotation of the session item
        Route("refresh (POST /v1/auth/refresh)", ((memory, refresh_ms),), 2, 0),
    ]


def monthly(route_costs: dict[str, float], users: int, sign_ins: int, refreshes: int, requests: int) -> float:
    """A month of `users` active users, each signing in `sign_ins` times, refreshing `refreshes` times
    and making `requests` authorized requests."""
    by_kind = dict(zip(("authorized", "sign-in", "refresh"), route_costs.values(), strict=True))
    return users * (sign_ins * by_kind["sign-in"] + refreshes * by_kind["refresh"]
                    + requests * by_kind["authorized"])


def cognito(users: int, per_mau: float) -> float:
    return max(0, users - COGNITO_FREE_MAU) * per_mau


def report(authorizer_ms: float, me_ms: float, login_ms: float, refresh_ms: float) -> None:
    table = routes(authorizer_ms, me_ms, login_ms, refresh_ms)
    print(f"\nCost per million requests (USD; list prices {PRICES_AS_OF}; Lambda arm64 at 512 MB, the measured")
    print("warm durations rounded up to the millisecond; DynamoDB on-demand; REST API Gateway)")
    for route in table:
        print(f"  {route.name:42s} ${route.usd() * 1e6:8.2f}")
    users, sign_ins, refreshes, requests = 100_000, 20, 400, 2_000
    costs = {r.name: r.usd() for r in table}
    total = monthly(costs, users, sign_ins, refreshes, requests)
    print(f"\nA month of {users:,} active users, each signing in {sign_ins} times, refreshing {refreshes} times and")
    print(f"making {requests:,} authorized requests: ${total:,.2f} for Latchkey (of which sign-ins and refreshes: "
          f"${monthly(costs, users, sign_ins, refreshes, 0):,.2f});")
    essentials, lite = cognito(users, COGNITO_ESSENTIALS_MAU), cognito(users, COGNITO_LITE_MAU)
    print(f"Cognito for the same users: ${essentials:,.2f} (Essentials, ${COGNITO_ESSENTIALS_MAU}/MAU past "
          f"{COGNITO_FREE_MAU:,}) or ${lite:,.2f} (Lite),")
    print("before the API Gateway, authorizer and function costs of the same authorized requests, which it does not "
          "remove.")

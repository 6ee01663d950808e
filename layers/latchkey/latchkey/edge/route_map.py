"""Every route of the API, who may call it and the scope an API key needs there: the one map read by
the authorizer (it refuses routes the map does not know), the handlers' guard (403s, before any
handler logic), the fallback (`Allow`) and the README's scope table (a test holds them equal, and
holds the map equal to template.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

from latchkey.errors import Forbidden, ReauthenticationRequired
from latchkey.rules.records import ADMIN, Principal

PUBLIC = "public"  # no credential; the authorizer is not attached
USER = "user"  # a JWT access token from login/register (the dashboard)
API_KEY = "api_key"  # pk_live_… as X-API-Key or Bearer (server-to-server)

SCOPES = ("assessments:read", "candidates:read", "candidates:write", "results:read")
WRITE_SCOPES = frozenset({"candidates:write"})


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    callers: frozenset[str]
    scope: str | None = None  # what an API key needs; signed-in users act with their full role
    step_up: bool = False  # needs an authentication at most ReauthMaxAgeSeconds old (RFC 9470)


def _route(method: str, path: str, *callers: str, scope: str | None = None, step_up: bool = False) -> Route:
    return Route(method, path, frozenset(callers), scope, step_up)


# Seed 002's clients call the auth endpoints under /api/v1; both paths are served.
ROUTES: tuple[Route, ...] = (
    _route("POST", "/v1/auth/register", PUBLIC),
    _route("POST", "/v1/auth/login", PUBLIC),
    _route("POST", "/api/v1/auth/login", PUBLIC),
    _route("POST", "/v1/auth/refresh", PUBLIC),
    _route("POST", "/api/v1/auth/refresh", PUBLIC),
    _route("POST", "/v1/auth/verify-2fa", PUBLIC),
    _route("POST", "/api/v1/auth/verify-2fa", PUBLIC),
    _route("POST", "/v1/auth/2fa/setup", USER, step_up=True),
    _route("POST", "/v1/auth/2fa/enable", USER, step_up=True),
    _route("POST", "/v1/auth/2fa/disable", USER, step_up=True),
    _route("POST", "/v1/auth/reauthenticate", USER),
    _route("POST", "/v1/auth/logout", USER),
    _route("POST", "/api/v1/auth/logout", USER),
    _route("POST", "/v1/auth/logout-all", USER),
    _route("GET", "/v1/auth/sessions", USER),
    _route("DELETE", "/v1/auth/sessions/{id}", USER),
    _route("GET", "/v1/auth/me", USER),
    _route("GET", "/v1/assessments", USER),
    _route("POST", "/v1/assessments", USER),
    _route("POST", "/v1/api-keys", USER, step_up=True),
    _route("GET", "/v1/api-keys", USER),
    _route("DELETE", "/v1/api-keys/{id}", USER),
    _route("GET", "/v1/organization", USER),
    _route("PATCH", "/v1/organization", USER),
    _route("POST", "/v1/candidate/complete", PUBLIC),
    _route("GET", "/.well-known/jwks.json", PUBLIC),
    _route("POST", "/v1/public/candidates", USER, API_KEY, scope="candidates:write"),
    _route("GET", "/v1/public/candidates", USER, API_KEY, scope="candidates:read"),
    _route("GET", "/v1/public/candidates/{id}", USER, API_KEY, scope="candidates:read"),
    _route("GET", "/v1/public/results/{token}", USER, API_KEY, scope="results:read"),
    _route("GET", "/v1/public/assessments", USER, API_KEY, scope="assessments:read"),
    _route("GET", "/v1/public/assessments/{id}", USER, API_KEY, scope="assessments:read"),
)

_BY_KEY = {(r.method, r.path): r for r in ROUTES}


def find(method: str, path: str) -> Route | None:
    """The route for an API Gateway resource path (`/v1/items/{id}`, not the concrete path)."""
    return _BY_KEY.get((method, path))


def allowed_methods(path: str) -> list[str]:
    return sorted(r.method for r in ROUTES if r.path == path)


def authorize(route: Route, principal: Principal, now: int, reauth_max_age: int) -> None:
    """403 unless `principal` may call `route`: keys only where a scope admits them, and a step-up
    route only with an authentication at most `reauth_max_age` seconds old."""
    if principal.kind not in route.callers:
        raise Forbidden("API keys can call only /v1/public/* routes; sign in for this one",
                        code="API_KEY_NOT_ALLOWED")
    if principal.kind == API_KEY and route.scope not in principal.scopes:
        raise Forbidden(f"This API key lacks the '{route.scope}' scope", code="INSUFFICIENT_SCOPE",
                        details=[{"missingScope": route.scope}])
    if principal.kind == USER and route.scope in WRITE_SCOPES and principal.role != ADMIN:
        # The same line as for keys: writing through the public API is an admin's call.
        raise Forbidden(f"Only organization admins may use '{route.scope}' routes", code="ADMIN_ONLY")
    if route.step_up and now - principal.auth_time > reauth_max_age:
        raise ReauthenticationRequired(reauth_max_age)

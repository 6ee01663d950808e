"""Every route of the API and who may call it. The fallback reads it for `Allow`; tests hold it equal
to template.yaml (which routes exist, which skip the authorizer)."""

from __future__ import annotations

from dataclasses import dataclass

PUBLIC = "public"  # no credential; the authorizer is not attached
USER = "user"  # a JWT access token from login/register


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    callers: frozenset[str]


def _route(method: str, path: str, *callers: str) -> Route:
    return Route(method, path, frozenset(callers))


# Seed 002's clients call the same endpoints under /api/v1; both paths are served.
ROUTES: tuple[Route, ...] = (
    _route("POST", "/v1/auth/register", PUBLIC),
    _route("POST", "/v1/auth/login", PUBLIC),
    _route("POST", "/api/v1/auth/login", PUBLIC),
    _route("POST", "/v1/auth/refresh", PUBLIC),
    _route("POST", "/api/v1/auth/refresh", PUBLIC),
    _route("POST", "/v1/auth/logout", USER),
    _route("POST", "/api/v1/auth/logout", USER),
    _route("POST", "/v1/auth/logout-all", USER),
    _route("GET", "/v1/auth/sessions", USER),
    _route("DELETE", "/v1/auth/sessions/{id}", USER),
    _route("GET", "/v1/auth/me", USER),
    _route("GET", "/v1/assessments", USER),
    _route("POST", "/v1/assessments", USER),
)

_BY_KEY = {(r.method, r.path): r for r in ROUTES}


def find(method: str, path: str) -> Route | None:
    """The route for an API Gateway resource path (`/v1/items/{id}`, not the concrete path)."""
    return _BY_KEY.get((method, path))


def allowed_methods(path: str) -> list[str]:
    return sorted(r.method for r in ROUTES if r.path == path)

"""The route index: for every route of the API, who may call it (the kinds of caller, and the role a
signed-in user needs), the scope an API key needs there, the function (template logical id) that
serves it, its per-IP rate limit and whether it is a step-up route. Read by the authorizer (it refuses
routes the map does not know), the handlers' guard (403s and 429s, before any handler logic) and the
fallback (`Allow`). The routes are declared once in api/routes.py; `python -m contract` writes them
into latchkey.edge.route_index (plain tuples: a cheap import at a cold start), which this reads."""

from __future__ import annotations

from typing import NamedTuple

from latchkey.edge import route_index
from latchkey.errors import AdminOnly, ApiKeyNotAllowed, InsufficientScope, ReauthenticationRequired
from latchkey.rules import clock
from latchkey.rules.records import ADMIN, Principal  # noqa: F401 - ADMIN re-exported
from latchkey.rules.scopes import API_KEY, OPERATOR, PUBLIC, SCOPES, USER, WRITE_SCOPES  # noqa: F401 - WRITE_SCOPES re-exported
from latchkey.settings import get_settings

__all__ = ["API_KEY", "OPERATOR", "PUBLIC", "ROUTES", "SCOPES", "USER", "Route", "allowed_methods", "authorize", "find"]


class Route(NamedTuple):
    method: str
    path: str
    callers: frozenset[str]
    scope: str | None = None  # what an API key needs; signed-in users act with their full role
    function: str = ""  # the template's logical id of the function that serves it
    rate_limit: str | None = None  # the per-source-IP limit's action (settings.rate_limits), if any
    step_up: bool = False  # needs an authentication at most ReauthMaxAgeSeconds old (RFC 9470)
    role: str | None = None  # the role a signed-in user needs (ADMIN); None: any member (keys: the scope)


ROUTES: tuple[Route, ...] = tuple(
    Route(method, path, frozenset(callers), scope, function, rate_limit, step_up, role)
    for method, path, callers, scope, function, rate_limit, step_up, role in route_index.ROUTES
)

_BY_KEY = {(r.method, r.path): r for r in ROUTES}


def find(method: str, path: str) -> Route | None:
    """The route for an API Gateway resource path (`/v1/items/{id}`, not the concrete path)."""
    return _BY_KEY.get((method, path))


def allowed_methods(path: str) -> list[str]:
    return sorted(r.method for r in ROUTES if r.path == path)


def authorize(route: Route, principal: Principal, now: int | None = None, reauth_max_age: int | None = None) -> None:
    """403 unless `principal` may call `route`: keys only where a scope admits them, and a step-up
    route only with an authentication at most `reauth_max_age` (ReauthMaxAgeSeconds) seconds old."""
    if principal.kind not in route.callers:
        raise ApiKeyNotAllowed()
    if principal.kind == API_KEY and route.scope not in principal.scopes:
        raise InsufficientScope(f"This API key lacks the '{route.scope}' scope",
                                details=[{"missingScope": route.scope}])
    if principal.kind == USER and route.role is not None and principal.role != route.role:
        # A key is judged by its scope (and only an admin can create a write-scoped one).
        raise AdminOnly(f"Only organization admins may use '{route.scope}' routes" if route.scope
                        else "Only organization admins may do this")
    if route.step_up:
        max_age = get_settings().reauth_max_age if reauth_max_age is None else reauth_max_age
        if (clock.now() if now is None else now) - principal.auth_time > max_age:
            raise ReauthenticationRequired(max_age)

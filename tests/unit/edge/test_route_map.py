"""The route map's rules, without AWS: who may call a route (403s), and the guard applying a route's
per-IP limit where the map names one, and only there."""

import sys
from types import SimpleNamespace

import pytest

import latchkey.usecases
from latchkey.edge import route_map
from latchkey.edge.http import Request, guard
from latchkey.errors import AdminOnly, ApiKeyNotAllowed, InsufficientScope
from latchkey.rules.records import Principal

MEMBER = Principal("user", "user_1", "org_1", "USER")
ADMIN = Principal("user", "user_1", "org_1", "ADMIN")


def key(*scopes):
    return Principal("api_key", "user_1", "org_1", "ADMIN", scopes=scopes)


def test_an_api_key_on_a_dashboard_route_is_not_allowed():
    with pytest.raises(ApiKeyNotAllowed):
        route_map.authorize(route_map.find("GET", "/v1/auth/me"), key(*route_map.SCOPES))


def test_an_api_key_without_the_routes_scope_is_told_which_one():
    with pytest.raises(InsufficientScope) as refused:
        route_map.authorize(route_map.find("GET", "/v1/organization"), key())
    assert refused.value.details == [{"missingScope": "organization:read"}]
    route_map.authorize(route_map.find("GET", "/v1/organization"), key("organization:read"))


def test_the_guard_counts_a_limited_route_against_its_limit_and_no_other(monkeypatch):
    counted = []
    limiter = SimpleNamespace(admit=lambda action, source_ip: counted.append((action, source_ip)))
    # the guard imports the limiter when a route has a limit: hand it this one instead
    monkeypatch.setitem(sys.modules, "latchkey.usecases.request_limits", limiter)
    monkeypatch.setattr(latchkey.usecases, "request_limits", limiter, raising=False)
    for method, path in [("POST", "/api/v1/auth/login"), ("POST", "/v1/auth/accept-invitation"),
                         ("POST", "/v1/auth/verify-2fa")]:
        guard(Request({"httpMethod": method, "resource": path,
                       "requestContext": {"identity": {"sourceIp": "203.0.113.9"}}}))
    assert counted == [("login", "203.0.113.9"), ("verify-2fa", "203.0.113.9")]


def test_a_role_route_refuses_a_member_and_every_write_scope_route_is_an_admins():
    for route in route_map.ROUTES:
        if route.scope in route_map.WRITE_SCOPES:
            assert route.role == "ADMIN", route
        if route.role == "ADMIN" and route_map.USER in route.callers:
            with pytest.raises(AdminOnly):
                route_map.authorize(route, Principal("user", "user_1", "org_1", "MEMBER", auth_time=2**40), now=2**40)
            route_map.authorize(route, Principal("user", "user_1", "org_1", "ADMIN", auth_time=2**40), now=2**40)

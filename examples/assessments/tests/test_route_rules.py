"""The route map's rules on the module's routes, without AWS: a key needs each route's own scope, and a
write scope's route needs an admin when a user signs in."""

import pytest

from latchkey.edge import route_map
from latchkey.errors import AdminOnly, InsufficientScope
from latchkey.rules.records import Principal

MEMBER = Principal("user", "user_1", "org_1", "USER")
ADMIN = Principal("user", "user_1", "org_1", "ADMIN")


def key(*scopes: str) -> Principal:
    return Principal("api_key", "user_1", "org_1", "ADMIN", scopes=scopes)


def test_an_api_key_without_the_routes_scope_is_told_which_one():
    with pytest.raises(InsufficientScope) as refused:
        route_map.authorize(route_map.find("GET", "/v1/public/results/{token}"), key("assessments:read"))
    assert refused.value.details == [{"missingScope": "results:read"}]
    route_map.authorize(route_map.find("GET", "/v1/public/results/{token}"), key("results:read"))


def test_a_write_scopes_route_needs_an_admin_when_signed_in():
    route = route_map.find("POST", "/v1/public/candidates")
    with pytest.raises(AdminOnly):
        route_map.authorize(route, MEMBER)
    route_map.authorize(route, ADMIN)
    route_map.authorize(route_map.find("GET", "/v1/public/candidates"), MEMBER)

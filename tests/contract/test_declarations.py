"""The declarations in api/ are whole and say each thing once: what `python -m contract` writes from them
can only be as right as they are."""

from collections import Counter

from api import functions, routes, scopes
from latchkey.rules.records import ADMIN
from latchkey.rules.scopes import API_KEY, OPERATOR, PUBLIC, USER
from local.template import ROOT


def test_each_method_and_path_is_declared_once():
    keys = Counter((r.method, p) for r in routes.ROUTES for p in r.paths)
    assert [key for key, count in keys.items() if count > 1] == []


def test_each_function_behind_the_api_gives_its_operation_once_on_its_first_route():
    for function in {r.function for r in routes.ROUTES}:
        own = [r for r in routes.ROUTES if r.function == function]
        assert own[0].operation is not None, function
        assert all(r.operation is None for r in own[1:]), f"{function} repeats its operation"


def test_every_route_names_a_declared_function_with_a_folder_and_every_function_is_used():
    declared = functions.by_id()
    assert {r.function for r in routes.ROUTES} <= set(declared)
    for function in declared.values():
        assert (ROOT / function.code_uri / "app.py").exists(), function.logical_id
        served = any(r.function == function.logical_id for r in routes.ROUTES)
        special = function.logical_id in (functions.AUTHORIZER, functions.FALLBACK)
        assert served or special or function.events, f"{function.logical_id} has no route and no event"


def test_keys_need_a_declared_scope_and_every_scope_has_a_route():
    names = {s.name for s in scopes.SCOPES}
    for route in routes.ROUTES:
        assert route.callers <= {PUBLIC, USER, API_KEY} or route.callers == {OPERATOR}, route.path
        assert (API_KEY in route.callers) is (route.scope is not None), route.path
        assert route.scope is None or route.scope in names, route.path
        assert PUBLIC not in route.callers or len(route.callers) == 1, route.path
        assert all(alias.startswith("/api/") for alias in route.aliases), route.path
    assert names == {r.scope for r in routes.ROUTES if r.scope}
    assert all(s.description for s in scopes.SCOPES)


def test_a_route_for_admins_that_keys_reach_takes_a_write_scope():
    # Only an admin can put a write scope on a key; a read scope on an admins' route would let any member
    # mint a key for it (and keep it after a demotion).
    writes = {s.name for s in scopes.SCOPES if s.write}
    for route in routes.ROUTES:
        if route.role == ADMIN and route.scope:
            assert route.scope in writes, f"{route.method} {route.path}: {route.scope} is not a write scope"


def test_sibling_path_variables_share_one_name_as_api_gateway_requires():
    """API Gateway refuses a resource whose siblings name their variable differently (`/x/{id}` beside
    `/x/{provider}/link`): the deploy would fail, and the local gateway would answer one of them 404."""
    names: dict[str, set[str]] = {}
    for declared in routes.ROUTES:
        for path in declared.paths:
            parts = path.strip("/").split("/")
            for depth, part in enumerate(parts):
                if part.startswith("{"):
                    names.setdefault("/".join(parts[:depth]), set()).add(part)
    assert {parent: found for parent, found in names.items() if len(found) > 1} == {}

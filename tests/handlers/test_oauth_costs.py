"""What each OAuth route costs in DynamoDB calls, counted through the local runtime (each function's
own rights enforced): the figures docs/performance/index.md gives. A change that adds a call fails
here and says so."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.handlers import conftest, test_oauth_authorize, test_oauth_token
from tests.handlers.test_oauth_authorize import cancel, decide, issuer, started  # noqa: F401 - issuer: a fixture
from tests.handlers.test_oauth_token import (  # noqa: F401 - admin, public_app: fixtures
    admin,
    introspect,
    machine,
    new_app,
    params,
    pkce,
    public_app,
    redeem,
    refreshed,
    revoke,
    token,
    userinfo,
)


@pytest.fixture
def calls(local_api, monkeypatch) -> dict[str, tuple[str, ...]]:
    """Each function's DynamoDB calls at its last invocation, the helpers' invocations run as the
    local runtime runs them (with the function's rights)."""
    seen: dict[str, tuple[str, ...]] = {}

    def through_the_runtime(local_api, logical_id: str, event: dict) -> dict:
        outcome = local_api.invoke(logical_id, event)
        assert outcome.status == "ok", outcome.error
        seen[logical_id] = tuple(c.removeprefix("dynamodb:") for c in outcome.calls if c.startswith("dynamodb:"))
        return outcome.result

    for module in (conftest, test_oauth_authorize, test_oauth_token):
        monkeypatch.setattr(module, "invoke", through_the_runtime)
    return seen


def test_the_dynamodb_calls_of_each_oauth_route(local_api, admin, public_app, calls):  # noqa: F811
    verifier, challenge = pkce()
    request_id = started(local_api, params(public_app, code_challenge=challenge, scope="openid offline_access"))
    assert calls["AuthorizeFunction"] == ("GetItem", "PutItem")  # the app; the request kept for the page
    decided = decide(local_api, admin, request_id)
    # the request, its app, the app again (Authlib checks the request anew), the consent; the code; the
    # request closed
    assert calls["AuthorizeDecisionFunction"] == ("GetItem",) * 4 + ("PutItem", "DeleteItem")
    code = parse_qs(urlsplit(conftest.body_of(decided)["data"]["redirectTo"]).query)["code"][0]
    status, answer = token(local_api, redeem(public_app, code, verifier))
    assert status == 200, answer
    # the app, the code, the code spent, the user, the session's transaction (session + audit event)
    assert calls["OAuthTokenFunction"] == ("GetItem", "GetItem", "UpdateItem", "GetItem", "TransactWriteItems")
    assert userinfo(local_api, admin, answer["access_token"])["statusCode"] == 200
    assert calls["OAuthUserInfoFunction"] == ("GetItem",)  # the user
    status, again = refreshed(local_api, public_app, answer["refresh_token"])
    assert status == 200, again
    assert calls["OAuthTokenFunction"] == ("GetItem", "GetItem", "UpdateItem")  # the app, the session, the rotation
    confidential = new_app(local_api, admin, firstParty=True)
    assert calls["CreateAppFunction"] == ("TransactWriteItems",)  # the app and its audit event
    assert machine(local_api, confidential)[0] == 200
    assert calls["OAuthTokenFunction"] == ("GetItem",)  # the app: a machine token has no session
    assert introspect(local_api, confidential, again["access_token"])[0] == 200
    assert calls["OAuthIntrospectFunction"] == ("GetItem", "GetItem")  # the asking app, the token's session
    assert revoke(local_api, public_app, again["refresh_token"], "refresh_token")[0] == 200
    assert calls["OAuthRevokeFunction"] == ("GetItem", "UpdateItem")  # the app, the session ended
    cancel(local_api, started(local_api, params(public_app)))
    assert calls["CancelAuthorizationFunction"] == ("GetItem",) * 3 + ("DeleteItem",)  # as the decision, then closed

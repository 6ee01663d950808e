"""The seed documents' shapes, field for field, in the models every answer is validated against: both
seeds' clients keep working unchanged (login, refresh, verify-2fa, API-key creation)."""

from latchkey.edge.schemas.api_keys import NewApiKeyView
from latchkey.edge.schemas.auth import LoginView, PendingTwoFactorView, SignedInView, TokensView, UserView
from tests.support import Client

TOKENS = ["accessToken", "token", "refreshToken", "expiresIn", "tokenType"]


def test_token_answers_are_the_seeds_and_nothing_moved():
    assert list(TokensView.model_fields) == TOKENS
    assert list(SignedInView.model_fields) == [*TOKENS, "user"]
    assert list(PendingTwoFactorView.model_fields) == ["requires2FA", "pendingToken", "methods"]  # issue 26
    assert list(UserView.model_fields) == ["id", "name", "email", "role", "plan", "organizationId", "twoFactorEnabled",
                                           "emailVerified"]
    assert LoginView.views == (SignedInView, PendingTwoFactorView)  # either shape, as seed 002 documents


def test_api_key_creation_keeps_the_seed_fields():
    assert {"id", "name", "key", "scopes"} <= set(NewApiKeyView.model_fields)


def test_login_and_refresh_answer_exactly_the_seed_fields_over_http(client: Client):
    registered = client.register()
    login = client.post("/api/v1/auth/login", json={"email": registered["user"]["email"],
                                                   "password": "correct horse battery staple"}).json()
    assert login["success"] is True and list(login["data"]) == [*TOKENS, "user"]
    refreshed = client.post("/v1/auth/refresh", json={"refreshToken": login["data"]["refreshToken"]}).json()
    assert list(refreshed["data"]) == TOKENS

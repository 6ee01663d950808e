"""GET /.well-known/jwks.json over HTTP, and the docs' verification snippet (the guide "Verify tokens in
your backend") run as written against it: a stock PyJWKClient verifies an access token and refuses every
other kind."""

import re

import jwt
import pytest

from latchkey.rules import tokens
from tests.support import ROOT, Client

GUIDE = ROOT / "docs" / "guides" / "verify-tokens.md"


def docs_verifier(client: Client):
    """The guide's PyJWT snippet, executed with the local URL and the dev stage."""
    code = re.search(r"```python\n(.*?)```", GUIDE.read_text(), re.S)[1]
    assert len(code.strip().splitlines()) <= 14, "about ten lines"
    code = (code.replace("https://api.example.com/prod", client.base_url)
            .replace("latchkey:prod", "latchkey:dev").replace("latchkey-api:prod", "latchkey-api:dev"))
    namespace: dict = {}
    exec(compile(code, str(GUIDE), "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace["verify_access_token"]


def test_the_jwks_is_public_cacheable_and_lists_only_public_access_id_and_gateway_keys(client: Client):
    client.register()
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"
    keys = response.json()["keys"]
    access = [k for k in keys if k["kid"].startswith("access-")]
    # OpenID Connect ID tokens' and, once something signed with them, gateway access tokens' (RS256)
    ids = [k for k in keys if k["kid"].startswith(("id-", "gateway-"))]
    assert access and len(access) + len(ids) == len(keys)
    for key in access:
        assert key.keys() == {"kty", "crv", "x", "y", "kid", "alg", "use"}  # no "d": nothing private
        assert (key["kty"], key["crv"], key["alg"], key["use"]) == ("EC", "P-256", "ES256", "sig")
    for key in ids:
        assert key.keys() == {"kty", "n", "e", "kid", "alg", "use"}  # no "d", "p", "q": nothing private
        assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")


def test_the_docs_snippet_verifies_an_access_token_with_a_stock_client(client: Client):
    verify = docs_verifier(client)
    user = client.register()
    claims = verify(user["accessToken"])
    assert claims["sub"] == user["user"]["id"] and claims["amr"] == ["pwd"] and claims["auth_time"] <= claims["iat"]


@pytest.mark.parametrize("kind", ["refreshToken", "pendingToken", "forged"])
def test_the_docs_snippet_refuses_every_other_token(client: Client, kind):
    verify = docs_verifier(client)
    user = client.register()
    if kind == "pendingToken":
        pending = client.token_context(tokens.PENDING_2FA)
        token, _ = tokens.issue(pending, tokens.PENDING_2FA, 300, sub=user["user"]["id"],
                                org=user["user"]["organizationId"])
    elif kind == "forged":
        header, payload, signature = user["accessToken"].split(".")
        token = f"{header}.{payload[:-4]}AAAA.{signature}"
    else:
        token = user[kind]
    with pytest.raises(jwt.InvalidTokenError):
        verify(token)


def test_even_without_the_type_check_no_other_token_finds_a_key_in_the_jwks(client: Client):
    user = client.register()
    stock = jwt.PyJWKClient(f"{client.base_url}/.well-known/jwks.json")
    assert stock.get_signing_key_from_jwt(user["accessToken"]).key_id.startswith("access-")
    for token in (user["refreshToken"],
                  tokens.issue(client.token_context(tokens.PENDING_2FA), tokens.PENDING_2FA, 300, sub="u", org="o")[0]):
        with pytest.raises(jwt.PyJWKClientError):
            stock.get_signing_key_from_jwt(token)

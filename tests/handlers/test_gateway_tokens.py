"""Access tokens for your own API (GatewayJwtAudiences) through the token endpoint's handler: an app
names the API as `resource` (RFC 8707) in a code, refresh or client-credentials request and gets an
RS256 `at+jwt` whose kid is in the JWKS, `aud` that API, `iss` the issuer; any other resource, or two,
is `invalid_target` before anything is spent. The rotation rotates the gateway set with the others."""
# ruff: noqa: F811 - the fixtures are imported from the modules that define them, and requested by name

from __future__ import annotations

import jwt
import pytest

from tests.handlers.test_key_rotation import key_sets  # noqa: F401 - a fixture: the sets put back afterwards
from tests.handlers.test_oauth_authorize import ISSUER, new_app
from tests.handlers.test_oauth_token import admin, code_for, jwks, machine, public_app, redeem, refreshed, token  # noqa: F401 - fixtures
from tests.support import PINNED_NOW

API, OTHER_API = "https://api.example.com", "https://billing.example.com"


@pytest.fixture(autouse=True)
def gateway_audiences(monkeypatch):
    from latchkey.settings import get_settings

    monkeypatch.setenv("OAUTH_ISSUER_URL", ISSUER)
    monkeypatch.setenv("GATEWAY_JWT_AUDIENCES", f"{API},{OTHER_API}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def gateway_claims(local_api, access_token: str, audience: str = API) -> dict:
    """The token verified as a gateway would: RS256 only, a kid of the JWKS, iss, aud and exp."""
    header = jwt.get_unverified_header(access_token)
    assert (header["alg"], header["typ"]) == ("RS256", "at+jwt") and header["kid"].startswith("gateway-")
    key = jwks(local_api)[header["kid"]]
    assert (key["kty"], key["alg"]) == ("RSA", "RS256")
    return jwt.decode(access_token, jwt.PyJWK(key).key, algorithms=["RS256"], audience=audience, issuer=ISSUER,
                      options={"require": ["exp", "iat", "iss", "aud", "sub", "jti"], "verify_exp": False,
                               "verify_iat": False})  # the pinned clock is not the machine's


def test_a_code_redeemed_for_your_api_gives_an_rs256_access_token_for_it(local_api, admin, public_app):
    code, verifier = code_for(local_api, admin, public_app, scope="openid organization:read")
    status, answer = token(local_api, redeem(public_app, code, verifier, resource=API))
    assert status == 200, answer
    claims = gateway_claims(local_api, answer["access_token"])
    assert claims["sub"] == admin["id"] and claims["client_id"] == public_app["clientId"]
    assert claims["scope"] == "openid organization:read" and claims["org_id"] == admin["organizationId"]
    assert claims["exp"] - claims["iat"] == answer["expires_in"] and claims["auth_time"] == PINNED_NOW
    assert not {"role", "typ", "gen", "org"} & set(claims)  # Latchkey's own claims stay in its own tokens
    id_header = jwt.get_unverified_header(answer["id_token"])  # the ID token is the ID key set's, as before
    assert id_header["alg"] == "RS256" and id_header["kid"].startswith("id-")
    with pytest.raises(jwt.InvalidAudienceError):
        gateway_claims(local_api, answer["access_token"], OTHER_API)


def test_without_a_resource_the_access_token_is_latchkeys_own(local_api, admin, public_app):
    code, verifier = code_for(local_api, admin, public_app)
    answer = token(local_api, redeem(public_app, code, verifier))[1]
    header = jwt.get_unverified_header(answer["access_token"])
    assert header["alg"] == "ES256" and header["kid"].startswith("access-")


@pytest.mark.parametrize("resource", ["https://evil.example.com", API + "/", "http://api.example.com", "",
                                      [API, OTHER_API]])
def test_another_resource_or_two_are_invalid_target_and_spend_nothing(local_api, admin, public_app, resource):
    code, verifier = code_for(local_api, admin, public_app)
    form = redeem(public_app, code, verifier)
    pairs = [*form.items(), *(("resource", r) for r in (resource if isinstance(resource, list) else [resource]))]
    from urllib.parse import urlencode

    from tests.handlers.conftest import invoke
    from tests.support import load_event

    event = load_event("oauth_token")
    event["headers"] = {**event["headers"], "Content-Type": "application/x-www-form-urlencoded"}
    event["body"] = urlencode(pairs)
    response = invoke(local_api, "OAuthTokenFunction", event)
    assert response["statusCode"] == 400 and '"error":"invalid_target"' in response["body"], response["body"]
    assert token(local_api, redeem(public_app, code, verifier))[0] == 200  # the code was not spent


def test_a_refresh_for_your_api_gives_an_rs256_token_and_rotates_as_any(local_api, admin, public_app):
    code, verifier = code_for(local_api, admin, public_app, scope="openid offline_access")
    first = token(local_api, redeem(public_app, code, verifier))[1]
    status, second = token(local_api, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"],
                                       "client_id": public_app["clientId"], "resource": OTHER_API})
    assert status == 200, second
    claims = gateway_claims(local_api, second["access_token"], OTHER_API)
    assert claims["sub"] == admin["id"] and claims["sid"] and second["refresh_token"] != first["refresh_token"]
    assert refreshed(local_api, public_app, second["refresh_token"])[0] == 200  # and the session goes on


def test_client_credentials_for_your_api_give_the_apps_rs256_token(local_api, admin):
    app = new_app(local_api, admin, firstParty=True)  # confidential, scopes ["organization:read"]
    status, answer = machine(local_api, app, resource=API)
    assert status == 200, answer
    claims = gateway_claims(local_api, answer["access_token"])
    assert claims["sub"] == claims["client_id"] == app["clientId"] and claims["scope"] == "organization:read"
    assert "sid" not in claims and claims["org_id"] == admin["organizationId"]
    status, answer = machine(local_api, app, resource="https://evil.example.com")
    assert status == 400 and answer["error"] == "invalid_target"


def test_the_jwks_lists_the_gateway_keys_as_rsa_rs256(local_api, admin, public_app):
    machine(local_api, new_app(local_api, admin, firstParty=True), resource=API)  # a signer publishes gen 0
    keys = [k for kid, k in jwks(local_api).items() if kid.startswith("gateway-")]
    assert keys and all((k["kty"], k["alg"], k["use"]) == ("RSA", "RS256", "sig") for k in keys)


@pytest.mark.usefixtures("key_sets")
def test_the_rotation_rotates_the_gateway_set_and_publishes_before_signing(local_api, admin, clock):
    from latchkey.store import key_sets as stored
    from latchkey.usecases import signing_keys

    app = new_app(local_api, admin, firstParty=True)
    before = jwt.get_unverified_header(machine(local_api, app, resource=API)[1]["access_token"])["kid"]
    report = signing_keys.rotate(force=True)
    assert report["gateway"]["signingKid"] == before and len(report["gateway"]["keys"]) == 2
    successor = report["gateway"]["keys"][-1]["kid"]
    assert successor.startswith("gateway-")
    stored.forget()
    assert successor in jwks(local_api)  # published now, before it signs
    from latchkey.settings import get_settings

    clock.advance(get_settings().key_publication_lead + 1)  # Latchkey's own keys would switch by now
    stored.forget()
    assert jwt.get_unverified_header(machine(local_api, app, resource=API)[1]["access_token"])["kid"] == before
    clock.advance(2 * 3600)  # its gateway's cached keys are two hours old: it has read the JWKS again
    stored.forget()
    after = machine(local_api, app, resource=API)[1]["access_token"]
    assert jwt.get_unverified_header(after)["kid"] == successor
    gateway_claims(local_api, after)

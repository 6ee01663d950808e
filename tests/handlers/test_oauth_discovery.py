"""The OAuth provider's documents through their handlers: the authorization server's metadata (RFC 8414,
OpenID Connect Discovery) held to both specifications by Authlib, the protected-resource metadata (RFC
9728), and the RS256 ID-token keys published in the one JWKS beside the ES256 access-token keys, through
a rotation."""

from __future__ import annotations

import json

import jwt
import pytest
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
from authlib.oidc.discovery import OpenIDProviderMetadata

from tests.handlers.conftest import invoke
from tests.handlers.test_key_rotation import key_sets, rotate  # noqa: F401 - key_sets is a fixture
from tests.support import load_event

API = "https://abc123.execute-api.eu-west-1.amazonaws.com/dev"


def served(local_api, function: str, event_name: str, path: str | None = None) -> dict:
    event = load_event(event_name)
    if path:
        event["path"] = event["resource"] = path
    event["headers"]["Host"] = "abc123.execute-api.eu-west-1.amazonaws.com"
    event["requestContext"]["domainName"] = "abc123.execute-api.eu-west-1.amazonaws.com"
    event["requestContext"]["path"] = "/dev" + event["path"]
    response = invoke(local_api, function, event)
    assert response["statusCode"] == 200, response["body"]
    assert response["headers"]["Cache-Control"].startswith("public, max-age=")
    return json.loads(response["body"])


def test_the_openid_configuration_is_valid_discovery_and_rfc_8414_metadata_of_this_api(local_api):
    document = served(local_api, "OAuthMetadataFunction", "oauth_metadata")
    OpenIDProviderMetadata(document).validate()
    AuthorizationServerMetadata(document).validate()
    assert document["issuer"] == API
    for name, path in [("authorization_endpoint", "/oauth2/authorize"), ("token_endpoint", "/oauth2/token"),
                       ("userinfo_endpoint", "/oauth2/userinfo"), ("revocation_endpoint", "/oauth2/revoke"),
                       ("jwks_uri", "/.well-known/jwks.json")]:
        assert document[name] == API + path
    assert document["code_challenge_methods_supported"] == ["S256"]  # plain is refused
    assert document["authorization_response_iss_parameter_supported"] is True  # RFC 9207
    assert document["response_types_supported"] == ["code"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert {"openid", "profile", "email", "offline_access", "organization:read"} <= set(document["scopes_supported"])
    assert {"authorization_code", "refresh_token", "client_credentials"} == set(document["grant_types_supported"])


def test_both_well_known_paths_answer_the_same_document(local_api):
    first = served(local_api, "OAuthMetadataFunction", "oauth_metadata")
    second = served(local_api, "OAuthMetadataFunction", "oauth_metadata", "/.well-known/oauth-authorization-server")
    assert first == second and first["issuer"] == API


def test_the_issuer_is_the_configured_one_when_set(local_api, monkeypatch):
    from latchkey.settings import get_settings

    monkeypatch.setenv("OAUTH_ISSUER_URL", "https://login.example.com/")
    get_settings.cache_clear()
    assert get_settings().oauth_issuer_url == "https://login.example.com"
    try:
        document = served(local_api, "OAuthMetadataFunction", "oauth_metadata")
        resource = served(local_api, "ProtectedResourceMetadataFunction", "protected_resource_metadata")
    finally:
        get_settings.cache_clear()
    assert document["issuer"] == "https://login.example.com"
    assert document["token_endpoint"] == "https://login.example.com/oauth2/token"
    assert resource["authorization_servers"] == ["https://login.example.com"]


def test_the_protected_resource_metadata_names_this_authorization_server_and_the_api_scopes(local_api):
    document = served(local_api, "ProtectedResourceMetadataFunction", "protected_resource_metadata")
    from latchkey.rules.scopes import SCOPES

    assert document["resource"] == API and document["authorization_servers"] == [API]
    assert document["jwks_uri"] == API + "/.well-known/jwks.json"
    assert document["scopes_supported"] == list(SCOPES) and document["bearer_methods_supported"] == ["header"]


def jwks(local_api) -> list[dict]:
    response = invoke(local_api, "JwksFunction", load_event("jwks"))
    assert response["statusCode"] == 200
    return json.loads(response["body"])["keys"]


def test_the_id_token_key_is_rs256_in_the_jwks_beside_the_access_keys_and_verifies_what_it_signs(
        local_api, key_sets):  # noqa: F811 - a fixture
    from cryptography.hazmat.primitives.asymmetric import rsa

    from latchkey.store import key_sets as stored

    stored.signing_context("access")  # each signer's first use publishes its generation 0
    key = stored.signing_key("id")
    assert isinstance(key.private, rsa.RSAPrivateKey) and key.private.key_size == 2048
    assert key.kid.startswith("id-")
    stored.forget()
    published = jwks(local_api)
    # The ID set's: a gateway key set (RS256 too) is published once something has signed with it.
    (rsa_key,) = [k for k in published if k["kty"] == "RSA" and k["kid"].startswith("id-")]
    assert rsa_key["kid"] == key.kid and rsa_key["alg"] == "RS256" and rsa_key["use"] == "sig"
    assert {k["alg"] for k in published} == {"ES256", "RS256"}
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(rsa_key)  # never a private part
    token = jwt.encode({"sub": "user_1", "aud": "app_1"}, key.private, algorithm="RS256", headers={"kid": key.kid})
    verifier = jwt.PyJWK(rsa_key)
    assert jwt.decode(token, verifier.key, algorithms=["RS256"], audience="app_1")["sub"] == "user_1"
    again = stored.signing_key("id")
    assert again.kid == key.kid  # the same key from the same seed, in every container


def test_a_rotation_brings_in_a_new_rsa_key_published_before_it_signs(local_api, key_sets):  # noqa: F811
    from latchkey.store import key_sets as stored

    before = stored.signing_key("id")
    response = rotate(local_api, force=True)
    assert "id" in json.dumps(response)
    stored.forget()
    kids = {k["kid"] for k in jwks(local_api) if k["kty"] == "RSA" and k["kid"].startswith("id-")}
    assert before.kid in kids and len(kids) == 2
    assert stored.signing_key("id").kid == before.kid  # the new key signs only after its publication lead


@pytest.mark.parametrize("purpose", ["id", "gateway"])
def test_the_stored_rsa_set_round_trips(purpose):
    from latchkey.rules import signing_keys

    key = signing_keys.generate(purpose, 100)
    keys, is_seed = signing_keys.parse_private(purpose, signing_keys.dump_private([key]))
    assert not is_seed and keys[0].kid == key.kid and keys[0].active_from == 100
    assert signing_keys.parse_public(signing_keys.dump_public([key]))[0].kid == key.kid

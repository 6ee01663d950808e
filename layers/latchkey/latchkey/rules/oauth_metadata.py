"""What Latchkey tells OAuth clients about itself, pure: the authorization server's metadata (RFC 8414,
served also as OpenID Connect Discovery 1.0's provider configuration) and the API's protected-resource
metadata (RFC 9728, what an MCP client reads first). Everything is derived from the issuer URL, so the
documents name exactly the endpoints that serve them."""

from __future__ import annotations

from latchkey.rules.scopes import SCOPES
from latchkey.rules.tokens import ID_TOKEN_ALGORITHM

# The scopes of a user's sign-in (OpenID Connect's), before the organization's API scopes.
OPENID_SCOPES = ("openid", "profile", "email", "offline_access")
CLAIMS = ("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "amr", "sid", "name", "email", "email_verified",
          "org_id")
AUTHORIZE, TOKEN, USERINFO, REVOKE = "/oauth2/authorize", "/oauth2/token", "/oauth2/userinfo", "/oauth2/revoke"
INTROSPECT, END_SESSION, REGISTER = "/oauth2/introspect", "/oauth2/logout", "/oauth2/register"
JWKS = "/.well-known/jwks.json"


def authorization_server(issuer: str, registration: bool = False) -> dict:
    """The provider's metadata: the code flow with PKCE (S256 only), refresh tokens and client
    credentials; ID tokens signed RS256; clients authenticate with a secret (basic or post) or, public
    ones, with none. `registration_endpoint` only while dynamic registration is on."""
    return ({"registration_endpoint": issuer + REGISTER} if registration else {}) | {
        "issuer": issuer,
        "authorization_endpoint": issuer + AUTHORIZE,
        "token_endpoint": issuer + TOKEN,
        "userinfo_endpoint": issuer + USERINFO,
        "revocation_endpoint": issuer + REVOKE,
        "introspection_endpoint": issuer + INTROSPECT,
        "end_session_endpoint": issuer + END_SESSION,
        "jwks_uri": issuer + JWKS,
        "scopes_supported": [*OPENID_SCOPES, *SCOPES],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [ID_TOKEN_ALGORITHM],
        "claims_supported": list(CLAIMS),
        "prompt_values_supported": ["none", "login", "consent"],
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
        "authorization_response_iss_parameter_supported": True,  # RFC 9207: `iss` in every authorization answer
    }


def registrable_scopes() -> tuple[str, ...]:
    """What a dynamically registered client may ask for: a user's sign-in and the API's read scopes
    (never a write scope: no one vouched for the client)."""
    from latchkey.rules.scopes import WRITE_SCOPES

    return (*OPENID_SCOPES, *(s for s in SCOPES if s not in WRITE_SCOPES))


def protected_resource(issuer: str) -> dict:
    """The API as a protected resource: where its tokens come from and the scopes it understands."""
    return {
        "resource": issuer,
        "authorization_servers": [issuer],
        "jwks_uri": issuer + JWKS,
        "scopes_supported": list(SCOPES),
        "bearer_methods_supported": ["header"],
        "resource_signing_alg_values_supported": ["ES256"],
    }

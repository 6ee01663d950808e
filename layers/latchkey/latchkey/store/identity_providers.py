"""The upstream identity providers over HTTPS (federation): discovery, the authorization URL, the code
exchange, the ID token's checks, GitHub's user and emails API, and the client secrets (Secrets
Manager). Authlib (the federation layer) builds the requests and checks the ID token's claims; joserfc
(Authlib's own JOSE) checks its signature against the provider's JWKS. Only the federation functions
carry that layer: this module is imported by them alone.

A provider that cannot be reached, or answers 5xx, is a 503 (a retry starts the sign-in again); one
that refuses (4xx, a bad token) is FEDERATION_FAILED."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from functools import cache
from typing import NamedTuple

from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from latchkey.errors import FederationFailed, ServiceUnavailable
from latchkey.logs import logger
from latchkey.rules import federation
from latchkey.rules.federation import Provider
from latchkey.settings import get_settings
from latchkey.store import secrets

TIMEOUT_SECONDS = 4
DISCOVERY_CACHE_SECONDS = 3600
_LOOPBACK = ("127.0.0.1", "localhost")  # plain http only to a provider on this machine (the local mock)
_discovered: dict[str, tuple[float, dict]] = {}  # issuer -> (when, its configuration), per container
_jwks: dict[str, dict] = {}  # jwks_uri -> the key set, refreshed when a token names an unknown key


class Profile(NamedTuple):
    """Who the provider says signed in."""

    subject: str
    email: str
    email_verified: bool
    name: str


def authorization_url(provider: Provider, redirect_uri: str, state: str, nonce: str, verifier: str) -> str:
    """Where the browser goes to sign in at the provider: code flow, PKCE S256, the state and (OpenID)
    the nonce."""
    endpoint = _configuration(provider)["authorization_endpoint"] if provider.openid else federation.GITHUB_AUTHORIZE
    extra = {"nonce": nonce} if provider.openid else {"allow_signup": "true"}
    return prepare_grant_uri(endpoint, provider.client_id, "code", redirect_uri=redirect_uri, scope=provider.scope,
                             state=state, code_challenge=create_s256_code_challenge(verifier),
                             code_challenge_method="S256", **extra)


def profile(provider: Provider, code: str, redirect_uri: str, verifier: str, nonce: str) -> Profile:
    """Exchanges the code (with the PKCE verifier and the client secret) and reads who signed in: the
    ID token, verified (signature through the JWKS, iss, aud, nonce, exp), or GitHub's API."""
    token_endpoint = _configuration(provider)["token_endpoint"] if provider.openid else federation.GITHUB_TOKEN
    body = prepare_token_request("authorization_code", code=code, redirect_uri=redirect_uri,
                                 client_id=provider.client_id, client_secret=client_secret(provider.name),
                                 code_verifier=verifier)
    token = _fetch(token_endpoint, data=body.encode(),
                   headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    if not isinstance(token, dict) or "error" in token or not token.get("access_token"):
        raise FederationFailed("The provider did not accept this sign-in: start it again")
    if provider.openid:
        return _id_token_profile(provider, token, nonce)
    return _github_profile(token["access_token"])


def _id_token_profile(provider: Provider, token: dict, nonce: str) -> Profile:
    if not token.get("id_token"):
        raise FederationFailed("The provider sent no ID token")
    configuration = _configuration(provider)
    algorithms = configuration.get("id_token_signing_alg_values_supported") or ["RS256"]
    registry = JWSRegistry(algorithms=[a for a in algorithms if a != "none"])
    try:
        try:
            decoded = jwt.decode(token["id_token"], KeySet.import_key_set(_key_set(configuration)), registry=registry)
        except InvalidKeyIdError:  # a new signing key at the provider: its JWKS read again, once
            decoded = jwt.decode(token["id_token"], KeySet.import_key_set(_key_set(configuration, fresh=True)),
                                 registry=registry)
        claims = CodeIDToken(decoded.claims, decoded.header,
                             {"iss": {"essential": True, "values": [
                                 configuration["issuer"], *federation.ISSUER_ALIASES.get(provider.name, ())]},
                              "aud": {"essential": True, "values": [provider.client_id]},
                              "exp": {"essential": True}},
                             {"nonce": nonce, "client_id": provider.client_id, "access_token": token["access_token"]})
        claims.validate(leeway=60)
    except (JoseError, ValueError) as refused:
        logger.info("ID token refused", extra={"provider": provider.name, "error_type": type(refused).__name__})
        raise FederationFailed() from None
    if configuration["issuer"] != provider.issuer:
        raise FederationFailed()
    verified = claims.get("email_verified") in (True, "true")
    return Profile(str(claims["sub"]), str(claims.get("email") or ""), verified,
                   str(claims.get("name") or claims.get("preferred_username") or ""))


def _github_profile(access_token: str) -> Profile:
    headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/vnd.github+json",
               "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "latchkey"}
    user = _fetch(f"{federation.GITHUB_API}/user", headers=headers)
    emails = _fetch(f"{federation.GITHUB_API}/user/emails", headers=headers)
    primary = next((e for e in emails if isinstance(e, dict) and e.get("primary")), None) \
        if isinstance(emails, list) else None
    if not isinstance(user, dict) or "id" not in user:
        raise FederationFailed()
    return Profile(str(user["id"]), str((primary or {}).get("email") or ""), bool((primary or {}).get("verified")),
                   str(user.get("name") or user.get("login") or ""))


def _configuration(provider: Provider) -> dict:
    """The issuer's discovery document (kept for an hour per container); its issuer must be the one
    configured (OpenID Connect Discovery 1.0, 4.3)."""
    held = _discovered.get(provider.issuer)
    if held and time.monotonic() - held[0] < DISCOVERY_CACHE_SECONDS:
        return held[1]
    found = _fetch(f"{provider.issuer}/.well-known/openid-configuration")
    if not isinstance(found, dict) or found.get("issuer", "").rstrip("/") != provider.issuer:
        raise FederationFailed("The provider's discovery document names another issuer")
    _discovered[provider.issuer] = (time.monotonic(), found)
    return found


def _key_set(configuration: dict, fresh: bool = False) -> dict:
    uri = configuration["jwks_uri"]
    if fresh or uri not in _jwks:
        _jwks[uri] = _fetch(uri)
    return _jwks[uri]


def client_secret(provider_name: str) -> str:
    return _client_secrets().get(provider_name, "")


@cache
def _client_secrets() -> dict:
    arn = get_settings().federation_secrets_arn
    return json.loads(secrets.read(arn)) if arn else {}


def _fetch(url: str, data: bytes | None = None, headers: dict | None = None):
    """One HTTPS call to a provider (plain http to loopback only), its JSON answer. Unreachable or 5xx:
    503; 4xx: the error's JSON (the caller refuses), or FEDERATION_FAILED."""
    parts = urllib.parse.urlsplit(url)
    if not (parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK)):
        raise FederationFailed("The provider must be reached over https")
    request = urllib.request.Request(url, data=data,  # noqa: S310 - http(s) only, checked above
                                     headers={"Accept": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 - http(s) only
            return json.loads(answer.read())
    except urllib.error.HTTPError as error:
        if error.code >= 500:
            raise ServiceUnavailable("The sign-in provider is not answering: try again") from None
        try:
            return json.loads(error.read()) or {"error": str(error.code)}
        except ValueError:
            raise FederationFailed() from None
    except (OSError, ValueError) as error:
        logger.warning("provider unavailable", extra={"error_type": type(error).__name__})
        raise ServiceUnavailable("The sign-in provider is not answering: try again") from None

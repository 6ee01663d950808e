"""The authorizer's rules: a request's credential becomes a principal (or a refusal), and either
becomes the IAM policy API Gateway evaluates.

Within the gateway's limits: an Allow policy lets the request through with `context` in
`requestContext.authorizer`; every refusal is a Deny whose context carries `code` and `message`,
which the ACCESS_DENIED gateway response (status 401 in template.yaml) renders in the envelope.
We never raise `Unauthorized`: its gateway response has a static body and could not say why.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import NamedTuple

from latchkey.edge import route_map
from latchkey.errors import AmbiguousCredentials, LatchkeyError, NoBearerToken, RouteNotProtected
from latchkey.rules.api_key_format import PREFIX as API_KEY_PREFIX
from latchkey.rules.records import Principal


class Credential(NamedTuple):
    kind: str  # "jwt" or "api_key"
    value: str


def credential(headers: dict[str, str]) -> Credential:
    """The one credential a request presents: `X-API-Key`, or `Authorization: Bearer …`; both at once
    is refused rather than guessed at."""
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    api_key = (lowered.get("x-api-key") or "").strip()
    authorization = lowered.get("authorization") or ""
    if api_key and authorization:
        raise AmbiguousCredentials()
    if api_key:
        return Credential("api_key", api_key)
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise NoBearerToken()
    value = value.strip()
    return Credential("api_key" if value.startswith(API_KEY_PREFIX) else "jwt", value)


def authenticate(
    headers: dict[str, str],
    *,
    access_token: Callable[[str], Principal],
    api_key: Callable[[str], Principal],
) -> Principal:
    """The principal behind the request's one credential, verified by the use case that owns it."""
    found = credential(headers)
    return api_key(found.value) if found.kind == "api_key" else access_token(found.value)


def protected_route(method: str, resource: str) -> route_map.Route:
    """The route map's entry for a request the authorizer guards; a route it does not know (or a
    public one, or an operator's, neither of which should be behind it) is refused: fail closed."""
    route = route_map.find(method, resource)
    if route is None or route_map.PUBLIC in route.callers or route_map.OPERATOR in route.callers:
        raise RouteNotProtected()
    return route


def allow(principal: Principal, method_arn: str) -> dict:
    return {
        "principalId": principal.user_id,
        "policyDocument": _policy("Allow", method_arn),
        # Strings only: API Gateway drops nested values from an authorizer's context.
        "context": {
            "kind": principal.kind,
            "userId": principal.user_id,
            "organizationId": principal.organization_id,
            "role": principal.role,
            "sessionId": principal.session_id,
            "tokenId": principal.token_id,
            "tokenExpiresAt": str(principal.token_expires_at),
            "scopes": " ".join(principal.scopes),
            "authTime": str(principal.auth_time),
        },
    }


def deny(error: LatchkeyError, method_arn: str) -> dict:
    return {
        "principalId": "anonymous",
        "policyDocument": _policy("Deny", method_arn),
        # The gateway pastes these into a JSON template as they are: escape them as JSON string content.
        "context": {"code": error.code, "message": json.dumps(error.message)[1:-1]},
    }


def _policy(effect: str, method_arn: str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": method_arn}],
    }

"""What a route is: its method and path, who may call it, the scope a key needs, and what it answers
(its operation). The shapes api/routes.py and a module's declaration (api/module.py) are written in."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

# Refusals of the token rules (rules/tokens.py) wherever a token arrives in a body or a path.
TOKEN_REFUSALS = ("INVALID_TOKEN", "TOKEN_EXPIRED", "WRONG_STAGE", "WRONG_TOKEN_TYPE")
# Refusals of a one-time token from an email (rules/one_time_tokens.py).
LINK_REFUSALS = ("INVALID_ONE_TIME_TOKEN", "ONE_TIME_TOKEN_EXPIRED", "ONE_TIME_TOKEN_USED", "WRONG_TOKEN_PURPOSE")
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Sample:
    """The request of the function's sample event (events/<folder>.json: `sam local invoke -e`, the handler
    tests), where it is not the operation's example."""

    body: dict | None = None  # None: the operation's example
    path: dict[str, str] = field(default_factory=dict)  # the path parameters' values
    query: dict[str, str] = field(default_factory=dict)  # the query string's


class Answers(Enum):
    """What a route's function takes and answers, beyond its models: its OpenAPI responses follow."""

    ENVELOPE = "envelope"  # JSON in Latchkey's envelope: `{"data": view}`, or `{"error": ...}`
    DOCUMENT = "document"  # a standards document as it is (`latchkey.edge.http.document`): JWKS, discovery
    REDIRECT = "redirect"  # a browser redirect: `status` a 3xx, a Location, no body
    OAUTH_REDIRECT = "oauth-redirect"  # OAuth's authorize: 302, or OAuth's error form (`view`) at 400 and 401
    OAUTH_FORM = "oauth-form"  # a form in; `view`, or OAuth's error form at 400 and 401
    OAUTH_JSON = "oauth-json"  # RFC 7591's JSON in (unknown fields ignored); `view`, or OAuth's error at 400, 403


@dataclass(frozen=True)
class Operation:
    """What a route's function answers: the part of a route the route index does not carry."""

    summary: str
    view: type | None  # the model of `data` (or, not an envelope, of the answer); None: the document itself
    status: int = 200
    body: type | None = None
    query: type | None = None
    errors: dict[int, tuple[str, ...]] = field(default_factory=dict)  # beyond what the route's kind implies
    example: dict | None = None  # the docs walk-through's request body (and the sample event's)
    cookie_mode: bool = False  # honours `X-Token-Transport: cookie` (latchkey.edge.refresh_cookie)
    idempotent: bool = False  # honours `Idempotency-Key` (latchkey.edge.http.idempotent)
    answers: Answers = Answers.ENVELOPE
    sample: Sample | None = None  # the sample event's request; None: the example, no parameters


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # the API Gateway resource path, `/v1/items/{id}`
    callers: frozenset[str]  # PUBLIC, USER, API_KEY; or OPERATOR alone (AWS_IAM)
    function: str  # the template's logical id of the function that serves it (api/functions.py)
    operation: Operation | None = None  # None: the operation of its function's first route
    scope: str | None = None  # what an API key needs (api/scopes.py); signed-in users act with their full role
    rate_limit: str | None = None  # the per-source-IP limit's action (settings.rate_limits), if any
    step_up: bool = False  # needs an authentication at most ReauthMaxAgeSeconds old (RFC 9470)
    role: str | None = None  # the role a signed-in user needs (ADMIN); None: any member (keys: the scope)
    aliases: tuple[str, ...] = ()  # other paths of the same method, served the same way by the same function

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path, *self.aliases)


def route(method: str, path: str, *callers: str, function: str, operation: Operation | None = None,
          scope: str | None = None, rate_limit: str | None = None, step_up: bool = False, role: str | None = None,
          aliases: tuple[str, ...] = ()) -> Route:
    return Route(method, path, frozenset(callers), function, operation, scope, rate_limit, step_up, role, aliases)

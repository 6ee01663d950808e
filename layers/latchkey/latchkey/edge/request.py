"""An API Gateway REST (v1) proxy event, read the way handlers need it: the caller, the principal the
authorizer let in, the query, and the body as its compiled model reads it.

A module of its own so that the authorizer (whose cold start has a budget) can read its event
without importing the handlers' edge (the response envelope, the route guard).
"""

from __future__ import annotations

import base64
import functools
import re
from typing import TYPE_CHECKING, Any

from latchkey.edge import route_map
from latchkey.errors import (
    CrossSiteRequest,
    InvalidJson,
    LatchkeyError,
    MissingPrincipal,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
)
from latchkey.rules.records import Client, Principal
from latchkey.settings import get_settings

# A host name or address, and a port: what may be echoed back as a URL's authority.
_HOST = re.compile(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")

if TYPE_CHECKING:  # the authorizer reads its event here and never loads a validator
    from latchkey.edge.bodies import CompiledBody, Fields


class Request:
    """An API Gateway REST (v1) proxy event, read the way handlers need it."""

    def __init__(self, event: dict, lambda_context: Any = None):
        self.event = event
        self.lambda_context = lambda_context
        self.method: str = event.get("httpMethod", "")
        self.resource: str = event.get("resource", "")
        self.path_parameters: dict[str, str] = event.get("pathParameters") or {}
        self.query: dict[str, str] = event.get("queryStringParameters") or {}
        self.headers: dict[str, str] = {k.lower(): v for k, v in (event.get("headers") or {}).items()}

    @functools.cached_property
    def principal(self) -> Principal:
        ctx = (self.event.get("requestContext") or {}).get("authorizer") or {}
        if not ctx.get("userId") or not ctx.get("organizationId"):
            # Only reachable if a route is deployed without the authorizer: refuse, never guess.
            raise MissingPrincipal()
        return Principal(
            kind=ctx.get("kind", route_map.USER),
            user_id=ctx["userId"],
            organization_id=ctx["organizationId"],
            role=ctx.get("role", ""),
            session_id=ctx.get("sessionId", ""),
            token_id=ctx.get("tokenId", ""),
            token_expires_at=int(ctx.get("tokenExpiresAt") or 0),
            scopes=tuple(str(ctx.get("scopes", "")).split()),
            auth_time=int(ctx.get("authTime") or 0),
            source_ip=self.client.source_ip,
        )

    def bearer_claims(self) -> dict:
        """The claims of the request's Bearer token, which the authorizer verified before API Gateway
        let the request through (the function reads them, never trusts a token it was not given so)."""
        from latchkey.rules.tokens import unverified_claims

        try:
            return unverified_claims(self.headers.get("authorization", "").removeprefix("Bearer ").strip())
        except (IndexError, LatchkeyError):
            return {}

    def page(self, default: int = 50, maximum: int = 100) -> tuple[int, str | None]:
        """`?limit=&cursor=` of a list endpoint."""
        raw = self.query.get("limit", str(default))
        if not (len(raw) <= 3 and raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:
            raise ValidationFailed("Query parameter limit is invalid",
                                   details=[{"field": "limit", "message": f"must be an integer from 1 to {maximum}"}])
        return int(raw), self.query.get("cursor") or None

    @functools.cached_property
    def cookie_mode(self) -> bool:
        """Whether the request asks for cookie mode (`X-Token-Transport: cookie`, latchkey.edge.refresh_cookie);
        403 `CROSS_SITE_REQUEST` unless its `Origin` is the site's own: the host the browser asked for
        (`X-Viewer-Host`, which the CloudFront distribution copies from the viewer's `Host`, else `Host`)."""
        if self.headers.get("x-token-transport", "").strip().lower() != "cookie":
            return False
        host = self.headers.get("x-viewer-host") or self.headers.get("host", "")
        scheme = self.headers.get("x-forwarded-proto", "https")
        if not host or self.headers.get("origin") != f"{scheme}://{host}":
            raise CrossSiteRequest()
        return True

    @property
    def api_url(self) -> str:
        """The URL this request reached the API at, as a client should call it again: through the
        CloudFront distribution, the site's origin (`X-Viewer-Host`; its root is the stage's); at the
        API's own domain, that domain and the stage (or a custom domain's base path), which API Gateway
        puts before the resource path; on the local API, the host and port the client named. A `Host`
        that is no host name (and port) is not echoed: the API's own domain stands in."""
        context = self.event.get("requestContext") or {}
        scheme = "http" if self.headers.get("x-forwarded-proto") == "http" else "https"
        viewer_host = self.headers.get("x-viewer-host", "")
        if _HOST.fullmatch(viewer_host):
            return f"{scheme}://{viewer_host}"
        host = self.headers.get("host", "")
        if not _HOST.fullmatch(host):
            host = context.get("domainName", "")
        served_path, path = context.get("path", ""), self.event.get("path", "")
        at_own_domain = host == context.get("domainName") and path and served_path.endswith(path)
        return f"{scheme}://{host}{served_path[: -len(path)] if at_own_domain else ''}"

    @property
    def request_id(self) -> str:
        return (self.event.get("requestContext") or {}).get("requestId", "")

    @property
    def operator(self) -> str:
        """The AWS IAM principal (its ARN) that signed the request, as API Gateway's AWS_IAM authorization
        put it in `requestContext.identity` (the admin API's routes); "" on any other route."""
        identity = (self.event.get("requestContext") or {}).get("identity") or {}
        return str(identity.get("userArn") or "")

    @property
    def actor(self) -> str:
        """Who acts, for the audit trail: the authorizer's principal, the IAM principal on the admin API's
        routes (`iam:<ARN>`), or "" on public routes."""
        ctx = (self.event.get("requestContext") or {}).get("authorizer") or {}
        if not ctx.get("userId"):
            return f"iam:{self.operator}" if self.operator else ""
        return f"key:{ctx.get('tokenId', '')}" if ctx.get("kind") == route_map.API_KEY else f"user:{ctx['userId']}"

    @property
    def client(self) -> Client:
        """The caller as API Gateway saw it: the TCP peer, never a header such as X-Forwarded-For."""
        identity = (self.event.get("requestContext") or {}).get("identity") or {}
        return Client(user_agent=(identity.get("userAgent") or "")[:256], source_ip=identity.get("sourceIp") or "")

    def text(self, limit: int) -> str:
        """The body as UTF-8 text (JSON Lines: the admin API's import), at most `limit` bytes (413)."""
        raw = self._body_bytes(limit)
        if raw is None:
            raise ValidationFailed("Request body is not base64")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationFailed("Request body is not UTF-8") from None

    def body_text(self) -> str:
        """The body as text (a form's), size-limited; "" for a body that does not decode."""
        raw = self._body_bytes()
        return "" if raw is None else raw.decode("utf-8", "replace")

    def _body_bytes(self, limit: int | None = None) -> bytes | None:
        """The body's bytes (base64 undone), at most `limit` (`max_body_bytes` unless given: 413 past
        it); None if its base64 is bad."""
        raw = (self.event.get("body") or "").encode("utf-8", "surrogatepass")
        if self.event.get("isBase64Encoded"):
            try:
                raw = base64.b64decode(raw, validate=True)
            except ValueError:
                return None
        limit = limit or get_settings().max_body_bytes
        if len(raw) > limit:
            raise PayloadTooLarge(f"Request body is larger than {limit} bytes")
        return raw

    def json(self, body: CompiledBody) -> Fields:
        """The body as `body` (latchkey.edge.bodies) reads it: a JSON object only, size-limited,
        unknown fields refused, every problem reported in words."""
        from pydantic_core import ValidationError  # loaded already by the handler's compiled body

        from latchkey.edge.bodies import problems

        content_type = self.headers.get("content-type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            raise UnsupportedMediaType()
        raw = self._body_bytes()
        if raw is None:
            raise InvalidJson()
        if not raw.lstrip().startswith(b"{"):
            raise InvalidJson("Request body must be a JSON object")
        try:
            return body.parse(raw)
        except ValidationError as error:
            if any(item["type"] == "json_invalid" for item in error.errors(include_url=False, include_input=False)):
                raise InvalidJson() from None
            raise ValidationFailed(details=problems(error)) from None

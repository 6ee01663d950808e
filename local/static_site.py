"""The dashboard's side of the CloudFront split, locally: what the template's distribution does in AWS.

The distribution (`Dashboard` in template.yaml) sends the paths of its cache behaviours (`/v1/*`,
`/api/*`, ...) to API Gateway and every other path to the S3 bucket holding `dashboard/`, with its
response headers policy (the CSP, `Referrer-Policy`, ...) on every file, and a viewer-request function
that answers the app's own routes (`/settings/security`, `/reset-password?token=`: a last segment with
no dot) with `/index.html`. This module reads those behaviours and headers from the template, so the
split and the headers are the deployed ones, and serves the files from `dashboard/`.
"""

from __future__ import annotations

import fnmatch
import mimetypes
from pathlib import Path

from local.gateway import HttpResponse
from local.template import ROOT, Template

SITE = ROOT / "dashboard"
DISTRIBUTION = "Dashboard"
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml", ".json": "application/json"}


def content_type(file: Path) -> str:
    """A dashboard file's Content-Type, here and in the bucket (deploy.dashboard)."""
    return _TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"


class StaticSite:
    def __init__(self, template: Template, root: Path = SITE):
        config = template.resources[DISTRIBUTION]["Properties"]["DistributionConfig"]
        self.api_patterns = tuple(b["PathPattern"] for b in config.get("CacheBehaviors", []))
        self.headers = _security_headers(template, config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"])
        self.root = root.resolve()

    def is_api(self, path: str) -> bool:
        """Whether the distribution sends `path` to API Gateway (CloudFront's `*` and `?` wildcards)."""
        return any(fnmatch.fnmatchcase(path, pattern) for pattern in self.api_patterns)

    def serve(self, method: str, target: str) -> HttpResponse | None:
        """The file for a dashboard path; None for the API's paths (the gateway answers those)."""
        path = target.split("?", 1)[0]
        if self.is_api(path):
            return None
        if method not in ("GET", "HEAD"):  # S3 behind CloudFront: read-only
            return self._answer(403, "text/plain; charset=utf-8", b"Forbidden\n")
        if "." not in path.rsplit("/", 1)[-1]:
            path = "/index.html"  # the viewer-request function's rewrite: the app routes itself
        file = (self.root / path.lstrip("/")).resolve()
        if not file.is_relative_to(self.root) or not file.is_file():
            return self._answer(404, "text/plain; charset=utf-8", b"Not found\n")
        return self._answer(200, content_type(file), file.read_bytes())

    def _answer(self, status: int, content_type: str, body: bytes) -> HttpResponse:
        return HttpResponse(status, [("Content-Type", content_type), ("Cache-Control", "no-cache"), *self.headers],
                            body)


def _security_headers(template: Template, policy_ref: dict) -> list[tuple[str, str]]:
    """The response headers policy's security headers, as CloudFront adds them."""
    config = template.resources[policy_ref["Ref"]]["Properties"]["ResponseHeadersPolicyConfig"]
    security = config.get("SecurityHeadersConfig", {})
    headers = []
    if "ContentSecurityPolicy" in security:
        headers.append(("Content-Security-Policy", security["ContentSecurityPolicy"]["ContentSecurityPolicy"]))
    if "ContentTypeOptions" in security:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if "FrameOptions" in security:
        headers.append(("X-Frame-Options", security["FrameOptions"]["FrameOption"]))
    if "ReferrerPolicy" in security:
        headers.append(("Referrer-Policy", security["ReferrerPolicy"]["ReferrerPolicy"]))
    if "StrictTransportSecurity" in security:  # ignored by browsers over http, as here
        hsts = security["StrictTransportSecurity"]
        headers.append(("Strict-Transport-Security", f"max-age={hsts['AccessControlMaxAgeSec']}"
                        + ("; includeSubDomains" if hsts.get("IncludeSubdomains") else "")))
    headers += [(h["Header"], h["Value"]) for h in config.get("CustomHeadersConfig", {}).get("Items", [])]
    return headers

"""What the local pages under `/_local/` share: who may read them (this machine only), their answers
(JSON in the API's envelope, or an HTML page), one stylesheet and a CSP as strict as the dashboard's
(no inline script or style). Local runtime only: never in the template or the layer."""

from __future__ import annotations

import html
import ipaddress
import json

from local.gateway import HttpResponse

PREFIX = "/_local"
STYLESHEET = f"{PREFIX}/local.css"
# The pages show mail with one-time links and the tables' items: nothing leaves the page, nothing runs.
_HEADERS = [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
            ("X-Frame-Options", "DENY"),
            ("Content-Security-Policy", "default-src 'none'; style-src 'self'; base-uri 'none'; "
                                        "form-action 'none'; frame-ancestors 'none'")]
_CSS = b"""body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem; max-width: 72rem; color: #1b1f24; }
nav a { margin-right: 1rem; }
article, section { border-top: 1px solid #c9d0d8; }
pre { white-space: pre-wrap; word-break: break-all; margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #c9d0d8; }
a { color: #1f4e8c; }
.muted { color: #4a5360; }
"""


def is_loopback(peer: str) -> bool:
    """Whether a TCP peer is this machine (127.0.0.0/8, ::1, or either as an IPv4-mapped address)."""
    try:
        address = ipaddress.ip_address(peer.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def refused() -> HttpResponse:
    """The answer to a peer that is not this machine: the local pages hold mail links and local data."""
    return json_answer({"success": False, "error": {"code": "LOCAL_ONLY",
                                                    "message": "The local pages answer this machine only"}}, 403)


def read_only() -> HttpResponse:
    body = {"success": False, "error": {"code": "METHOD_NOT_ALLOWED", "message": "The local pages are read-only"}}
    answer = json_answer(body, 405)
    answer.headers.append(("Allow", "GET, HEAD"))
    return answer


def json_answer(body: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(status, [("Content-Type", "application/json"), *_HEADERS], json.dumps(body).encode())


def html_page(title: str, body: str) -> HttpResponse:
    """A whole page around `body` (already escaped markup), with links to the other local pages."""
    links = ((f"{PREFIX}/mail/", "Mailbox"), (f"{PREFIX}/data/", "Tables"), ("/", "Dashboard"), ("/docs", "API docs"))
    nav = " ".join(f'<a href="{path}">{name}</a>' for path, name in links)
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<link rel="stylesheet" href="{STYLESHEET}"></head><body><nav aria-label="Local pages">{nav}</nav>'
            f"<main><h1>{html.escape(title)}</h1>{body}</main></body></html>")
    return HttpResponse(200, [("Content-Type", "text/html; charset=utf-8"), *_HEADERS], page.encode())


def serve(method: str, target: str) -> HttpResponse | None:
    """The pages' stylesheet."""
    if target.split("?", 1)[0] != STYLESHEET or method not in ("GET", "HEAD"):
        return None
    return HttpResponse(200, [("Content-Type", "text/css; charset=utf-8"), *_HEADERS], _CSS)

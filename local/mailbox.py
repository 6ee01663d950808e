"""The local mailbox: every message the functions sent through SES (moto keeps them in memory), at
`GET /_local/mail` (JSON, newest first, `?to=` filters by recipient) and `/_local/mail/` (a page to read them).
Local runtime only: nothing here is in the template or the layer, and the mail is not kept across
a restart."""

from __future__ import annotations

import email
import email.policy
import html
import json
import threading
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs

from local.constants import ACCOUNT, REGION
from local.gateway import HttpResponse

_first_seen: dict[str, float] = {}
_lock = threading.Lock()


def messages(to: str | None = None) -> list[dict]:
    from moto.backends import get_backend

    sent = list(get_backend("ses")[ACCOUNT][REGION].sent_messages)  # in the order they were sent
    found = [_read(m) for m in reversed(sent)]
    if to:
        found = [m for m in found if to.lower() in (a.lower() for a in m["to"])]
    return found


def serve(method: str, target: str) -> HttpResponse | None:
    """The mailbox's answer for `/_local/mail...`, or None for any other path."""
    path, _, query = target.partition("?")
    if not path.startswith("/_local/mail") or method not in ("GET", "HEAD"):
        return None
    to = (parse_qs(query).get("to") or [None])[0]
    if path == "/_local/mail":
        body = json.dumps({"success": True, "data": {"messages": messages(to)}}).encode()
        return HttpResponse(200, [("Content-Type", "application/json"), ("Cache-Control", "no-store")], body)
    if path == "/_local/mail/":
        return HttpResponse(200, [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                                  ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")],
                            _page(messages(to)).encode())
    return None


def _read(message) -> dict:
    """One sent message as the mailbox shows it: raw MIME messages are parsed into their parts."""
    with _lock:
        first_seen = _first_seen.setdefault(message.id, time.time())
    raw = getattr(message, "raw_data", None)
    if raw is None:  # a Simple message: moto keeps one body
        body = message.body or ""
        text, markup = ("", body) if body.lstrip().startswith("<") else (body, "")
        to = list((message.destinations or {}).get("ToAddresses", []))
        return {"id": message.id, "to": to, "from": message.source, "subject": message.subject,
                "text": text, "html": markup, "sentAt": _iso(first_seen)}
    parsed = email.message_from_string(raw, policy=email.policy.default)
    # Headers as sent (compat32 does not parse them): an address a fuzzer made up must not take the
    # mailbox down for every later reader.
    headers = email.message_from_string(raw)
    text = parsed.get_body(("plain",))
    markup = parsed.get_body(("html",))
    date = headers["Date"]
    return {
        "id": message.id,
        "to": [a.strip() for a in str(headers["To"] or "").split(",") if a.strip()] or list(message.destinations),
        "from": str(headers["From"] or message.source),
        "subject": str(parsed["Subject"] or ""),
        "text": text.get_content() if text else "",
        "html": markup.get_content() if markup else "",
        "sentAt": parsedate_to_datetime(date).astimezone(UTC).isoformat().replace("+00:00", "Z") if date
        else _iso(first_seen),
    }


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _page(found: list[dict]) -> str:
    rows = "".join(
        f"<article><h2>{html.escape(m['subject'])}</h2><p>to {html.escape(', '.join(m['to']))} from "
        f"{html.escape(m['from'])} at {html.escape(m['sentAt'])}</p><pre>{html.escape(m['text'])}</pre></article>"
        for m in found
    ) or "<p>No mail yet.</p>"
    return ("<!doctype html><html lang=en><meta charset=utf-8><title>Local mailbox</title>"
            "<style>body{font:15px system-ui;margin:2rem;max-width:60rem}article{border-top:1px solid #ccc}"
            "pre{white-space:pre-wrap}</style><h1>Local mailbox</h1>"
            f"<p>{len(found)} message(s), newest first. JSON: <a href=/_local/mail>/_local/mail</a></p>{rows}")

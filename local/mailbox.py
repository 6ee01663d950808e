"""The local mailbox: every message the functions sent through SES, at `GET /_local/mail` (JSON, newest
first, `?to=` filters by recipient) and `/_local/mail/` (a page to read them, its links clickable).
With a state folder (`make dev`) the mail is kept there as it is sent, and listed again after a restart
until `make reset` wipes the folder. Local runtime only: nothing here is in the template or the layer."""

from __future__ import annotations

import email
import email.policy
import html
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from local import local_pages
from local.constants import ACCOUNT, REGION
from local.gateway import HttpResponse

if TYPE_CHECKING:
    from local.state import LocalState

KEPT = "mail.json"  # in the state folder, beside the tables
_LINK = re.compile(r"https?://[^\s<>\"']+")

_first_seen: dict[str, float] = {}
_lock = threading.Lock()
_earlier: list[dict] = []  # kept from earlier runs, in the order they were sent


def messages(to: str | None = None) -> list[dict]:
    sent = list(_ses().sent_messages)  # in the order they were sent
    found = [*reversed([_read(m) for m in sent]), *reversed(_earlier)]
    if to:
        found = [m for m in found if to.lower() in (a.lower() for a in m["to"])]
    return found


def keep(state: LocalState) -> None:
    """Keeps the mail in `state`'s folder: what earlier runs kept is listed again, and
    each message sent from now on is written as it is sent, so a hard stop loses none."""
    _earlier[:] = state.read(KEPT, [])
    backend = _ses()
    backend.sent_messages = _KeptList(backend.sent_messages, lambda: state.write(KEPT, [*_earlier, *(
        _read(m) for m in list(backend.sent_messages))]))


class _KeptList(list):
    """moto's list of sent messages, saving the mailbox whenever SES appends one."""

    def __init__(self, items: list, save: Callable[[], None]):
        super().__init__(items)
        self._save = save

    def append(self, message) -> None:
        super().append(message)
        try:
            self._save()
        except OSError as error:  # the message is sent and listed all the same; only keeping it failed
            print(f"local mailbox: could not keep the mail: {error}", flush=True)


def _ses():
    from moto.backends import get_backend

    return get_backend("ses")[ACCOUNT][REGION]


def serve(method: str, target: str) -> HttpResponse | None:
    """The mailbox's answer for `/_local/mail...`, or None for any other path."""
    path, _, query = target.partition("?")
    if not path.startswith("/_local/mail") or method not in ("GET", "HEAD"):
        return None
    to = (parse_qs(query).get("to") or [None])[0]
    if path == "/_local/mail":
        return local_pages.json_answer({"success": True, "data": {"messages": messages(to)}})
    if path == "/_local/mail/":
        return local_pages.html_page("Local mailbox", _page(messages(to)))
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
        f"{html.escape(m['from'])} at {html.escape(m['sentAt'])}</p><pre>{_linked(m['text'])}</pre></article>"
        for m in found
    ) or "<p>No mail yet.</p>"
    return (f'<p>{len(found)} message(s), newest first; kept until <code>make reset</code>. '
            f'JSON: <a href="/_local/mail">/_local/mail</a></p>{rows}')


def _linked(text: str) -> str:
    """The text part, escaped, its http(s) links made anchors (no other scheme: nothing runs)."""
    out, at = [], 0
    for found in _LINK.finditer(text):
        url = found.group().rstrip(".,;:!?)]")
        out += [html.escape(text[at:found.start()]), f'<a href="{html.escape(url)}">{html.escape(url)}</a>']
        at = found.start() + len(url)
    return "".join(out) + html.escape(text[at:])

"""Email: the one way the service sends mail (asynchronously, through the mail queue). A base use
case: any use case may queue mail, and this module reads no account and imports no other use case.
The mailer's half, which sends what was queued, is the worker `latchkey.usecases.mailer`.

Any use case sends a message with one call; the request only queues it, so its status, body and
timing never depend on whether, or to whom, mail goes out:

    from latchkey.usecases import mail
    mail.send("account.reset-password", to=user.email, name=user.name, token=token)

- `template_id` is an id of `latchkey.rules.mail_templates` (add new messages there, one id each);
  `values` must be exactly the template's placeholders (plus `token` for a message with a link), or
  `send` raises before anything is queued: a typo fails the caller's tests, not the mailer.
- The calling function needs `sqs:SendMessage` on `MailQueue` (template.yaml); `MAIL_QUEUE_URL`
  comes from the Globals.
- `send` answers 503 (ServiceUnavailable) if the queue cannot take the message; `notify` is the same
  for a notice about something that already happened: a queue failure is logged, not raised.

`send_reset_link` (and `send_sign_in`, and `notify_user`) queue a job rather than a message: the
mailer looks the address up and mints the reset token (or the sign-in link or code), so that
forgot-password (and the passwordless requests) do the same work for every address."""

from __future__ import annotations

import json

from latchkey.errors import ServiceUnavailable
from latchkey.logs import logger
from latchkey.rules import mail_templates
from latchkey.store import mail_queue

SIGN_IN_LINK, SIGN_IN_CODE = "link", "code"  # what a passwordless sign-in job asks the mailer to mint


def send(template_id: str, to: str, locale: str = mail_templates.DEFAULT_LOCALE, **values: str) -> None:
    """Queues the message `template_id` to `to`, with `values` for its placeholders."""
    _enqueue(queued_body(template_id, to, locale, **values), template_id)


def queued_body(template_id: str, to: str, locale: str = mail_templates.DEFAULT_LOCALE, **values: str) -> str:
    """What `send` puts on the queue (and the mailer reads): the template's id and values, not the
    rendered text, so the mailer renders with its own templates and base URL."""
    _check(template_id, values, locale=locale)
    body = {"template": template_id, "to": to, "locale": locale, "values": {k: str(v) for k, v in values.items()}}
    return json.dumps(body, separators=(",", ":"))


def notify(template_id: str, to: str, **values: str) -> None:
    """`send` for a notice about a change already made: the change stands whether or not it is queued."""
    _enqueue(queued_body(template_id, to, **values), template_id, best_effort=True)


def notify_user(user_id: str, template_id: str, **values: str) -> None:
    """`notify` to a user by id: the mailer reads their address and name (a request that knows only
    the caller's id, such as creating an API key, reads nothing for it)."""
    _check(template_id, values, filled_in={"name"}, link=False)
    body = {"job": "notify-user", "userId": user_id, "template": template_id, "values": values}
    _enqueue(json.dumps(body, separators=(",", ":")), template_id, best_effort=True)


def send_reset_link(email: str, template_id: str, best_effort: bool = False, **values: str) -> None:
    """Queues a message with a new password-reset link for the account of `email`, if it has one. The
    request does not look: the mailer does (`mailer`), so a request for an address with
    no account costs exactly what one for an account costs, and answers the same."""
    _check(template_id, values, filled_in={"name", "token"}, link=True)
    body = {"job": "reset-link", "email": email, "template": template_id, "values": values}
    _enqueue(json.dumps(body, separators=(",", ":")), template_id, best_effort=best_effort)


def send_sign_in(email: str, kind: str) -> None:
    """Queues a passwordless sign-in message for `email` (`kind`: SIGN_IN_LINK or SIGN_IN_CODE): the
    mailer looks the address up (`mailer`) and mints the link or code, or says there is no account;
    so the request costs and answers the same whatever the address."""
    _enqueue(json.dumps({"job": "sign-in", "email": email, "kind": kind}, separators=(",", ":")), f"sign-in-{kind}")


def _check(template_id: str, values: dict, locale: str = mail_templates.DEFAULT_LOCALE,
           filled_in: frozenset[str] | set[str] = frozenset(), link: bool | None = None) -> None:
    """TypeError unless `values` are exactly the template's placeholders but those the mailer fills in
    (and, if `link` says, the template has a link or has none)."""
    found = mail_templates.template(template_id, locale)
    expected = mail_templates.placeholders(found) - set(filled_in)
    if set(values) != expected or (link is not None and link != (found.action_path is not None)):
        raise TypeError(f"{template_id} takes {sorted(expected)}, not {sorted(values)}")


def _enqueue(body: str, template_id: str, best_effort: bool = False) -> None:
    try:
        mail_queue.enqueue(body)
    except ServiceUnavailable:
        if not best_effort:
            raise
        logger.warning("mail not queued", extra={"template": template_id})

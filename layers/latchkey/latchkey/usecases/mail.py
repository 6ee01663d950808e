"""Email: the one way the service sends mail (asynchronously, through the mail queue), and the
mailer's half, which sends what was queued.

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

The mailer (SendMailFunction) calls `deliver` with each SQS batch: every message is rendered, sent
through SES v2 as raw MIME, and the ones that failed are returned for SQS to retry (then the
dead-letter queue)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from aws_lambda_powertools import Logger

from latchkey.errors import ServiceUnavailable
from latchkey.rules import mail_templates
from latchkey.settings import get_settings
from latchkey.store import mail_queue

logger = Logger(child=True)


def send(template_id: str, to: str, locale: str = mail_templates.DEFAULT_LOCALE, **values: str) -> None:
    """Queues the message `template_id` to `to`, with `values` for its placeholders."""
    mail_queue.enqueue(queued_body(template_id, to, locale, **values))


def queued_body(template_id: str, to: str, locale: str = mail_templates.DEFAULT_LOCALE, **values: str) -> str:
    """What `send` puts on the queue (and the mailer reads): the template's id and values, not the
    rendered text, so the mailer renders with its own templates and base URL."""
    found = mail_templates.template(template_id, locale)
    expected = mail_templates.placeholders(found)
    if set(values) != expected:
        raise TypeError(f"{template_id} takes {sorted(expected)}, not {sorted(values)}")
    body = {"template": template_id, "to": to, "locale": locale, "values": {k: str(v) for k, v in values.items()}}
    return json.dumps(body, separators=(",", ":"))


def notify(template_id: str, to: str, **values: str) -> None:
    """`send` for a notice about a change already made: the change stands whether or not it is queued."""
    try:
        send(template_id, to, **values)
    except ServiceUnavailable:
        logger.warning("notice not queued", extra={"template": template_id})


@dataclass(frozen=True)
class Delivered:
    sent: int
    failed: list[str]  # SQS message ids, for the batch's batchItemFailures


def deliver(records: list[dict]) -> Delivered:
    """Sends each queued message of an SQS batch; the ids of those that failed."""
    settings = get_settings()
    failed = []
    for record in records:
        try:
            message = json.loads(record["body"])
            rendered = mail_templates.render(message["template"], message["values"], settings.app_base_url,
                                             message.get("locale", mail_templates.DEFAULT_LOCALE))
            raw = mail_templates.mime(rendered, settings.mail_from_address, message["to"])
            mail_queue.send_raw(message["to"], raw)
        except Exception as error:  # noqa: BLE001 - one bad message must not fail its batch
            # The type only: a message's text carries its one-time link.
            logger.warning("message not sent", extra={"messageId": record.get("messageId"),
                                                      "error_type": type(error).__name__})
            failed.append(record["messageId"])
    return Delivered(len(records) - len(failed), failed)

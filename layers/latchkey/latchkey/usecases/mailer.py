"""The mailer (SendMailFunction), a worker: sends what the requests queued (`latchkey.usecases.mail`).

`deliver` takes each SQS batch: every message is rendered, sent through SES v2 as raw MIME, and the
ones that failed are returned for SQS to retry (then the dead-letter queue). A queued job rather
than a message is turned into one first, here, where reading the account costs no request anything:
- `reset-link` (forgot-password, a lockout's notice): mints a reset token for the account of an
  address, if it has one (docs/security/recovery.md);
- `sign-in` (a passwordless request): mints the magic link or the sign-in code for the address's
  account, or tells the address that no account uses it (with a link to sign up); with
  PasswordlessSignUp on, creates that account first (a user and their organization, no password, the
  address unverified until the link or code comes back);
- `notify-user`: addresses a notice to a user by id (their address and name).

A worker: no use case imports it; it imports no other use case, only the stores and the rules."""

from __future__ import annotations

import json
from typing import NamedTuple

from latchkey.errors import EmailTaken
from latchkey.logs import logger
from latchkey.rules import clock, mail_templates, one_time_tokens
from latchkey.rules.records import User
from latchkey.rules.sign_up import new_account
from latchkey.settings import get_settings
from latchkey.store import accounts_table, mail_queue
from latchkey.usecases.mail import SIGN_IN_LINK


class Delivered(NamedTuple):
    sent: int
    failed: list[str]  # SQS message ids, for the batch's batchItemFailures


def deliver(records: list[dict]) -> Delivered:
    """Sends each queued message of an SQS batch; the ids of those that failed."""
    settings = get_settings()
    failed = []
    for record in records:
        try:
            message = json.loads(record["body"])
            if message.get("job"):
                message = prepare(message)
                if message is None:  # no such account (any more): nothing to send, nothing to retry
                    continue
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


def prepare(job: dict) -> dict | None:
    """A queued job as the message to send (template, to, values), or None when there is nothing to
    send (no such account, or it moved to another address meanwhile)."""
    if job["job"] == "sign-in":
        return _sign_in(job)
    if job["job"] == "notify-user":
        return _notify_user(job)
    return _reset_link(job)


def _notify_user(job: dict) -> dict | None:
    user = accounts_table.get_user(job["userId"])
    return user and {"template": job["template"], "to": user.email, "values": {**job["values"], "name": user.name}}


def _reset_link(job: dict) -> dict | None:
    """A new reset token for the account of an email, if it has one (the request that queued the job
    did not look: forgot-password does the same work for every address)."""
    user_id = accounts_table.find_user_id(job["email"])
    if user_id is None and get_settings().user_migration_function_arn:
        from latchkey.usecases import accounts  # lazy migration on: the legacy function may know the address

        if accounts.migrated(job["email"], None):
            user_id = accounts_table.find_user_id(job["email"])
    user = accounts_table.get_user(user_id) if user_id else None
    if user is None:
        return None
    issued = one_time_tokens.issue(one_time_tokens.RESET_PASSWORD, user.id, clock.now())
    if not accounts_table.store_token(user.id, one_time_tokens.RESET_PASSWORD, issued, to=user.email):
        return None  # gone, or moved to another address meanwhile: this one gets no link
    return {"template": job["template"], "to": user.email,
            "values": {**job["values"], "name": user.name, "token": issued.token}}


def _sign_in(job: dict) -> dict | None:
    """A passwordless sign-in: the link or code for the address's account (minted and stored now), or,
    with no account, a message that says so with a link to sign up."""
    email = job["email"]
    user_id = accounts_table.find_user_id(email)
    user = accounts_table.get_user(user_id) if user_id else None
    if user is None and get_settings().passwordless_sign_up:
        user = _sign_up(email)
    if user is None:
        return {"template": "account.no-account", "to": email, "values": {"name": email}}  # links to sign-up
    now = clock.now()
    if job["kind"] == SIGN_IN_LINK:
        issued = one_time_tokens.issue(one_time_tokens.MAGIC_LINK, user.id, now)
        if not accounts_table.store_token(user.id, one_time_tokens.MAGIC_LINK, issued, to=user.email):
            return None
        return {"template": "account.magic-link", "to": user.email, "values": {"name": user.name,
                                                                               "token": issued.token}}
    code = one_time_tokens.new_code()
    if not accounts_table.store_sign_in_code(user.email, user.id, one_time_tokens.hash_code(user.id, code),
                                             now + one_time_tokens.CODE_LIFETIME):
        return None
    return {"template": "account.sign-in-code", "to": user.email, "values": {"name": user.name, "code": code}}


def _sign_up(email: str) -> User | None:
    """PasswordlessSignUp: the account of an address that has none, made as sign-up makes one (a user
    administering a new organization) but with no password; the link or code about to be sent is what
    verifies the address. A racing sign-up that claimed the address first wins: its user is the one."""
    user, organization = new_account(email, email.split("@", 1)[0])
    # Sign-up's shape (a verification token on the user item), never mailed: the sign-in verifies.
    verification = one_time_tokens.issue(one_time_tokens.VERIFY_EMAIL, user.id, clock.now())
    try:
        accounts_table.create_user_with_organization(user, "", organization, verification)
    except EmailTaken:
        user_id = accounts_table.find_user_id(email)
        return accounts_table.get_user(user_id) if user_id else None
    return user

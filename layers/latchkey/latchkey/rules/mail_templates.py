"""Every email the service sends, in one place: a stable id per message (what a translation keys on:
`TRANSLATIONS[locale][id]`), its subject, plain-text and HTML bodies with `$name` placeholders, and the
page its one-time link opens. Rendering and the MIME message are here too; no AWS.

A message that asks the user to act names an `action_path`: its text part then carries the link
`<AppBaseUrl><action_path>?token=<the one-time token>` (or, for a page that needs no token, such as
sign-up, `<AppBaseUrl><action_path>`), and the HTML part a button to it. Notices carry no link and
no token.

Every value is someone's text (an organization's or a person's name, an address, a key's name, a
URL an admin set), so `render` neutralizes each one (`neutralize`) before it reaches the subject or
a part: one line, no control or format characters, nothing a mail client would turn into a link,
at most `MAX_VALUE_CHARS` characters. The only link a message carries is its own action link."""

from __future__ import annotations

import html
import re
import string
import unicodedata
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import NamedTuple
from urllib.parse import urlencode


class MailTemplate(NamedTuple):
    subject: str
    text: str  # plain text; `$link` is the one-time link when `action_path` is set
    html: str  # the body of the HTML part (inside the shared layout); values are escaped into it
    action_path: str | None = None  # the front end's page the link opens; it gets ?token=
    token_in_link: bool = True  # False: the link is the page alone (a sign-up page), and needs no token


class RenderedMail(NamedTuple):
    subject: str
    text: str
    html: str


MAX_VALUE_CHARS = 80  # a value longer than this is cut, with an ellipsis
# Full stops that IDNA (and so a mail client's link finder) reads as ".", which NFKC leaves alone.
_DOTS = str.maketrans({"\u3002": ".", "\uff61": "."})
_LINKABLE = re.compile(r"([.:])(?=\S)")  # "evil.example", "https://", "mailto:x": written "[.]", "[:]"
_QUOTES = str.maketrans({'"': "'", "\u201c": "'", "\u201d": "'"})  # a value cannot close its quotes


def neutralize(value: str, limit: int = MAX_VALUE_CHARS) -> str:
    """Someone's text as a message may show it: compatibility forms folded (NFKC: a full-width
    "．" is a "."), control, format (bidi overrides, zero-width), private-use and unassigned
    characters dropped, every run of blanks and line breaks one space, cut to `limit` characters,
    double quotes made single, and every "." or ":" that something follows written "[.]" / "[:]",
    so that no host, URL or scheme in it is one a mail client links (`evil[.]example`,
    `https[:]//...`)."""
    text = unicodedata.normalize("NFKC", str(value)).translate(_DOTS)
    text = "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cn", "Cs"))
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit - 1].rstrip() + "\u2026"
    return _LINKABLE.sub(r"[\1]", text.translate(_QUOTES))


_FOOTER = "\n\n-- \nLatchkey. You get this email because of activity on your account."

ENGLISH: dict[str, MailTemplate] = {
    "account.verify-email": MailTemplate(
        subject="Confirm your email address",
        text="Hello $name,\n\nConfirm that this address is yours by opening this link (it works once, for 24 hours):"
             "\n\n$link\n\nIf you did not create an account, ignore this email.",
        html="<p>Hello $name,</p><p>Confirm that this address is yours (the link works once, for 24 hours).</p>"
             "$button<p>If you did not create an account, ignore this email.</p>",
        action_path="/verify-email",
    ),
    "account.confirm-new-email": MailTemplate(
        subject="Confirm your new email address",
        text="Hello $name,\n\nYou asked to use this address for your account. Confirm it by opening this link "
             "(it works once, for 24 hours):\n\n$link\n\nIf you did not ask for this, ignore this email.",
        html="<p>Hello $name,</p><p>You asked to use this address for your account. Confirm it (the link works "
             "once, for 24 hours).</p>$button<p>If you did not ask for this, ignore this email.</p>",
        action_path="/confirm-email",
    ),
    "account.approve-email-change": MailTemplate(
        subject="Approve the change of your email address",
        text="Hello $name,\n\nSomeone signed in to your account asked to change its email address to $newEmail. "
             "It changes only if you approve it from this address and the new address confirms it. Approve "
             "or cancel it here (the link works for 24 hours):\n\n$link\n\nIf you did not ask for this, "
             "cancel it and reset your password: someone else knows it.",
        html="<p>Hello $name,</p><p>Someone signed in to your account asked to change its email address to "
             "<b>$newEmail</b>. It changes only if you approve it from this address and the new address "
             "confirms it. Approve or cancel it (the link works for 24 hours).</p>$button<p>If you did not "
             "ask for this, cancel it and reset your password: someone else knows it.</p>",
        action_path="/email-change",
    ),
    "account.email-change-requested": MailTemplate(
        subject="Your email address is about to change",
        text="Hello $name,\n\nSomeone signed in to your account asked to change its email address to $newEmail; "
             "it changes once the new address confirms it. If you did not ask for this, cancel it here (the "
             "link works for 24 hours) and reset your password:\n\n$link",
        html="<p>Hello $name,</p><p>Someone signed in to your account asked to change its email address to "
             "<b>$newEmail</b>; it changes once the new address confirms it. If you did not ask for this, "
             "cancel it (the link works for 24 hours) and reset your password.</p>$button",
        action_path="/email-change",
    ),
    "account.reset-password": MailTemplate(
        subject="Reset your password",
        text="Hello $name,\n\nSomeone (we hope you) asked to reset your password. Choose a new one here (the link "
             "works once, for 30 minutes):\n\n$link\n\nIf you did not ask, ignore this email: your password "
             "stays as it is.",
        html="<p>Hello $name,</p><p>Someone (we hope you) asked to reset your password. Choose a new one (the link "
             "works once, for 30 minutes).</p>$button<p>If you did not ask, ignore this email: your password "
             "stays as it is.</p>",
        action_path="/reset-password",
    ),
    "account.locked": MailTemplate(
        subject="Your account was locked after failed sign-ins",
        text="Hello $name,\n\nThere were too many failed sign-ins to your account, so signing in with a password "
             "is paused for $minutes minutes. If that was not you, someone may be guessing your password. "
             "You can get back in now by choosing a new password (the link works once, for 30 minutes):"
             "\n\n$link",
        html="<p>Hello $name,</p><p>There were too many failed sign-ins to your account, so signing in with a "
             "password is paused for $minutes minutes. If that was not you, someone may be guessing your "
             "password. You can get back in now by choosing a new password (the link works once, for 30 "
             "minutes).</p>$button",
        action_path="/reset-password",
    ),
    "account.magic-link": MailTemplate(
        subject="Your sign-in link",
        text="Hello $name,\n\nSign in by opening this link (it works once, for 15 minutes):\n\n$link\n\nIf you did "
             "not ask for it, ignore this email: nobody can sign in without the link.",
        html="<p>Hello $name,</p><p>Sign in with this link (it works once, for 15 minutes).</p>$button<p>If you did "
             "not ask for it, ignore this email: nobody can sign in without the link.</p>",
        action_path="/magic-link",
    ),
    "account.sign-in-code": MailTemplate(
        subject="Your sign-in code",
        text="Hello $name,\n\nYour sign-in code is $code\n\nIt works once, for 10 minutes. If you did not ask for "
             "it, ignore this email: nobody can sign in without the code.",
        html="<p>Hello $name,</p><p>Your sign-in code is <b style=\"font-size:1.4em;letter-spacing:0.1em\">$code</b>"
             "</p><p>It works once, for 10 minutes. If you did not ask for it, ignore this email: nobody can sign "
             "in without the code.</p>",
    ),
    "account.no-account": MailTemplate(
        subject="No account uses this address",
        text="Hello,\n\nSomeone (we hope you) asked to sign in as $name, but no account uses this address. To "
             "create one, sign up here:\n\n$link\n\nIf you did not ask, ignore this email.",
        html="<p>Hello,</p><p>Someone (we hope you) asked to sign in as $name, but no account uses this address. "
             "To create one, sign up here.</p>$button<p>If you did not ask, ignore this email.</p>",
        action_path="/sign-up",
        token_in_link=False,
    ),
    "team.invitation": MailTemplate(
        subject="You are invited to join \"$organization\" on Latchkey",
        text="Hello,\n\n\"$name\" invited you to join the organization \"$organization\" on Latchkey as $role. "
             "Accept by opening this link and choosing your name and a password (it works once, for 7 days):"
             "\n\n$link\n\nIf you do not know this organization, ignore this email.",
        html="<p>Hello,</p><p>\"$name\" invited you to join <b>\"$organization\"</b> on Latchkey as $role. Accept by "
             "choosing your name and a password (the link works once, for 7 days).</p>$button<p>If you do not "
             "know this organization, ignore this email.</p>",
        action_path="/accept-invitation",
    ),
    "notice.password-changed": MailTemplate(
        subject="Your password was changed",
        text="Hello $name,\n\nThe password of your account was just changed, and your other sessions were "
             "signed out. If you did not do this, reset your password now and check your API keys.",
        html="<p>Hello $name,</p><p>The password of your account was just changed, and your other sessions were "
             "signed out. If you did not do this, reset your password now and check your API keys.</p>",
    ),
    "notice.email-changed": MailTemplate(
        subject="Your email address was changed",
        text="Hello $name,\n\nThe email address of your account was changed to $newEmail. This address will "
             "get no more mail about it. If you did not do this, contact your organization's admin.",
        html="<p>Hello $name,</p><p>The email address of your account was changed to <b>$newEmail</b>. This "
             "address will get no more mail about it. If you did not do this, contact your organization's "
             "admin.</p>",
    ),
    "notice.two-factor-enabled": MailTemplate(
        subject="Two-factor sign-in is on",
        text="Hello $name,\n\nTwo-factor sign-in was turned on for your account. Keep your recovery codes "
             "somewhere safe. If you did not do this, reset your password now: for $days days a reset through "
             "the link we email you also turns this two-factor sign-in off, and ends every session.",
        html="<p>Hello $name,</p><p>Two-factor sign-in was turned on for your account. Keep your recovery codes "
             "somewhere safe. If you did not do this, reset your password now: for $days days a reset through "
             "the link we email you also turns this two-factor sign-in off, and ends every session.</p>",
    ),
    "notice.passkey-added": MailTemplate(
        subject="A passkey was added to your account",
        text="Hello $name,\n\nThe passkey \"$passkey\" was added to your account; it signs you in without a "
             "password. If you did not do this, reset your password now and remove it under Settings, Security.",
        html="<p>Hello $name,</p><p>The passkey \"$passkey\" was added to your account; it signs you in without "
             "a password. If you did not do this, reset your password now and remove it under Settings, "
             "Security.</p>",
    ),
    "notice.identity-linked": MailTemplate(
        subject="A sign-in provider was linked to your account",
        text="Hello $name,\n\nYour $provider account was linked to your account; it signs you in without a "
             "password. If you did not do this, reset your password now and unlink it under Settings, Security.",
        html="<p>Hello $name,</p><p>Your $provider account was linked to your account; it signs you in without "
             "a password. If you did not do this, reset your password now and unlink it under Settings, "
             "Security.</p>",
    ),
    "notice.identity-unlinked": MailTemplate(
        subject="A sign-in provider was unlinked from your account",
        text="Hello $name,\n\nYour $provider account no longer signs you in. If you did not do this, reset "
             "your password now.",
        html="<p>Hello $name,</p><p>Your $provider account no longer signs you in. If you did not do this, "
             "reset your password now.</p>",
    ),
    "notice.passkey-removed": MailTemplate(
        subject="A passkey was removed from your account",
        text="Hello $name,\n\nThe passkey \"$passkey\" was removed from your account. If you did not do "
             "this, reset your password now.",
        html="<p>Hello $name,</p><p>The passkey \"$passkey\" was removed from your account. If you did not "
             "do this, reset your password now.</p>",
    ),
    "notice.two-factor-disabled": MailTemplate(
        subject="Two-factor sign-in is off",
        text="Hello $name,\n\nTwo-factor sign-in was turned off for your account. If you did not do this, "
             "reset your password now and turn it on again.",
        html="<p>Hello $name,</p><p>Two-factor sign-in was turned off for your account. If you did not do this, "
             "reset your password now and turn it on again.</p>",
    ),
    "notice.organization-redirect-changed": MailTemplate(
        subject="Where your organization sends assessment results is changing",
        text="Hello $name,\n\n\"$changedBy\" changed the result redirect URL of \"$organization\": where "
             "candidates, and their result tokens, are sent when they complete an assessment.\n\n"
             "Before: $oldUrl\nNow: $newUrl\n\n(The addresses are written so that no mail client links them.) "
             "You get this as an admin of the organization. If you did not expect it, sign in, set the URL back, "
             "and review the organization's admins and API keys.",
        html="<p>Hello $name,</p><p><b>\"$changedBy\"</b> changed the result redirect URL of "
             "<b>\"$organization\"</b>: where candidates, and their result tokens, are sent when they complete "
             "an assessment.</p><p>Before: <code>$oldUrl</code><br>Now: <code>$newUrl</code></p><p>You get this "
             "as an admin of the organization. If you did not expect it, sign in, set the URL back, and review "
             "the organization's admins and API keys.</p>",
    ),
    "notice.api-key-created": MailTemplate(
        subject="A new API key was created",
        text="Hello $name,\n\nAn API key named \"$keyName\" was created on your account. If you did not do this, "
             "revoke it (DELETE /v1/api-keys/{id}) and reset your password.",
        html="<p>Hello $name,</p><p>An API key named <b>$keyName</b> was created on your account. If you did not "
             "do this, revoke it and reset your password.</p>",
    ),
}

# locale -> id -> template. A translation is one more dict with the same ids (a test holds them equal).
TRANSLATIONS: dict[str, dict[str, MailTemplate]] = {"en": ENGLISH}
DEFAULT_LOCALE = "en"

_LAYOUT = ("<!doctype html><html><body style=\"font-family:system-ui,sans-serif;line-height:1.5;max-width:36rem\">"
           "$content<p style=\"color:#666;font-size:0.9em\">Latchkey. You get this email because of activity on "
           "your account.</p></body></html>")


class UnknownTemplate(KeyError):
    """No template has this id (a bug at the call site, refused before anything is queued)."""


def template(template_id: str, locale: str = DEFAULT_LOCALE) -> MailTemplate:
    found = TRANSLATIONS.get(locale, ENGLISH).get(template_id) or ENGLISH.get(template_id)
    if found is None:
        raise UnknownTemplate(template_id)
    return found


def placeholders(found: MailTemplate) -> set[str]:
    """The values a template needs from its caller (`link` and `button` are the renderer's own)."""
    names = {m.group("named") or m.group("braced") for part in (found.subject, found.text, found.html)
             for m in string.Template.pattern.finditer(part) if m.group("named") or m.group("braced")}
    return names - {"link", "button"} | ({"token"} if found.action_path and found.token_in_link else set())


def render(template_id: str, values: dict[str, str], base_url: str, locale: str = DEFAULT_LOCALE) -> RenderedMail:
    """The message's subject and parts, `values` filled in, each neutralized (and escaped in the HTML
    part). A message with an action needs `values["token"]`: the link is
    `base_url + action_path + "?token=..."`."""
    found = template(template_id, locale)
    plain = {k: neutralize(v) for k, v in values.items() if k != "token"}
    link = f"{base_url}{found.action_path}" if found.action_path else ""
    if link and found.token_in_link:
        link += f"?{urlencode({'token': values['token']})}"
    escaped = {k: html.escape(v) for k, v in plain.items()}
    button = (f"<p><a href=\"{html.escape(link)}\" style=\"display:inline-block;padding:0.6em 1.2em;"
              f"background:#1f4fd1;color:#fff;text-decoration:none;border-radius:4px\">Open</a></p>"
              f"<p style=\"font-size:0.9em\">Or paste this link into your browser: {html.escape(link)}</p>"
              if link else "")
    content = string.Template(found.html).substitute(escaped, button=button)
    return RenderedMail(
        subject=string.Template(found.subject).substitute(plain),
        text=string.Template(found.text).substitute(plain, link=link) + _FOOTER,
        html=string.Template(_LAYOUT).substitute(content=content),
    )


def mime(rendered: RenderedMail, sender: str, to: str, now: datetime | None = None) -> bytes:
    """The raw message SES sends: multipart/alternative, text first (what a client without HTML shows)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, rendered.subject
    message["Date"] = format_datetime(now or datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to this
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message.as_bytes()

"""The local mailbox shows what the functions sent through SES, parsed into its parts."""

from __future__ import annotations

from email.message import EmailMessage

from tests.support import Client, unique_email


def _send(client: Client, to: str, subject: str) -> None:
    client.aws("ses").verify_email_identity(EmailAddress="no-reply@latchkey.dev")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "no-reply@latchkey.dev", to, subject
    message.set_content("Open https://app.example.com/verify?token=abc to go on.")
    message.add_alternative("<p>Open <a href='https://app.example.com/verify?token=abc'>the link</a>.</p>",
                            subtype="html")
    client.aws("sesv2").send_email(FromEmailAddress="no-reply@latchkey.dev", Destination={"ToAddresses": [to]},
                                   Content={"Raw": {"Data": message.as_bytes()}})


def test_sent_mail_is_listed_newest_first_with_both_parts_and_filtered_by_recipient(client: Client):
    first, second = unique_email("mail"), unique_email("mail")
    _send(client, first, "First")
    _send(client, second, "Second")
    everything = client.get("/_local/mail").json()["data"]["messages"]
    ours = [m["subject"] for m in everything if set(m["to"]) & {first, second}]  # other tests send mail too
    assert ours == ["Second", "First"]
    (only,) = client.get("/_local/mail", params={"to": first}).json()["data"]["messages"]
    assert only["to"] == [first] and only["from"] == "no-reply@latchkey.dev"
    assert "token=abc" in only["text"] and "<a href=" in only["html"]
    assert set(only) == {"id", "to", "from", "subject", "text", "html", "sentAt"}
    page = client.get("/_local/mail/")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "First" in page.text and "<script" not in page.text
    # The links are links: one click opens them (the sentence's full stop is not part of it).
    assert '<a href="https://app.example.com/verify?token=abc">' in page.text
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]


def test_a_recipient_the_email_parser_chokes_on_does_not_take_the_mailbox_down(client: Client):
    """The contract fuzzer registers addresses like `a@[b.c`; the stdlib's header parser raises on them."""
    odd = f"{unique_email('odd').split('@')[0]}@[b.c"
    raw = (f"From: no-reply@latchkey.dev\r\nTo: {odd}\r\nSubject: Odd\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\nOpen https://app.example.com/verify?token=abc\r\n")
    client.aws("ses").verify_email_identity(EmailAddress="no-reply@latchkey.dev")
    client.aws("sesv2").send_email(FromEmailAddress="no-reply@latchkey.dev", Destination={"ToAddresses": [odd]},
                                   Content={"Raw": {"Data": raw.encode()}})
    listed = client.get("/_local/mail", params={"to": odd})
    assert listed.status_code == 200
    (only,) = listed.json()["data"]["messages"]
    assert only["to"] == [odd] and only["subject"] == "Odd"
    assert client.get("/_local/mail/").status_code == 200

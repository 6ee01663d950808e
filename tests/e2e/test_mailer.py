"""Mail over the local runtime, as in AWS: a message on the mail queue is delivered to the mailer by
the event source mapping, sent through SES v2, and read back from the local mailbox."""

from __future__ import annotations

from tests.support import Client, unique_email


def test_an_enqueued_message_appears_in_the_mailbox_with_both_parts(client: Client):
    from latchkey.usecases import mail

    to = unique_email("e2e-mail")
    sqs = client.aws("sqs")
    url = sqs.get_queue_url(QueueName="latchkey-dev-mail")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=mail.queued_body("account.verify-email", to, name="Ada", token="abc"))
    (message,) = client.mail(to)
    assert message["subject"] == "Confirm your email address" and message["to"] == [to]
    # Locally the links open the dashboard the local API serves (AppBaseUrl is its origin).
    assert f"{client.base_url}/verify-email?token=abc" in message["text"]
    assert "verify-email?token=abc" in message["html"]
    assert set(message) == {"id", "to", "from", "subject", "text", "html", "sentAt"}

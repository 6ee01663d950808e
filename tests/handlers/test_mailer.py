"""The mailer: what `mail.send` queues reaches SES v2 as a raw MIME message (text and HTML parts); a
message that cannot be sent is reported back to SQS, and the rest of its batch is sent."""

from __future__ import annotations

import json

import pytest

from tests.handlers.conftest import invoke, mailed
from tests.support import EVENTS, unique_email


def _records(*bodies: str) -> dict:
    event = json.loads((EVENTS / "send_mail.json").read_text())
    (sample,) = event["Records"]
    return {"Records": [{**sample, "messageId": f"m-{i}", "body": body} for i, body in enumerate(bodies)]}


def test_a_batch_is_sent_as_mime_and_only_the_bad_message_is_reported(local_api):
    from latchkey.usecases import mail

    to = unique_email("mailer")
    good = mail.queued_body("account.reset-password", to, name="Ada", token="t0ken")
    response = invoke(local_api, "SendMailFunction", _records(good, "not json", good.replace("reset-password", "x.y")))
    assert response == {"batchItemFailures": [{"itemIdentifier": "m-1"}, {"itemIdentifier": "m-2"}]}
    (sent,) = mailed(local_api, to)
    assert sent["subject"] == "Reset your password" and sent["from"] == "no-reply@latchkey.dev"
    assert "/reset-password?token=t0ken" in sent["text"] and "<a href=" in sent["html"]


def test_send_refuses_values_that_are_not_the_templates_before_queueing(local_api):
    from latchkey.usecases import mail

    with pytest.raises(TypeError):
        mail.send("account.verify-email", to="a@example.com", name="Ada")  # no token
    with pytest.raises(KeyError):
        mail.send("account.no-such-message", to="a@example.com")


def test_a_queued_message_is_delivered_by_the_event_source_mapping(local_api):
    from latchkey.usecases import mail

    to = unique_email("queued")
    mail.send("notice.password-changed", to=to, name="Ada")
    (sent,) = mailed(local_api, to)
    assert sent["subject"] == "Your password was changed" and "token" not in sent["text"]


def test_a_queue_that_cannot_take_the_message_answers_503_not_success(local_api, monkeypatch):
    from botocore.exceptions import EndpointConnectionError

    from latchkey.errors import ServiceUnavailable
    from latchkey.store import mail_queue
    from latchkey.usecases import mail

    def down(**_):
        raise EndpointConnectionError(endpoint_url="https://sqs.example")

    monkeypatch.setattr(mail_queue._sqs(), "send_message", down)
    with pytest.raises(ServiceUnavailable):
        mail.send("notice.password-changed", to="a@example.com", name="Ada")
    mail.notify("notice.password-changed", to="a@example.com", name="Ada")  # a notice: logged, not raised

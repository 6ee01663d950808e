"""The mail queue (SQS, MailQueue in template.yaml): where requests leave the messages the mailer sends,
and, for the mailer, SES v2, through which it sends them. The only modules that reach either.

Clients are made on first use, not at import: most functions that can send mail send none on most
requests, and an SQS client costs a cold start tens of milliseconds."""

from __future__ import annotations

from functools import cache

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from latchkey.errors import ServiceUnavailable
from latchkey.settings import get_settings

_CONFIG = Config(connect_timeout=2, read_timeout=3, retries={"mode": "standard", "max_attempts": 3})


@cache
def _sqs():
    return boto3.client("sqs", config=_CONFIG)


@cache
def _ses():
    return boto3.client("sesv2", config=_CONFIG)


def enqueue(body: str) -> None:
    """Queues one message (a JSON body the mailer reads); 503 if SQS cannot take it now."""
    try:
        _sqs().send_message(QueueUrl=get_settings().mail_queue_url, MessageBody=body)
    except (ClientError, BotoCoreError):
        raise ServiceUnavailable() from None


def send_raw(to: str, raw: bytes) -> str:
    """Sends one raw MIME message as MailFromAddress (with the SES configuration set, if any); SES's
    message id. Errors are raised as they come: the mailer reports the message failed, and SQS retries."""
    settings = get_settings()
    extra = {"ConfigurationSetName": settings.ses_configuration_set} if settings.ses_configuration_set else {}
    answer = _ses().send_email(FromEmailAddress=settings.mail_from_address, Destination={"ToAddresses": [to]},
                               Content={"Raw": {"Data": raw}}, **extra)
    return answer["MessageId"]

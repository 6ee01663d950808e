"""The mailer (SQS event source on MailQueue): sends each queued message through SES v2; the ones
that failed go back to the queue (ReportBatchItemFailures), to be retried and then dead-lettered."""

from latchkey.logs import logger, with_request_id
from latchkey.usecases import mailer


@with_request_id
def handler(event: dict, context: object) -> dict:
    delivered = mailer.deliver(event.get("Records") or [])
    logger.info("mail batch", extra={"sent": delivered.sent, "failed": len(delivered.failed)})
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in delivered.failed]}

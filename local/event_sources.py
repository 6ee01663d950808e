"""Lambda's event source mappings for SQS, locally: each function's SQS events polled and delivered
as Lambda delivers them.

A poller per mapping receives up to `BatchSize` messages, invokes the function with the SQS event
Lambda builds, and deletes what succeeded: every message when the invocation returns, or all but
the `batchItemFailures` when the event declares `ReportBatchItemFailures`. A failed invocation
deletes nothing: the messages come back after the queue's visibility timeout, and moto moves them
to the dead-letter queue after the RedrivePolicy's `maxReceiveCount`, as SQS does.

Short polls only: moto's server answers one request at a time, and a long poll would hold up every
other AWS call of the stack.
"""

from __future__ import annotations

import threading
import time

from local.constants import REGION
from local.lambda_runtime import Outcome
from local.template import QueueEventSource, Template

POLL_SECONDS = 0.25


class QueuePollers:
    def __init__(self, aws, template: Template, invoke):
        self.aws = aws
        self.invoke = invoke  # (function id, event) -> Outcome
        self._stopped = threading.Event()
        self._threads: list[threading.Thread] = []
        self.load(template)

    def load(self, template: Template) -> None:
        self.sources = [(source, template.physical[source.queue], template.resolve(
            {"Fn::GetAtt": [source.queue, "Arn"]})) for source in template.queue_event_sources()]

    def start(self) -> None:
        for index in range(len(self.sources)):
            thread = threading.Thread(target=self._poll, args=(index,), daemon=True, name=f"sqs-poller-{index}")
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stopped.set()
        for thread in self._threads:
            thread.join(timeout=5)

    def drain(self, seconds: float = 10.0) -> None:
        """Waits until every polled queue is empty (tests, and a clean shutdown)."""
        sqs = self.aws.client("sqs")
        deadline = threading.Event()
        timer = threading.Timer(seconds, deadline.set)
        timer.start()
        try:
            while not deadline.is_set():
                counts = [sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
                    for _, url, _ in self.sources]
                if all(int(c["ApproximateNumberOfMessages"]) + int(c["ApproximateNumberOfMessagesNotVisible"]) == 0
                       for c in counts):
                    return
                deadline.wait(POLL_SECONDS)
        finally:
            timer.cancel()

    def deliver_pending(self) -> int:
        """Delivers what the queues hold now, batch by batch, in this thread, until a poll finds nothing:
        for in-process tests, which start no pollers (a poller thread's calls would land in their
        call counts and injected faults). How many batches."""
        sqs = self.aws.client("sqs")
        batches = 0
        while any([self._poll_once(index, sqs) for index in range(len(self.sources))]):
            batches += 1
        return batches

    def _poll(self, index: int) -> None:
        sqs = self.aws.client("sqs")
        while not self._stopped.is_set():
            if not self._poll_once(index, sqs):
                # A sleep, not `_stopped.wait()`: under libfaketime (the tests at another time of day,
                # docs/testing.md) a timed wait on a lock never returns; a stop waits 0.25 s more.
                time.sleep(POLL_SECONDS)

    def _poll_once(self, index: int, sqs) -> bool:
        """One receive and, if it got messages, one invocation; whether there were any."""
        source, url, arn = self.sources[index]
        try:
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=min(source.batch_size, 10),
                                           AttributeNames=["All"], MessageAttributeNames=["All"]).get("Messages")
        except Exception:  # noqa: BLE001 - the stack is stopping, or moto is busy: poll again
            return False
        if not messages:
            return False
        try:
            outcome = self.invoke(source.function, sqs_event(messages, arn))
            for message in _succeeded(source, messages, outcome):
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        except Exception:  # noqa: BLE001 - what was not deleted comes back after the visibility timeout
            time.sleep(POLL_SECONDS)
        return True


def sqs_event(messages: list[dict], queue_arn: str) -> dict:
    """The event Lambda sends a function for a batch of SQS messages."""
    return {"Records": [{
        "messageId": m["MessageId"],
        "receiptHandle": m["ReceiptHandle"],
        "body": m["Body"],
        "attributes": m.get("Attributes", {}),
        "messageAttributes": {name: {"stringValue": v.get("StringValue"), "binaryValue": v.get("BinaryValue"),
                                     "stringListValues": [], "binaryListValues": [], "dataType": v["DataType"]}
                              for name, v in (m.get("MessageAttributes") or {}).items()},
        "md5OfBody": m["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    } for m in messages]}


def _succeeded(source: QueueEventSource, messages: list[dict], outcome: Outcome) -> list[dict]:
    if outcome.status != "ok":
        return []
    if not source.report_failures:
        return messages
    result = outcome.result if isinstance(outcome.result, dict) else {}
    failed = {f.get("itemIdentifier") for f in result.get("batchItemFailures") or []}
    return [m for m in messages if m["MessageId"] not in failed]

"""SQS event sources as Lambda's event source mappings deliver them: batches, deletion of what
succeeded, partial batch failures, retries and the dead-letter queue."""

from __future__ import annotations

import json
import time

import pytest

from local.aws import LocalAws
from local.event_sources import QueuePollers
from local.lambda_runtime import Outcome
from local.template import Template

TEMPLATE = """
Resources:
  DeadLetters:
    Type: AWS::SQS::Queue
    Properties: {QueueName: probe-dlq}
  Work:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: probe-work
      VisibilityTimeout: 0
      RedrivePolicy: {deadLetterTargetArn: !GetAtt DeadLetters.Arn, maxReceiveCount: 2}
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/fallback/
      Events:
        Queue:
          Type: SQS
          Properties: {Queue: !GetAtt Work.Arn, BatchSize: 5, FunctionResponseTypes: [ReportBatchItemFailures]}
"""


@pytest.fixture
def stack(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE)
    template = Template.load(path)
    aws = LocalAws()
    aws.start()
    aws.provision(template)
    yield aws, template
    aws.stop()


def _run(aws, template, handler, send: list[str], seconds: float = 3.0) -> QueuePollers:
    pollers = QueuePollers(aws, template, handler)
    sqs = aws.client("sqs")
    for body in send:
        sqs.send_message(QueueUrl=template.physical["Work"], MessageBody=body)
    pollers.start()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.1)
    pollers.stop()
    return pollers


def _bodies(aws, url) -> list[str]:
    messages = aws.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return sorted(m["Body"] for m in messages)


def test_delivered_batches_are_deleted_and_failed_items_go_to_the_dead_letter_queue(stack):
    aws, template = stack
    seen: list[dict] = []

    def consumer(function_id: str, event: dict) -> Outcome:
        seen.append(event)
        failed = [r["messageId"] for r in event["Records"] if r["body"] == "poison"]
        return Outcome("ok", {"batchItemFailures": [{"itemIdentifier": i} for i in failed]})

    _run(aws, template, consumer, ["a", "b", "poison"])
    record = seen[0]["Records"][0]
    assert record["eventSource"] == "aws:sqs" and record["eventSourceARN"].endswith(":probe-work")
    assert {r["body"] for e in seen for r in e["Records"]} == {"a", "b", "poison"}
    assert sum(r["body"] == "poison" for e in seen for r in e["Records"]) == 2  # maxReceiveCount, then redriven
    assert _bodies(aws, template.physical["Work"]) == []
    assert _bodies(aws, template.physical["DeadLetters"]) == ["poison"]


def test_a_failed_invocation_deletes_nothing_and_is_retried(stack):
    aws, template = stack
    calls = []

    def flaky(function_id: str, event: dict) -> Outcome:
        calls.append(len(event["Records"]))
        return Outcome("error") if len(calls) == 1 else Outcome("ok", None)

    _run(aws, template, flaky, [json.dumps({"n": 1})])
    assert calls == [1, 1]  # retried once after the failure, then deleted
    assert _bodies(aws, template.physical["Work"]) == [] and _bodies(aws, template.physical["DeadLetters"]) == []

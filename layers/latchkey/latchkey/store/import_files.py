"""The imports bucket and queue (ImportBucket, ImportQueue in template.yaml): the JSON Lines files
operators put under imports/, read a byte range at a time, and the messages that start an import from
one or tell the worker to go on with it. The only module that reaches either."""

from __future__ import annotations

import json
from functools import cache

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from latchkey.errors import ServiceUnavailable
from latchkey.settings import get_settings

PREFIX = "imports/"
_CONFIG = Config(connect_timeout=2, read_timeout=10, retries={"mode": "standard", "max_attempts": 3})


class SourceMissing(Exception):
    """No object at the job's source (never put, or gone with the bucket's lifecycle)."""


@cache
def _s3():
    return boto3.client("s3", config=_CONFIG)


@cache
def _sqs():
    return boto3.client("sqs", config=_CONFIG)


def bucket() -> str:
    return get_settings().import_bucket


def read(key: str, start: int, length: int) -> tuple[bytes, int]:
    """Up to `length` bytes of the file from `start`, and the file's size. SourceMissing if it is not
    there; past its end, no bytes. S3's own errors are raised as they come (the worker's message returns)."""
    try:
        answer = _s3().get_object(Bucket=bucket(), Key=key, Range=f"bytes={start}-{start + length - 1}")
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchKey", "404", "NoSuchBucket"):
            raise SourceMissing() from None
        if code == "InvalidRange":  # an empty file, or a start at its end
            return b"", start
        raise
    size = int(answer["ContentRange"].rsplit("/", 1)[1]) if answer.get("ContentRange") else answer["ContentLength"]
    return answer["Body"].read(), size


def go_on(job_id: str) -> None:
    """A message for the worker: start or go on with the job; 503 if SQS cannot take it now."""
    try:
        _sqs().send_message(QueueUrl=get_settings().import_queue_url, MessageBody=json.dumps({"jobId": job_id}))
    except (ClientError, BotoCoreError):
        raise ServiceUnavailable() from None

"""The exports bucket (S3, ExportBucket in template.yaml): an export's JSON Lines, written once and read
through a presigned URL that expires. The only module that reaches it."""

from __future__ import annotations

from functools import cache

import boto3
from botocore.config import Config

from latchkey.settings import get_settings

_CONFIG = Config(connect_timeout=2, read_timeout=10, retries={"mode": "standard", "max_attempts": 3},
                 signature_version="s3v4")


@cache
def _s3():
    return boto3.client("s3", config=_CONFIG)


def _key(export_id: str) -> str:
    return f"exports/{export_id}.jsonl"


def put(export_id: str, body: bytes) -> None:
    _s3().put_object(Bucket=get_settings().export_bucket, Key=_key(export_id), Body=body,
                     ContentType="application/x-ndjson")


def download_url(export_id: str, seconds: int) -> str:
    """A GET of the export's file, signed for `seconds` (no call: signed here)."""
    return _s3().generate_presigned_url("get_object", ExpiresIn=seconds,
                                        Params={"Bucket": get_settings().export_bucket, "Key": _key(export_id)})

"""The container's one DynamoDB client and the item (de)serialisation every table module shares.

Created at import, once per container. The endpoint comes from boto3's standard
`AWS_ENDPOINT_URL(_DYNAMODB)` variables, so the same code talks to moto locally and DynamoDB in AWS.
"""

from __future__ import annotations

from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config

client = boto3.client(
    "dynamodb",
    config=Config(connect_timeout=2, read_timeout=3, retries={"mode": "standard", "max_attempts": 3}),
)

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_item(values: dict[str, Any]) -> dict[str, dict]:
    return {k: _serializer.serialize(v) for k, v in values.items() if v is not None}


def from_item(item: dict[str, dict]) -> dict[str, Any]:
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


def _plain(value: Any) -> Any:
    # DynamoDB numbers come back as Decimal; every number this service stores is an integer.
    if type(value).__name__ == "Decimal":
        return int(value)
    return value


def transact(items: list[dict]) -> None:
    """All of `items` (built by the table modules) or none of them."""
    client.transact_write_items(TransactItems=items)


def cancellation_codes(error: Exception) -> list[str]:
    """Per-item reasons of a cancelled transaction (`None` where that item was fine)."""
    reasons = getattr(error, "response", {}).get("CancellationReasons", [])
    return [r.get("Code", "None") for r in reasons]

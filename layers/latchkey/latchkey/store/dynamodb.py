"""The container's one DynamoDB client, the item (de)serialisation every table module shares, and
how a write that DynamoDB refuses for conflicts or throttling is retried and then answered.

Created at import, once per container. The endpoint comes from boto3's standard
`AWS_ENDPOINT_URL(_DYNAMODB)` variables, so the same code talks to moto locally and DynamoDB in AWS.
"""

from __future__ import annotations

import base64
import random
import time
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from latchkey.errors import InvalidCursor, ServiceUnavailable
from latchkey.store.faults import client_config

client = boto3.client("dynamodb", config=client_config())

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_item(values: dict[str, Any]) -> dict[str, dict]:
    return {k: _serializer.serialize(v) for k, v in values.items() if v is not None}


def from_item(item: dict[str, dict]) -> dict[str, Any]:
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


def _plain(value: Any) -> Any:
    # DynamoDB numbers come back as Decimal; every number this service stores is an integer.
    return int(value) if isinstance(value, Decimal) else value


def query_page(
    table: str, partition: tuple[str, str], sort_key: str, limit: int, cursor: str | None, index: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of a partition, oldest first, and the opaque cursor of the next page (None at the end).

    The cursor carries only the last sort-key value; the partition always comes from the caller, so
    a cursor can never reach into another partition (another organization's items)."""
    name, value = partition
    params: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "#p = :p",
        "ExpressionAttributeNames": {"#p": name},
        "ExpressionAttributeValues": {":p": {"S": value}},
        "Limit": limit,
        **({"IndexName": index} if index else {}),
    }
    if cursor:
        params["ExclusiveStartKey"] = {name: {"S": value}, sort_key: {"S": decode_cursor(cursor)}}
    page = client.query(**params)
    last = page.get("LastEvaluatedKey")
    next_cursor = encode_cursor(last[sort_key]["S"]) if last else None
    return [from_item(item) for item in page.get("Items", [])], next_cursor


def query_all(**query: Any) -> list[dict[str, Any]]:
    """Every item a Query matches, all pages (for the small sets: a user's sessions, an org's keys)."""
    items: list[dict[str, Any]] = []
    while True:
        page = client.query(**query)
        items += [from_item(item) for item in page.get("Items", [])]
        if "LastEvaluatedKey" not in page:
            return items
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def delete_all(table: str, keys: list[dict[str, Any]]) -> None:
    """Deletes these items (plain key values), 25 to a BatchWriteItem; what DynamoDB leaves unprocessed
    (throttling) is sent again, a few times, then ServiceUnavailable (deleting again is harmless)."""
    requests = [{"DeleteRequest": {"Key": to_item(key)}} for key in keys]
    for start in range(0, len(requests), 25):
        pending = {table: requests[start:start + 25]}
        for attempt in range(ATTEMPTS):
            if attempt:
                time.sleep(random.uniform(0, min(_PAUSE_CAP, _PAUSE_BASE * 2**attempt)))  # noqa: S311 - jitter
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            if not pending:
                break
        else:
            raise ServiceUnavailable()


def encode_cursor(sort_key_value: str) -> str:
    return base64.urlsafe_b64encode(sort_key_value.encode()).decode()


def decode_cursor(cursor: str) -> str:
    """The sort-key value a cursor carries; InvalidCursor if it is not one this service made."""
    try:
        decoded = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8")
    except (ValueError, UnicodeError):
        decoded = ""
    if not decoded or len(decoded) > 256:
        raise InvalidCursor()
    return decoded


# --- transactions: items named when built, refusals asked by name ------------------------------------

REFUSED = "ConditionalCheckFailed"  # DynamoDB's code for an item whose condition did not hold


class Labelled(NamedTuple):
    """A transaction item with a name, given where the transaction is built, by which its refusal is
    asked (`TransactionCancelled.refused`). `transact` sends the item; the name never leaves."""

    label: str
    item: dict


def labelled(label: str, item: dict | Labelled) -> Labelled:
    """`item` named `label` (an item named before is renamed: the last builder's name counts). Several
    items may share a name: then the name is refused when any of them is."""
    return Labelled(label, item.item if isinstance(item, Labelled) else item)


type Item = dict | Labelled  # what `transact` takes: a table module's item, named or not


class TransactionCancelled(Exception):
    """DynamoDB refused a transaction as a whole, for a reason retrying cannot fix (a condition).
    Nothing of the transaction was written. Which items were refused is asked by the names they were
    given when the transaction was built (`labelled`), never by their place in it:

        except TransactionCancelled as cancelled:
            if cancelled.refused(CHALLENGE): ...         # that item's condition did not hold
            if cancelled.refused_only(ADMIN_COUNT): ...  # that one's, and no other item's

    An item with no name cannot be asked about (an audit event: it is refused only if its change is)."""

    def __init__(self, codes: Sequence[str], labels: Sequence[str] = ()):
        self._refused = tuple(code == REFUSED for code in codes)
        self._labels = (*labels, *[""] * (len(codes) - len(labels)))
        super().__init__(", ".join(f"{label}: {code}" if label else code
                                   for label, code in zip(self._labels, codes, strict=False)))

    def refused(self, *labels: str) -> bool:
        """Whether an item named one of `labels` was refused by its condition."""
        return any(refused and label in labels for label, refused in zip(self._labels, self._refused, strict=False))

    def refused_only(self, *labels: str) -> bool:
        """Whether an item named one of `labels` was refused, and nothing else was."""
        return self.refused(*labels) and not any(
            refused and label not in labels for label, refused in zip(self._labels, self._refused, strict=False))


# botocore does not retry a cancelled transaction, nor a plain write that met one in flight
# (TransactionConflictException); its own throttling retries (3 attempts, standard mode) may run out.
# All of these leave nothing written, so the same write can be sent again: a few times, with full
# jitter so that racing writers spread out, well within the function's timeout (pauses of at most
# 0.05, 0.1 and 0.2 s: 0.35 s in all).
ATTEMPTS = 4
_PAUSE_BASE, _PAUSE_CAP = 0.025, 0.2  # seconds
_BUSY_REASONS = frozenset({"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"})
_BUSY_ERRORS = frozenset({"TransactionConflictException", "ThrottlingException",
                          "ProvisionedThroughputExceededException", "RequestLimitExceeded"})


class _Busy(Exception):
    """A transaction cancelled only for conflicts or throttling: worth another attempt."""


def _retrying[T](write: Callable[[], T]) -> T:
    """`write()`, again while DynamoDB is busy (bounded, jittered); then ServiceUnavailable (503)."""
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(random.uniform(0, min(_PAUSE_CAP, _PAUSE_BASE * 2**attempt)))  # noqa: S311 - jitter, not a secret
        try:
            return write()
        except _Busy:
            continue
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in _BUSY_ERRORS:
                raise
    raise ServiceUnavailable()


_CONDITIONAL_UPDATE = "update_if's update"  # the name `update_if` gives its own item (no caller's collides)


def update_if(*, also: list[Item] | tuple = (), **update: Any) -> bool:
    """An UpdateItem whose condition may refuse it: True if it was written, False if refused. With
    `also` (transaction items: an audit event), one transaction: all of it, or, refused, none of it."""
    if also:
        try:
            transact([labelled(_CONDITIONAL_UPDATE, {"Update": update}), *also])
            return True
        except TransactionCancelled as cancelled:
            if cancelled.refused(_CONDITIONAL_UPDATE):
                return False
            raise

    def write() -> bool:
        try:
            client.update_item(**update)
            return True
        except client.exceptions.ConditionalCheckFailedException:
            return False

    return _retrying(write)


def put(*, also: list[Item] | tuple = (), **put_item: Any) -> None:
    """A PutItem; with `also` (an audit event), in one transaction with them."""
    if also:
        transact([{"Put": put_item}, *also])
    else:
        client.put_item(**put_item)


def transact(items: Iterable[Item]) -> None:
    """All of `items` (built by the table modules, some named with `labelled`) or none of them.
    Cancelled for conflicts or throttling: retried, then ServiceUnavailable; cancelled for a
    condition: TransactionCancelled, which tells the refused items by their names."""
    entries = [entry if isinstance(entry, Labelled) else Labelled("", entry) for entry in items]
    unnamed = [entry.item for entry in entries]

    def write() -> None:
        try:
            client.transact_write_items(TransactItems=unnamed)
        except client.exceptions.TransactionCanceledException as error:
            reasons = _cancellation_codes(error)
            if set(reasons) - {"None"} <= _BUSY_REASONS and set(reasons) & _BUSY_REASONS:
                raise _Busy() from None
            raise TransactionCancelled(reasons, [entry.label for entry in entries]) from None

    _retrying(write)


def _cancellation_codes(error: Exception) -> list[str]:
    """Per-item reasons of a cancelled transaction ("None" where that item was fine)."""
    reasons = getattr(error, "response", {}).get("CancellationReasons", [])
    return [r.get("Code", "None") for r in reasons]

"""A transaction's items are named when it is built, and a cancelled one tells its refusals by those
names (`dynamodb.labelled`, `TransactionCancelled.refused`): the names never reach DynamoDB."""

from __future__ import annotations

import pytest
from botocore.stub import Stubber

# The store makes the process's one client when first imported, from the AWS variables of that moment:
# so it is imported in the tests, once the local API (session-wide) has set them; imported at
# collection, a later in-process test would reach for real AWS.
pytestmark = pytest.mark.usefixtures("local_api")
REFUSED = "ConditionalCheckFailed"


def labelled(label: str, transaction_item):
    from latchkey.store.dynamodb import labelled

    return labelled(label, transaction_item)


def item(n: int) -> dict:
    return {"ConditionCheck": {"TableName": "t", "Key": {"pk": {"S": f"k{n}"}}, "ConditionExpression": "c"}}


def cancelled_with(*codes: str):
    """What `transact` raises when DynamoDB cancels [item 0, "challenge", "counter", "challenge"] so."""
    from latchkey.store import dynamodb

    with Stubber(dynamodb.client) as stub:
        stub.add_client_error("transact_write_items", "TransactionCanceledException",
                              response_meta={}, modeled_fields={"CancellationReasons": [{"Code": c} for c in codes]},
                              expected_params={"TransactItems": [item(0), item(1), item(2), item(3)]})
        with pytest.raises(dynamodb.TransactionCancelled) as raised:
            dynamodb.transact([item(0), labelled("challenge", item(1)), labelled("counter", item(2)),
                               labelled("challenge", item(3))])
    return raised.value


def test_the_refused_items_are_asked_by_name_and_the_names_are_not_sent():
    cancelled = cancelled_with("None", "None", REFUSED, "None")
    assert cancelled.refused("counter") and cancelled.refused_only("counter")
    assert cancelled.refused("challenge", "counter") and not cancelled.refused("challenge")
    assert "counter: ConditionalCheckFailed" in str(cancelled)


def test_a_name_shared_by_items_is_refused_when_any_of_them_is():
    cancelled = cancelled_with("None", "None", "None", REFUSED)
    assert cancelled.refused("challenge") and cancelled.refused_only("challenge")
    assert not cancelled.refused("counter")


def test_refused_only_is_false_when_another_item_was_refused_too_named_or_not():
    assert not cancelled_with(REFUSED, "None", REFUSED, "None").refused_only("counter")  # the unnamed item 0
    assert not cancelled_with("None", REFUSED, REFUSED, "None").refused_only("counter")
    assert cancelled_with("None", REFUSED, REFUSED, "None").refused_only("counter", "challenge")


def test_labelling_again_renames():
    assert labelled("outer", labelled("inner", item(0))) == ("outer", item(0))

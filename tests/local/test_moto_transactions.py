"""The local DynamoDB keeps TransactWriteItems idempotent per ClientRequestToken, as DynamoDB does
(moto does not): botocore retries a write whose answer timed out with the same token, and a committed
write retried must not come back refused by its own first attempt."""

import os
import uuid

import pytest
from botocore.exceptions import ClientError

from local.aws import LocalAws


class Things:
    """A table of its own on a fresh local server (moto's backends are shared by the process)."""

    def __init__(self, client) -> None:
        self.client, self.name = client, f"things-{uuid.uuid4().hex}"
        client.create_table(TableName=self.name, BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])

    def put_new(self, pk: str, token: str) -> None:
        self.client.transact_write_items(ClientRequestToken=token, TransactItems=[{"Put": {
            "TableName": self.name, "Item": {"pk": {"S": pk}}, "ConditionExpression": "attribute_not_exists(pk)"}}])

    def count(self) -> int:
        return self.client.scan(TableName=self.name)["Count"]


@pytest.fixture
def things():
    environment = dict(os.environ)
    aws = LocalAws()
    aws.start()  # points this process's AWS variables at it: put back after
    yield Things(aws.client("dynamodb"))
    aws.stop()
    os.environ.clear()
    os.environ.update(environment)


def refusal(write) -> str:
    with pytest.raises(ClientError) as refused:
        write()
    return refused.value.response["Error"]["Code"]


def test_the_same_token_and_body_again_is_answered_as_the_first_time_and_written_once(things):
    things.put_new("a", "sign-up-1")
    things.put_new("a", "sign-up-1")  # botocore's retry of a write whose answer timed out
    assert things.count() == 1


def test_the_same_token_with_another_body_is_a_mismatch_and_writes_nothing(things):
    things.put_new("a", "token-1")
    assert refusal(lambda: things.put_new("b", "token-1")) == "IdempotentParameterMismatchException"
    assert things.count() == 1


def test_a_new_token_is_a_new_write_judged_by_its_conditions(things):
    things.put_new("a", "first")
    assert refusal(lambda: things.put_new("a", "second")) == "TransactionCanceledException"


def test_a_refused_write_is_not_remembered_so_its_token_can_write_once_the_way_is_clear(things):
    things.put_new("a", "first")
    assert refusal(lambda: things.put_new("a", "again")) == "TransactionCanceledException"
    things.client.delete_item(TableName=things.name, Key={"pk": {"S": "a"}})
    things.put_new("a", "again")
    assert things.count() == 1

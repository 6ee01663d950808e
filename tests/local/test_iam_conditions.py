"""IAM conditions in the local runtime, evaluated as AWS does: the condition operators (IAM User
Guide, "Condition operators", "Single-valued vs. multivalued context keys") and the context keys
DynamoDB derives from each kind of request (DynamoDB Developer Guide, "Using IAM policy conditions
for fine-grained access control"). A function that reads what its policy does not grant fails
locally with AccessDeniedException, as it would on AWS."""

import pytest
from botocore.exceptions import ClientError
from botocore.session import get_session
from botocore.stub import Stubber

from local import iam
from local.policy import RequestContext, evaluate
from local.template import Template

TABLE = "users"
ARN = f"arn:aws:dynamodb:us-east-1:123456789012:table/{TABLE}"
SCHEMAS = {TABLE: {"": ["pk", None], "ByOrganization": ["organizationId", "userId"]},
           "sessions": {"": ["userId", "sessionId"]}}
SESSIONS_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/sessions"


def allow(condition=None, action="dynamodb:*", resource=ARN):
    statement = {"Effect": "Allow", "Action": action, "Resource": resource}
    return {**statement, "Condition": condition} if condition else statement


def ctx(**values):
    """A request context: keyword names with `_` for `:` (dynamodb_LeadingKeys), every key known."""
    named = {k.replace("_", ":", 1): v for k, v in values.items()}
    known = {"dynamodb:LeadingKeys", "dynamodb:Attributes", "dynamodb:Select", "dynamodb:ReturnValues"}
    return RequestContext({k: v for k, v in named.items() if v is not None}, frozenset(known))


def holds(condition, context):
    return evaluate([allow(condition)], "dynamodb:GetItem", ARN, context).allowed


# --- operators ----------------------------------------------------------------------------------

@pytest.mark.parametrize("condition, context, expected", [
    # StringEquals: one of the values; a missing key does not match
    ({"StringEquals": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}}, ctx(dynamodb_Select=["SPECIFIC_ATTRIBUTES"]), True),
    ({"StringEquals": {"dynamodb:Select": ["COUNT", "SPECIFIC_ATTRIBUTES"]}}, ctx(dynamodb_Select=["COUNT"]), True),
    ({"StringEquals": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}}, ctx(dynamodb_Select=["ALL_ATTRIBUTES"]), False),
    ({"StringEquals": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}}, ctx(), False),
    ({"StringEquals": {"dynamodb:Select": "specific_attributes"}}, ctx(dynamodb_Select=["SPECIFIC_ATTRIBUTES"]), False),
    # ...IfExists: a missing key holds; a present one is compared
    ({"StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}}, ctx(), True),
    ({"StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}},
     ctx(dynamodb_Select=["ALL_ATTRIBUTES"]), False),
    ({"StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"}}, ctx(dynamodb_ReturnValues=["NONE"]), True),
    # StringLike: `*` and `?`, case-sensitive, whole value
    ({"StringLike": {"dynamodb:LeadingKeys": "USER#*"}}, ctx(dynamodb_LeadingKeys=["USER#u1"]), True),
    ({"StringLike": {"dynamodb:LeadingKeys": "USER#u?"}}, ctx(dynamodb_LeadingKeys=["USER#u1"]), True),
    ({"StringLike": {"dynamodb:LeadingKeys": "USER#u?"}}, ctx(dynamodb_LeadingKeys=["USER#u12"]), False),
    ({"StringLike": {"dynamodb:LeadingKeys": "user#*"}}, ctx(dynamodb_LeadingKeys=["USER#u1"]), False),
    ({"StringLike": {"dynamodb:LeadingKeys": "USER#*"}}, ctx(dynamodb_LeadingKeys=["xUSER#u1"]), False),
    ({"StringLikeIfExists": {"dynamodb:LeadingKeys": "USER#*"}}, ctx(), True),
    # ForAllValues: every value in the request matches one in the policy; true for none (or absent)
    ({"ForAllValues:StringEquals": {"dynamodb:Attributes": ["pk", "name"]}}, ctx(dynamodb_Attributes=["pk"]), True),
    ({"ForAllValues:StringEquals": {"dynamodb:Attributes": ["pk", "name"]}},
     ctx(dynamodb_Attributes=["pk", "passwordHash"]), False),
    ({"ForAllValues:StringEquals": {"dynamodb:Attributes": ["pk"]}}, ctx(dynamodb_Attributes=[]), True),
    ({"ForAllValues:StringEquals": {"dynamodb:Attributes": ["pk"]}}, ctx(), True),
    ({"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*", "ORG#*"]}},
     ctx(dynamodb_LeadingKeys=["USER#1", "ORG#1"]), True),
    ({"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
     ctx(dynamodb_LeadingKeys=["USER#1", "EMAIL#a@b"]), False),
    # ForAnyValue: some value matches; false for none (or absent)
    ({"ForAnyValue:StringLike": {"dynamodb:LeadingKeys": "USER#*"}},
     ctx(dynamodb_LeadingKeys=["EMAIL#a@b", "USER#1"]), True),
    ({"ForAnyValue:StringLike": {"dynamodb:LeadingKeys": "USER#*"}}, ctx(dynamodb_LeadingKeys=["EMAIL#a@b"]), False),
    ({"ForAnyValue:StringEquals": {"dynamodb:Attributes": "pk"}}, ctx(), False),
    ({"ForAnyValue:StringEquals": {"dynamodb:Attributes": "pk"}}, ctx(dynamodb_Attributes=[]), False),
    # negated: a missing key matches
    ({"StringNotEquals": {"dynamodb:Select": "COUNT"}}, ctx(), True),
    ({"StringNotEquals": {"dynamodb:Select": "COUNT"}}, ctx(dynamodb_Select=["COUNT"]), False),
    ({"ForAllValues:StringNotLike": {"dynamodb:Attributes": "password*"}},
     ctx(dynamodb_Attributes=["pk", "passwordHash"]), False),
    # every operator and every key must hold (AND)
    ({"ForAllValues:StringLike": {"dynamodb:LeadingKeys": "USER#*"},
      "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}},
     ctx(dynamodb_LeadingKeys=["USER#1"], dynamodb_Select=["ALL_ATTRIBUTES"]), False),
    ({"ForAllValues:StringEquals": {"dynamodb:Attributes": ["pk"], "dynamodb:LeadingKeys": ["USER#1"]}},
     ctx(dynamodb_LeadingKeys=["USER#1"], dynamodb_Attributes=["pk"]), True),
])
def test_condition_operators_hold_as_in_aws(condition, context, expected):
    assert holds(condition, context) is expected


@pytest.mark.parametrize("condition, why", [
    ({"NumericLessThan": {"dynamodb:Select": "1"}}, "operator NumericLessThan is not supported"),
    ({"StringEqualz": {"dynamodb:Select": "COUNT"}}, "operator StringEqualz is not supported"),
    ({"ForEveryValue:StringEquals": {"dynamodb:Select": "COUNT"}}, "not supported"),
    ({"StringEquals": {"dynamodb:FullTableScan": "true"}}, "dynamodb:FullTableScan is not modelled"),
    ({"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": "${aws:userid}"}}, "policy variables"),
    ({"StringLike": {"dynamodb:LeadingKeys": "USER#*"}}, "needs ForAllValues: or ForAnyValue:"),
])
def test_what_cannot_be_decided_locally_fails_closed_with_a_reason(condition, why):
    context = ctx(dynamodb_Select=["COUNT"], dynamodb_LeadingKeys=["USER#1", "USER#2"])
    decision = evaluate([allow(condition)], "dynamodb:GetItem", ARN, context)
    assert not decision.allowed and why in decision.reason
    # in a Deny, failing closed denies
    deny = {**allow(condition), "Effect": "Deny"}
    decision = evaluate([allow(), deny], "dynamodb:GetItem", ARN, context)
    assert not decision.allowed and "explicitly denied" in decision.reason


def test_a_deny_whose_condition_holds_wins_and_one_whose_condition_fails_does_not():
    deny = {"Effect": "Deny", "Action": "dynamodb:GetItem", "Resource": ARN,
            "Condition": {"ForAnyValue:StringEquals": {"dynamodb:Attributes": "passwordHash"}}}
    hash_read = ctx(dynamodb_Attributes=["pk", "passwordHash"])
    assert not evaluate([allow(), deny], "dynamodb:GetItem", ARN, hash_read).allowed
    assert evaluate([allow(), deny], "dynamodb:GetItem", ARN, ctx(dynamodb_Attributes=["pk", "name"])).allowed


def test_a_statement_without_a_condition_needs_no_context():
    assert evaluate([allow()], "dynamodb:GetItem", ARN).allowed
    assert not evaluate([allow({"StringEquals": {"dynamodb:Select": "COUNT"}})], "dynamodb:GetItem", ARN).allowed


# --- the context DynamoDB derives from each kind of request -----------------------------------------

@pytest.fixture(autouse=True)
def key_schemas():
    iam.know_tables(SCHEMAS)


def context_of(operation, **params):
    triples = iam.requested("dynamodb", operation, params)
    return [(action, resource, context.values) for action, resource, context in triples]


def one(operation, **params):
    ((_, _, values),) = context_of(operation, **params)
    return values


def test_get_item():
    values = one("GetItem", TableName=TABLE, Key={"pk": {"S": "USER#1"}})
    assert values["dynamodb:LeadingKeys"] == ["USER#1"]
    assert values["dynamodb:Attributes"] == ["pk"]  # no projection: the key alone ...
    assert values["dynamodb:Select"] == ["ALL_ATTRIBUTES"]  # ... and Select says it reads everything
    assert "dynamodb:ReturnValues" not in values
    projected = one("GetItem", TableName=TABLE, Key={"pk": {"S": "USER#1"}}, ProjectionExpression="#a, email, #b.c[0]",
                    ExpressionAttributeNames={"#a": "name", "#b": "passkeys"})
    assert projected["dynamodb:Attributes"] == ["email", "name", "passkeys", "pk"]
    assert projected["dynamodb:Select"] == ["SPECIFIC_ATTRIBUTES"]
    legacy = one("GetItem", TableName=TABLE, Key={"pk": {"S": "USER#1"}}, AttributesToGet=["email"])
    assert legacy["dynamodb:Attributes"] == ["email", "pk"] and legacy["dynamodb:Select"] == ["SPECIFIC_ATTRIBUTES"]


def test_a_composite_key_leads_with_its_partition_key_only():
    values = one("GetItem", TableName="sessions", Key={"userId": {"S": "u1"}, "sessionId": {"S": "s1"}})
    assert values["dynamodb:LeadingKeys"] == ["u1"]
    assert values["dynamodb:Attributes"] == ["sessionId", "userId"]


def test_put_item():
    values = one("PutItem", TableName=TABLE, Item={"pk": {"S": "USER#1"}, "email": {"S": "a@b"}},
                 ConditionExpression="attribute_not_exists(pk) OR #v < :v", ExpressionAttributeNames={"#v": "version"},
                 ExpressionAttributeValues={":v": {"N": "3"}})
    assert values["dynamodb:LeadingKeys"] == ["USER#1"]
    assert values["dynamodb:Attributes"] == ["email", "pk", "version"]
    assert values["dynamodb:ReturnValues"] == ["NONE"]
    assert "dynamodb:Select" not in values
    returning = one("PutItem", TableName=TABLE, Item={"pk": {"S": "x"}}, ReturnValues="ALL_OLD")
    assert returning["dynamodb:ReturnValues"] == ["ALL_OLD"]


def test_update_item_names_what_its_update_and_condition_expressions_name():
    values = one("UpdateItem", TableName=TABLE, Key={"pk": {"S": "USER#1"}},
                 UpdateExpression="SET #n = if_not_exists(#n, :z) + :one, tags[2] = :t, a.b = :t "
                                  "REMOVE pendingEmail, #tok ADD counter :one DELETE things :set",
                 ConditionExpression="attribute_exists(pk) AND size(#p) > :z AND begins_with(email, :e)",
                 ExpressionAttributeNames={"#n": "count", "#tok": "emailTokenHash", "#p": "passkeys"},
                 ExpressionAttributeValues={":z": {"N": "0"}, ":one": {"N": "1"}, ":t": {"S": "t"},
                                            ":set": {"SS": ["x"]}, ":e": {"S": "a"}})
    assert values["dynamodb:Attributes"] == ["a", "count", "counter", "email", "emailTokenHash", "passkeys",
                                             "pendingEmail", "pk", "tags", "things"]
    assert values["dynamodb:LeadingKeys"] == ["USER#1"]
    assert values["dynamodb:ReturnValues"] == ["NONE"]
    returning = one("UpdateItem", TableName=TABLE, Key={"pk": {"S": "x"}}, UpdateExpression="SET a = :a",
                    ExpressionAttributeValues={":a": {"S": "a"}}, ReturnValues="ALL_NEW")
    assert returning["dynamodb:ReturnValues"] == ["ALL_NEW"]


def test_delete_item():
    values = one("DeleteItem", TableName=TABLE, Key={"pk": {"S": "EMAIL#a@b"}},
                 ConditionExpression="userId = :u", ExpressionAttributeValues={":u": {"S": "u1"}})
    assert values["dynamodb:LeadingKeys"] == ["EMAIL#a@b"]
    assert values["dynamodb:Attributes"] == ["pk", "userId"]
    assert values["dynamodb:ReturnValues"] == ["NONE"]


def test_query_leads_with_the_partition_of_its_key_condition():
    values = one("Query", TableName="sessions", KeyConditionExpression="(#p = :p) AND begins_with(#s, :s)",
                 ExpressionAttributeNames={"#p": "userId", "#s": "sessionId"},
                 ExpressionAttributeValues={":p": {"S": "u1"}, ":s": {"S": "20"}},
                 FilterExpression="expiresAt > :p")
    assert values["dynamodb:LeadingKeys"] == ["u1"]
    assert values["dynamodb:Attributes"] == ["expiresAt", "sessionId", "userId"]
    assert values["dynamodb:Select"] == ["ALL_ATTRIBUTES"]
    # the sort key compared with `=` first does not confuse it: the schema names the partition key
    values = one("Query", TableName="sessions", KeyConditionExpression="sessionId = :s AND userId = :u",
                 ExpressionAttributeValues={":s": {"S": "s1"}, ":u": {"S": "u1"}})
    assert values["dynamodb:LeadingKeys"] == ["u1"]


def test_a_query_on_an_index_leads_with_the_index_partition_key():
    triples = context_of("Query", TableName=TABLE, IndexName="ByOrganization",
                         KeyConditionExpression="organizationId = :o", ExpressionAttributeValues={":o": {"S": "org_1"}},
                         ExclusiveStartKey={"pk": {"S": "USER#1"}, "organizationId": {"S": "org_1"},
                                            "userId": {"S": "u1"}})
    ((action, resource, values),) = triples
    assert (action, resource) == ("dynamodb:Query", f"{ARN}/index/ByOrganization")
    assert values["dynamodb:LeadingKeys"] == ["org_1"]
    assert values["dynamodb:Select"] == ["ALL_PROJECTED_ATTRIBUTES"]  # an index's default
    assert values["dynamodb:Attributes"] == ["organizationId", "pk", "userId"]
    counted = one("Query", TableName=TABLE, IndexName="ByOrganization", Select="COUNT",
                  KeyConditions={"organizationId": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "o"}]}})
    assert counted["dynamodb:Select"] == ["COUNT"] and counted["dynamodb:LeadingKeys"] == ["o"]


def test_a_scan_has_no_leading_keys_so_for_all_values_on_them_holds_as_in_aws():
    values = one("Scan", TableName=TABLE, ProjectionExpression="pk", FilterExpression="plan = :p",
                 ExpressionAttributeValues={":p": {"S": "free"}})
    assert "dynamodb:LeadingKeys" not in values
    assert values["dynamodb:Attributes"] == ["pk", "plan"]
    (_, _, context), = iam.requested("dynamodb", "Scan", {"TableName": TABLE})
    # The Developer Guide's warning: grant no Scan under a LeadingKeys condition, it reads every item.
    assert evaluate([allow({"ForAllValues:StringLike": {"dynamodb:LeadingKeys": "USER#*"}})],
                    "dynamodb:Scan", ARN, context).allowed
    assert not evaluate([allow({"ForAnyValue:StringLike": {"dynamodb:LeadingKeys": "USER#*"}})],
                        "dynamodb:Scan", ARN, context).allowed


def test_batch_get_item_is_judged_per_table_with_all_its_keys():
    triples = context_of("BatchGetItem", RequestItems={
        TABLE: {"Keys": [{"pk": {"S": "USER#1"}}, {"pk": {"S": "EMAIL#a@b"}}], "ProjectionExpression": "email"},
        "sessions": {"Keys": [{"userId": {"S": "u1"}, "sessionId": {"S": "s1"}}]}})
    assert [(a, r) for a, r, _ in triples] == [("dynamodb:BatchGetItem", ARN), ("dynamodb:BatchGetItem", SESSIONS_ARN)]
    users, sessions = triples[0][2], triples[1][2]
    assert users["dynamodb:LeadingKeys"] == ["EMAIL#a@b", "USER#1"]
    assert users["dynamodb:Attributes"] == ["email", "pk"] and users["dynamodb:Select"] == ["SPECIFIC_ATTRIBUTES"]
    assert sessions["dynamodb:LeadingKeys"] == ["u1"] and sessions["dynamodb:Select"] == ["ALL_ATTRIBUTES"]


def test_batch_write_item_names_its_puts_and_deletes():
    values = one("BatchWriteItem", RequestItems={TABLE: [
        {"PutRequest": {"Item": {"pk": {"S": "USER#1"}, "email": {"S": "a"}}}},
        {"DeleteRequest": {"Key": {"pk": {"S": "USER#2"}}}}]})
    assert values["dynamodb:LeadingKeys"] == ["USER#1", "USER#2"]
    assert values["dynamodb:Attributes"] == ["email", "pk"]


def test_each_item_of_a_transaction_is_judged_as_its_own_action():
    triples = context_of("TransactWriteItems", TransactItems=[
        {"Put": {"TableName": TABLE, "Item": {"pk": {"S": "EMAIL#a@b"}, "userId": {"S": "u1"}}}},
        {"Update": {"TableName": TABLE, "Key": {"pk": {"S": "USER#1"}}, "UpdateExpression": "SET email = :e",
                    "ExpressionAttributeValues": {":e": {"S": "a@b"}}}},
        {"Delete": {"TableName": "sessions", "Key": {"userId": {"S": "u1"}, "sessionId": {"S": "s1"}}}},
        {"ConditionCheck": {"TableName": TABLE, "Key": {"pk": {"S": "ORG#1"}},
                            "ConditionExpression": "adminCount > :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}}}},
    ])
    assert [(a, r) for a, r, _ in triples] == [
        ("dynamodb:PutItem", ARN), ("dynamodb:UpdateItem", ARN), ("dynamodb:DeleteItem", SESSIONS_ARN),
        ("dynamodb:ConditionCheckItem", ARN)]
    put, update, delete, check = (values for _, _, values in triples)
    assert put["dynamodb:LeadingKeys"] == ["EMAIL#a@b"] and put["dynamodb:Attributes"] == ["pk", "userId"]
    assert update["dynamodb:Attributes"] == ["email", "pk"] and update["dynamodb:ReturnValues"] == ["NONE"]
    assert delete["dynamodb:LeadingKeys"] == ["u1"]
    assert check["dynamodb:LeadingKeys"] == ["ORG#1"] and check["dynamodb:Attributes"] == ["adminCount", "pk"]
    assert "dynamodb:ReturnValues" not in check
    assert all(values["dynamodb:EnclosingOperation"] == ["TransactWriteItems"] for _, _, values in triples)
    (get,) = context_of("TransactGetItems", TransactItems=[
        {"Get": {"TableName": TABLE, "Key": {"pk": {"S": "USER#1"}}, "ProjectionExpression": "email"}}])
    assert get[0] == "dynamodb:GetItem"
    assert get[2]["dynamodb:Select"] == ["SPECIFIC_ATTRIBUTES"] and get[2]["dynamodb:Attributes"] == ["email", "pk"]


def test_without_a_key_schema_only_a_one_attribute_key_names_its_partition_key():
    assert one("GetItem", TableName="elsewhere", Key={"id": {"S": "1"}})["dynamodb:LeadingKeys"] == ["1"]
    ((_, resource, context),) = iam.requested("dynamodb", "GetItem", {
        "TableName": "elsewhere", "Key": {"a": {"S": "1"}, "b": {"S": "2"}}})
    assert "dynamodb:LeadingKeys" not in context.values
    condition = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": "1"}}
    decision = evaluate([allow(condition, resource=resource)], "dynamodb:GetItem", resource, context)
    assert not decision.allowed and "dynamodb:LeadingKeys is not modelled" in decision.reason


def test_ses_from_address():
    sender = {"FromEmailAddress": "Latchkey <no-reply@x.io>"}
    ((action, resource, context),) = iam.requested("email", "SendEmail", sender)
    assert context.values["ses:FromAddress"] == ["no-reply@x.io"]
    statement = {"Effect": "Allow", "Action": "ses:SendEmail", "Resource": "*",
                 "Condition": {"StringEquals": {"ses:FromAddress": "no-reply@x.io"}}}
    assert evaluate([statement], action, resource, context).allowed
    ((_, _, other),) = iam.requested("email", "SendEmail", {"FromEmailAddress": "ceo@x.io"})
    assert not evaluate([statement], action, resource, other).allowed


# --- through botocore's call path: AccessDeniedException before the request is sent -----------------

TEMPLATE = Template.load()
FUNCTIONS = TEMPLATE.functions()
ACCOUNTS = TEMPLATE.resolve({"Ref": "AccountsTable"})


@pytest.fixture
def dynamodb():
    iam.install()
    client = get_session().create_client("dynamodb", region_name="us-east-1", aws_access_key_id="local",
                                         aws_secret_access_key="local")
    with Stubber(client) as stub:
        yield client, stub


def denied(call):
    with pytest.raises(ClientError) as error:
        call()
    assert error.value.response["Error"]["Code"] == "AccessDeniedException"
    return error.value.response["Error"]["Message"]


def test_a_function_reading_the_password_hash_through_a_projection_is_refused(dynamodb):
    """MeFunction may read a user item through the projection its policy names; a projection that
    adds passwordHash (on the user item or the credentials item) is refused before it is sent."""
    client, stub = dynamodb
    me = FUNCTIONS["MeFunction"]
    with iam.running_as(me.policies, me.key_schemas):
        stub.add_response("get_item", {})
        client.get_item(TableName=ACCOUNTS, Key={"pk": {"S": "USER#u1"}}, ProjectionExpression="pk, email, #n",
                        ExpressionAttributeNames={"#n": "name"})
        message = denied(lambda: client.get_item(TableName=ACCOUNTS, Key={"pk": {"S": "USER#u1"}},
                                                 ProjectionExpression="pk, email, passwordHash"))
        assert "dynamodb:GetItem" in message and "passwordHash" in message
        denied(lambda: client.get_item(TableName=ACCOUNTS, Key={"pk": {"S": "EMAIL#ada@example.com"}},
                                       ProjectionExpression="pk, passwordHash"))
        denied(lambda: client.get_item(TableName=ACCOUNTS, Key={"pk": {"S": "USER#u1"}}))  # the whole item
    stub.assert_no_pending_responses()


def test_a_transaction_with_one_item_outside_the_leading_keys_is_refused(dynamodb):
    client, stub = dynamodb
    policies = [{"Statement": [allow({"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["USER#*"]}},
                                     action=["dynamodb:PutItem", "dynamodb:UpdateItem"],
                                     resource=f"arn:aws:dynamodb:us-east-1:123456789012:table/{ACCOUNTS}")]}]
    update = {"Update": {"TableName": ACCOUNTS, "Key": {"pk": {"S": "USER#u1"}}, "UpdateExpression": "SET email = :e",
                         "ExpressionAttributeValues": {":e": {"S": "b@example.com"}}}}
    with iam.running_as(policies, TEMPLATE.key_schemas()):
        stub.add_response("transact_write_items", {})
        client.transact_write_items(TransactItems=[update, {"Put": {"TableName": ACCOUNTS, "Item": {
            "pk": {"S": "USER#u2"}}}}])
        message = denied(lambda: client.transact_write_items(TransactItems=[update, {"Put": {
            "TableName": ACCOUNTS, "Item": {"pk": {"S": "EMAIL#b@example.com"}, "userId": {"S": "u1"}}}}]))
        assert "dynamodb:PutItem" in message and "EMAIL#b@example.com" in message
    stub.assert_no_pending_responses()


def test_the_authorizer_may_touch_last_used_only_and_return_nothing(dynamodb):
    client, stub = dynamodb
    authorizer = FUNCTIONS["AuthorizerFunction"]
    keys = TEMPLATE.resolve({"Ref": "ApiKeysTable"})
    touch = {"TableName": keys, "Key": {"keyHash": {"S": "0" * 64}}, "UpdateExpression": "SET lastUsedAt = :t",
             "ExpressionAttributeValues": {":t": {"N": "1"}}}
    with iam.running_as(authorizer.policies, authorizer.key_schemas):
        stub.add_response("update_item", {})
        client.update_item(**touch)
        denied(lambda: client.update_item(**touch, ReturnValues="ALL_OLD"))
        denied(lambda: client.update_item(**{**touch, "UpdateExpression": "SET lastUsedAt = :t REMOVE revokedAt"}))
        denied(lambda: client.update_item(**touch, ConditionExpression="attribute_not_exists(revokedAt)"))
    stub.assert_no_pending_responses()

"""The IAM request context of a DynamoDB call: the condition keys DynamoDB fills in, derived from the
request's parameters as DynamoDB derives them (Developer Guide, "Using IAM policy conditions for
fine-grained access control"; API Reference for Select's default).

- `dynamodb:LeadingKeys`: the partition key values the request touches (every item of a batch; the
  partition of a Query from its key condition; for a Query on an index, the index's partition key).
  A Scan has none: a `ForAllValues:` condition on it holds for every Scan, as in AWS.
- `dynamodb:Attributes`: the top-level attribute names the request names, reads or writes: the key
  attributes, a projection (`ProjectionExpression`/`AttributesToGet`), a PutItem's item, an
  UpdateExpression's attributes, and those a condition, key condition or filter evaluates.
  A read without a projection names only the key: it is `dynamodb:Select` that keeps it out.
- `dynamodb:Select`: Query's and Scan's `Select`, else SPECIFIC_ATTRIBUTES with a projection, else
  ALL_PROJECTED_ATTRIBUTES on an index and ALL_ATTRIBUTES on a table; GetItem, BatchGetItem and a
  transaction's Get have the same key (ALL_ATTRIBUTES unless they project).
- `dynamodb:ReturnValues`: PutItem's, UpdateItem's and DeleteItem's `ReturnValues`, NONE by
  default (a transaction's writes return nothing: NONE).
- `dynamodb:ReturnConsumedCapacity` (NONE by default) and, for a transaction's items,
  `dynamodb:EnclosingOperation`.

Standard library only, imported cheaply: a Lambda sandbox loads it before the function's code.
"""

from __future__ import annotations

import re
from typing import Any

from local.policy import RequestContext

LEADING_KEYS = "dynamodb:LeadingKeys"
ATTRIBUTES = "dynamodb:Attributes"
SELECT = "dynamodb:Select"
RETURN_VALUES = "dynamodb:ReturnValues"
RETURN_CONSUMED_CAPACITY = "dynamodb:ReturnConsumedCapacity"
ENCLOSING_OPERATION = "dynamodb:EnclosingOperation"
_MODELLED = frozenset({LEADING_KEYS, ATTRIBUTES, SELECT, RETURN_VALUES, RETURN_CONSUMED_CAPACITY,
                       ENCLOSING_OPERATION})

# A transaction's item kinds, each authorized as its own action.
TRANSACT_ACTIONS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                    "ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}

# Key schemas: table name -> {"": [partition key, sort key or None], index name: [...]}.
KeySchemas = dict[str, dict[str, list]]


class _Unknown(Exception):
    """Part of the context cannot be derived (an unknown key schema, an expression not understood)."""


def requests(operation: str, params: dict, schemas: KeySchemas) -> list[tuple[str, str, str, RequestContext]]:
    """(IAM action, table name, index name or "", request context) for each authorization the call
    needs: one per table of a batch, one per item of a transaction."""
    if operation in ("TransactWriteItems", "TransactGetItems"):
        result = []
        for entry in params.get("TransactItems", []):
            (kind, spec), = entry.items()
            action = TRANSACT_ACTIONS[kind]
            context = _context(action, {**spec, "ReturnConsumedCapacity": params.get("ReturnConsumedCapacity")},
                               schemas, enclosing=operation)
            result.append((f"dynamodb:{action}", spec["TableName"], "", context))
        return result
    if operation in ("BatchGetItem", "BatchWriteItem"):
        capacity = {"ReturnConsumedCapacity": params.get("ReturnConsumedCapacity")}
        return [(f"dynamodb:{operation}", table, "",
                 _context(operation, {**(spec if operation == "BatchGetItem" else {"Requests": spec}), **capacity},
                          schemas, table=table))
                for table, spec in params.get("RequestItems", {}).items()]
    table = params.get("TableName", "")
    return [(f"dynamodb:{operation}", table, params.get("IndexName", ""), _context(operation, params, schemas))]


def _context(action: str, spec: dict, schemas: KeySchemas, *, table: str | None = None,
             enclosing: str | None = None) -> RequestContext:
    values: dict[str, list[str]] = {}
    unknown: set[str] = set()

    def derive(key: str, compute) -> None:
        try:
            value = compute()
        except _Unknown:
            unknown.add(key)
            return
        if value is not None:
            values[key] = sorted(set(value)) if key in (LEADING_KEYS, ATTRIBUTES) else [value]

    names = spec.get("ExpressionAttributeNames") or {}
    table = table or spec.get("TableName", "")
    index = spec.get("IndexName", "")
    derive(LEADING_KEYS, lambda: _leading_keys(action, spec, schemas, table, index, names))
    derive(ATTRIBUTES, lambda: _attributes(action, spec, names))
    if action in ("GetItem", "BatchGetItem", "Query", "Scan"):
        derive(SELECT, lambda: _select(spec, index))
    if action in ("PutItem", "UpdateItem", "DeleteItem"):
        values[RETURN_VALUES] = [str(spec.get("ReturnValues") or "NONE")]
    values[RETURN_CONSUMED_CAPACITY] = [str(spec.get("ReturnConsumedCapacity") or "NONE")]
    if enclosing:
        values[ENCLOSING_OPERATION] = [enclosing]
    return RequestContext(values, _MODELLED - unknown)


# --- dynamodb:LeadingKeys -----------------------------------------------------------------------

def _leading_keys(action: str, spec: dict, schemas: KeySchemas, table: str, index: str,
                  names: dict) -> list[str] | None:
    if action == "Scan":
        return None
    if action == "Query":
        return [_query_partition(spec, _partition_key(schemas, table, index), names)]
    if action == "BatchGetItem":
        keys = spec.get("Keys", [])
    elif action == "BatchWriteItem":
        keys = [r.get("PutRequest", {}).get("Item") or r.get("DeleteRequest", {}).get("Key") or {}
                for r in spec["Requests"]]
    elif action == "PutItem":
        keys = [spec.get("Item", {})]
    else:
        keys = [spec.get("Key", {})]
    partition = _partition_key(schemas, table, "")
    result = []
    for key in keys:
        name = partition
        if name is None:
            if len(key) != 1 or action in ("PutItem", "BatchWriteItem"):
                raise _Unknown()  # no schema: only a one-attribute Key names its partition key alone
            (name,) = key
        if name not in key:
            raise _Unknown()
        result.append(_scalar(key[name]))
    return result


def _partition_key(schemas: KeySchemas, table: str, index: str) -> str | None:
    schema = schemas.get(table, {}).get(index)
    return schema[0] if schema else None


def _query_partition(spec: dict, partition: str | None, names: dict) -> str:
    values = spec.get("ExpressionAttributeValues") or {}
    if "KeyConditions" in spec:  # legacy
        equal = {a: c["AttributeValueList"][0] for a, c in spec["KeyConditions"].items()
                 if c.get("ComparisonOperator") == "EQ"}
    else:
        tokens = _tokens(spec.get("KeyConditionExpression", ""))
        equal = {}
        for i in range(1, len(tokens) - 1):
            if tokens[i] != "=":
                continue
            left, right = tokens[i - 1], tokens[i + 1]
            if right.startswith(":") and not left.startswith(":"):
                equal[_name(left, names)] = values.get(right)
            elif left.startswith(":") and not right.startswith(":"):
                equal[_name(right, names)] = values.get(left)
    if partition is None:
        if len(equal) != 1:
            raise _Unknown()
        (partition,) = equal
    if equal.get(partition) is None:
        raise _Unknown()
    return _scalar(equal[partition])


def _scalar(value: dict) -> str:
    (kind, raw), = value.items()
    if kind in ("S", "N"):
        return str(raw)
    if kind == "B":
        import base64  # noqa: PLC0415 - rare: not paid at a sandbox's start

        return base64.b64encode(raw if isinstance(raw, bytes) else str(raw).encode()).decode()
    raise _Unknown()


# --- dynamodb:Attributes ------------------------------------------------------------------------

def _attributes(action: str, spec: dict, names: dict) -> list[str]:
    found: set[str] = set()
    if action == "BatchWriteItem":
        for request in spec["Requests"]:
            found |= set(request.get("PutRequest", {}).get("Item") or {})
            found |= set(request.get("DeleteRequest", {}).get("Key") or {})
        return sorted(found)
    for key in spec.get("Keys", []):  # BatchGetItem
        found |= set(key)
    found |= set(spec.get("Key") or {})
    found |= set(spec.get("Item") or {})  # PutItem
    found |= set(spec.get("ExclusiveStartKey") or {})
    found |= set(spec.get("AttributesToGet") or [])
    for legacy in ("AttributeUpdates", "Expected", "KeyConditions", "QueryFilter", "ScanFilter"):
        found |= set(spec.get(legacy) or {})
    for expression in ("ProjectionExpression", "KeyConditionExpression", "FilterExpression",
                       "ConditionExpression", "UpdateExpression"):
        if spec.get(expression):
            found |= _expression_attributes(spec[expression], names)
    return sorted(found)


_KEYWORDS = {"AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE"}
# compiled on first use (re caches it), not at a sandbox's start
_TOKEN = r"\s*(#\w+|:\w+|[A-Za-z_]\w*|\[\s*\d+\s*\]|<>|<=|>=|[=<>(),.+-])"


def _tokens(expression: str) -> list[str]:
    tokens, position = [], 0
    while position < len(expression):
        match = re.compile(_TOKEN).match(expression, position)
        if not match:
            if expression[position:].strip():
                raise _Unknown()
            break
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def _expression_attributes(expression: str, names: dict) -> set[str]:
    """The top-level attribute names an expression refers to (`a.b[0]` refers to `a`)."""
    tokens = _tokens(expression)
    found = set()
    for i, token in enumerate(tokens):
        if token.startswith(":") or token[0] in "[=<>(),.+-" or token.upper() in _KEYWORDS and token[0] != "#":
            continue
        if i and tokens[i - 1] == ".":
            continue  # a nested attribute: its top-level one is counted
        if i + 1 < len(tokens) and tokens[i + 1] == "(" and token[0] != "#":
            continue  # a function: attribute_exists, if_not_exists, size, ...
        found.add(_name(token, names))
    return found


def _name(token: str, names: dict) -> str:
    if token.startswith("#"):
        if token not in names:
            raise _Unknown()
        return names[token]
    return token


# --- dynamodb:Select ----------------------------------------------------------------------------

def _select(spec: dict, index: str) -> str:
    if spec.get("Select"):
        return str(spec["Select"])
    if spec.get("ProjectionExpression") or spec.get("AttributesToGet"):
        return "SPECIFIC_ATTRIBUTES"
    return "ALL_PROJECTED_ATTRIBUTES" if index else "ALL_ATTRIBUTES"


def key_schemas_of(tables: dict[str, dict[str, Any]]) -> KeySchemas:
    """Key schemas from CloudFormation table properties (TableName -> properties, resolved)."""
    def pair(schema: list[dict]) -> list:
        by_type = {k["KeyType"]: k["AttributeName"] for k in schema}
        return [by_type["HASH"], by_type.get("RANGE")]

    result: KeySchemas = {}
    for name, props in tables.items():
        entry = {"": pair(props["KeySchema"])}
        for index in [*props.get("GlobalSecondaryIndexes", []), *props.get("LocalSecondaryIndexes", [])]:
            entry[index["IndexName"]] = pair(index["KeySchema"])
        result[name] = entry
    return result

"""The AWS side of the local runtime: moto's server on a free loopback port, and the template's
tables and secrets created in it from their own CloudFormation properties."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import secrets
import string
import threading
import time

import boto3
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from local.constants import REGION
from local.state import LocalState
from local.template import Template

# CloudFormation table properties that CreateTable takes as they are; the rest are applied after
# creation (TTL) or have no local meaning (point-in-time recovery, SSE, tags).
_CREATE_TABLE_KEYS = (
    "TableName",
    "AttributeDefinitions",
    "KeySchema",
    "BillingMode",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "ProvisionedThroughput",
    "StreamSpecification",
)


# moto serves one request at a time and copies a table to apply a transaction: on shared cores a
# 100-item transaction can take longer than the functions' 3 s read timeout, which DynamoDB never
# comes near. Locally only, the functions wait longer (docs: the local runtime, "Still different from AWS").
_SLOW_MOTO = {"AWS_READ_TIMEOUT_SECONDS": "8"}
# What `start` sets in this process's environment.
_PROCESS_VARIABLES = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION",
                      "AWS_REGION", *_SLOW_MOTO)

class IdempotentTransactions:
    """DynamoDB's idempotent TransactWriteItems, which moto lacks: a request whose ClientRequestToken
    was seen in the last 10 minutes with the same body is answered as it was the first time, without
    writing again; with another body it is IdempotentParameterMismatchException. botocore sends one
    token per call and the same token on each of its retries, so on AWS a write whose answer was lost
    (a read timeout on a busy machine) is not applied twice: without this, the retry of a committed
    sign-up came back EMAIL_TAKEN."""

    TARGET = "DynamoDB_20120810.TransactWriteItems"
    WINDOW_SECONDS = 600

    def __init__(self, app) -> None:
        self.app = app
        self.seen: dict[str, tuple[float, str, str, list, bytes]] = {}  # token -> when, body's hash, answer

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET") != self.TARGET:
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            token = json.loads(body).get("ClientRequestToken")
        except ValueError:
            token = None
        if not token:
            return self.app(environ, start_response)
        now, digest = time.monotonic(), hashlib.sha256(body).hexdigest()
        self.seen = {t: seen for t, seen in self.seen.items() if now - seen[0] < self.WINDOW_SECONDS}
        if token in self.seen:
            _, first_digest, status, headers, answer = self.seen[token]
            if first_digest != digest:
                status, headers = "400 Bad Request", [("Content-Type", "application/x-amz-json-1.0")]
                answer = json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
                                     "message": "The request uses the same client token as a previous, but "
                                                "non-identical request."}).encode()
            start_response(status, headers)
            return [answer]
        answered: dict = {}

        def remember(status, headers, exc_info=None):
            answered.update(status=status, headers=list(headers))
            return start_response(status, headers, exc_info)

        answer = b"".join(self.app(environ, remember))
        if answered["status"].startswith("200"):
            self.seen[token] = (now, digest, answered["status"], answered["headers"], answer)
        return [answer]


def roll_back_touched_items_only() -> None:
    """moto's TransactWriteItems with DynamoDB's cost: moto deep-copies every table a transaction
    touches (once per item) to roll back a cancelled one, so each transaction costs the size of the
    table, and a local import slowed as its table grew (100 users into a table of 9,000 items: minutes).
    This keeps instead a copy of each item the transaction names and puts back just those: the same
    outcome, since a transaction changes nothing else. Once per process."""
    import copy

    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table

    original = models.DynamoDBBackend.transact_write_items
    if getattr(original, "_touched_items_only", False):
        return

    class _TablesNotCopied:  # the module's `copy`, but a Table is its own "copy": the undo log restores
        @staticmethod
        def deepcopy(value, memo=None):
            return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    models.copy = _TablesNotCopied()

    def transact_write_items(backend, transact_items):
        undo = []
        for item in transact_items:
            op = next(iter(item.values()), None)
            table = backend.tables.get((op or {}).get("TableName")) if isinstance(op, dict) else None
            if table is None:
                continue
            key = op.get("Key") or {name: op.get("Item", {}).get(name) for name in
                                     (table.hash_key_attr, table.range_key_attr) if name}
            if None in key.values():
                continue
            hash_value = models.DynamoType(key[table.hash_key_attr])
            range_value = models.DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            held = table.get_item(hash_value, range_value)
            undo.append((table, hash_value, range_value, copy.deepcopy(held)))
        try:
            return original(backend, transact_items)
        except Exception:
            for table, hash_value, range_value, held in reversed(undo):
                _put_back(table, hash_value, range_value, held)
            raise

    transact_write_items._touched_items_only = True
    models.DynamoDBBackend.transact_write_items = transact_write_items


def _put_back(table, hash_value, range_value, held) -> None:
    if range_value is None:
        if held is None:
            table.items.pop(hash_value, None)
        else:
            table.items[hash_value] = held
        return
    if held is None:
        table.items.get(hash_value, {}).pop(range_value, None)
    else:
        table.items[hash_value][range_value] = held


class LocalAws:
    """A moto server, and boto3's standard variables pointing this process at it.

    The server handles one request at a time. moto's backends take no locks, so two threads could
    both pass the same condition expression; DynamoDB never lets that happen to an item, and the
    race tests must see what DynamoDB does.
    """

    def __init__(self, state: LocalState | None = None) -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.state = state
        roll_back_touched_items_only()
        app = DomainDispatcherApplication(create_backend_app)
        app = IdempotentTransactions(app)
        self.server = make_server("127.0.0.1", 0, state.observe(app) if state else app, threaded=False,
                                  request_handler=MotoRequestHandler)

    def start(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        host, port = self.server.server_address[:2]
        self.endpoint = f"http://{host}:{port}"
        # What this process's clients reach until `stop` gives back what was there (another stack's, in tests).
        self._environment_before = {name: os.environ.get(name) for name in (*_PROCESS_VARIABLES, "AWS_PROFILE")}
        os.environ.update(
            AWS_ENDPOINT_URL=self.endpoint,
            AWS_ACCESS_KEY_ID="local",
            AWS_SECRET_ACCESS_KEY="local",
            AWS_DEFAULT_REGION=REGION,
            AWS_REGION=REGION,
            **_SLOW_MOTO,
        )
        os.environ.pop("AWS_PROFILE", None)
        return self.endpoint

    def environment(self) -> dict[str, str]:
        """What a function's sandbox needs to reach this moto (and nothing real)."""
        return {"AWS_ENDPOINT_URL": self.endpoint, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION, **_SLOW_MOTO}

    def stop(self) -> None:
        self.server.shutdown()
        for name, value in getattr(self, "_environment_before", {}).items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    def client(self, service: str):
        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION)

    def provision(self, template: Template) -> None:
        """Creates every table and secret the template declares that does not exist yet (with the saved
        state's items and values, if any), and records their physical ids."""
        dynamodb = self.client("dynamodb")
        existing = set(dynamodb.list_tables()["TableNames"])
        for logical_id, props in template.tables().items():
            template.physical[logical_id] = props["TableName"]
            if props["TableName"] in existing:
                continue
            spec = {k: props[k] for k in _CREATE_TABLE_KEYS if k in props}
            dynamodb.create_table(**spec)
            ttl = props.get("TimeToLiveSpecification")
            if ttl:
                dynamodb.update_time_to_live(TableName=props["TableName"], TimeToLiveSpecification=ttl)
            items = self.state.items(props["TableName"]) if self.state else []
            for start in range(0, len(items), 25):
                batch = [{"PutRequest": {"Item": item}} for item in items[start:start + 25]]
                dynamodb.batch_write_item(RequestItems={props["TableName"]: batch})
        s3 = self.client("s3")
        existing_buckets = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
        for bucket in template.buckets():
            if bucket not in existing_buckets:
                s3.create_bucket(Bucket=bucket)
        sqs = self.client("sqs")
        for logical_id, props in template.queues().items():
            attributes = {k: _queue_attribute(v) for k, v in props.items() if k not in ("QueueName", "Tags")}
            url = sqs.create_queue(QueueName=template.queue_name(logical_id), Attributes=attributes)["QueueUrl"]
            template.physical[logical_id] = url
        ses = self.client("ses")
        for identity in template.email_identities():
            if "@" in identity:
                ses.verify_email_identity(EmailAddress=identity)
            else:
                ses.verify_domain_identity(Domain=identity)
        manager = self.client("secretsmanager")
        known = {s["Name"]: s["ARN"] for s in manager.list_secrets()["SecretList"]}
        for logical_id, props in template.secrets().items():
            if "SecretString" in props:  # written from the parameters (the federation client secrets): as they are now
                value = props["SecretString"]
                if props["Name"] in known:
                    manager.put_secret_value(SecretId=props["Name"], SecretString=value)
                    template.physical[logical_id] = known[props["Name"]]
                else:
                    template.physical[logical_id] = manager.create_secret(Name=props["Name"], SecretString=value)["ARN"]
                continue
            if props["Name"] in known:
                template.physical[logical_id] = known[props["Name"]]
                continue
            value = (self.state.secret(props["Name"]) if self.state else None) or _generate(
                props["GenerateSecretString"])
            template.physical[logical_id] = manager.create_secret(Name=props["Name"], SecretString=value)["ARN"]


def _queue_attribute(value) -> str:
    """A CloudFormation queue property as SQS's CreateQueue takes it: strings, JSON for policies."""
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value).lower() if isinstance(value, bool) else str(value)


def _generate(spec: dict) -> str:
    """What CloudFormation's GenerateSecretString would make (the subset the template uses)."""
    alphabet = string.ascii_letters + string.digits
    if not spec.get("ExcludePunctuation"):
        alphabet += "!#$%&()*+,-.:;<=>?@[]^_{|}~"
    return "".join(secrets.choice(alphabet) for _ in range(int(spec.get("PasswordLength", 32))))

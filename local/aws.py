"""The AWS side of the local runtime: moto's server on a free loopback port, and the template's
tables and secrets created in it from their own CloudFormation properties."""

from __future__ import annotations

import logging
import os
import secrets
import string
import threading

import boto3
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from local.template import REGION, Template

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


class LocalAws:
    """A moto server, and boto3's standard variables pointing this process at it.

    The server handles one request at a time. moto's backends take no locks, so two threads could
    both pass the same condition expression; DynamoDB never lets that happen to an item, and the
    race tests must see what DynamoDB does.
    """

    def __init__(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.server = make_server("127.0.0.1", 0, DomainDispatcherApplication(create_backend_app), threaded=False,
                                  request_handler=MotoRequestHandler)

    def start(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        host, port = self.server.server_address[:2]
        self.endpoint = f"http://{host}:{port}"
        os.environ.update(
            AWS_ENDPOINT_URL=self.endpoint,
            AWS_ACCESS_KEY_ID="local",
            AWS_SECRET_ACCESS_KEY="local",
            AWS_DEFAULT_REGION=REGION,
            AWS_REGION=REGION,
        )
        os.environ.pop("AWS_PROFILE", None)
        return self.endpoint

    def stop(self) -> None:
        self.server.shutdown()

    def client(self, service: str):
        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION)

    def provision(self, template: Template) -> None:
        """Creates every table and secret the template declares, and records their physical ids."""
        dynamodb = self.client("dynamodb")
        for logical_id, props in template.tables().items():
            spec = {k: props[k] for k in _CREATE_TABLE_KEYS if k in props}
            dynamodb.create_table(**spec)
            template.physical[logical_id] = props["TableName"]
            ttl = props.get("TimeToLiveSpecification")
            if ttl:
                dynamodb.update_time_to_live(TableName=props["TableName"], TimeToLiveSpecification=ttl)
        manager = self.client("secretsmanager")
        for logical_id, props in template.secrets().items():
            created = manager.create_secret(Name=props["Name"], SecretString=_generate(props["GenerateSecretString"]))
            template.physical[logical_id] = created["ARN"]


def _generate(spec: dict) -> str:
    """What CloudFormation's GenerateSecretString would make (the subset the template uses)."""
    alphabet = string.ascii_letters + string.digits
    if not spec.get("ExcludePunctuation"):
        alphabet += "!#$%&()*+,-.:;<=>?@[]^_{|}~"
    return "".join(secrets.choice(alphabet) for _ in range(int(spec.get("PasswordLength", 32))))

"""Each function's IAM policy from template.yaml, enforced on its AWS calls in the local runtime.

Every boto3 call made while a function runs is checked against that function's `Policies`
statements (Allow/Deny, `*` wildcards, and their `Condition`s against the request's context keys:
DynamoDB's leading keys, attributes, Select and ReturnValues, SES's sender) before it reaches moto;
a call the policy does not grant fails with AccessDeniedException, as in AWS. So a missing
permission shows up locally, before a deploy, and a test can prove each policy is enough.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from local import iam_dynamodb, policy
from local.constants import ACCOUNT, REGION
from local.policy import RequestContext

# In a Lambda worker the process runs one function: its policies are the process's. In-process
# (handler tests), `running_as` sets them per call.
_process_policies: list | None = None
_current_policies: contextvars.ContextVar[list | None] = contextvars.ContextVar("policies", default=None)
# The template's tables' key schemas (table name -> {"": [partition, sort], index: [...]}): which
# attribute of a key is the partition key, for dynamodb:LeadingKeys. Every schema given is kept.
_key_schemas: iam_dynamodb.KeySchemas = {}
# Every AWS call this process made ("dynamodb:GetItem", ...): a sandbox reports its invocation's calls.
calls: list[str] = []


def know_tables(key_schemas: iam_dynamodb.KeySchemas | None) -> None:
    _key_schemas.update(key_schemas or {})


@contextmanager
def running_as(policies: list, key_schemas: iam_dynamodb.KeySchemas | None = None) -> Iterator[None]:
    know_tables(key_schemas)
    token = _current_policies.set(policies)
    try:
        yield
    finally:
        _current_policies.reset(token)


def install_on_import(policies: list, key_schemas: iam_dynamodb.KeySchemas | None = None) -> None:
    """`install(policies)` as soon as botocore's client module is imported, not before: a sandbox's
    cold start must not pay for botocore unless its function does (Lambda's bootstrap imports none)."""
    import sys
    from importlib.abc import MetaPathFinder

    global _process_policies
    _process_policies = policies
    know_tables(key_schemas)
    if "botocore.client" in sys.modules:
        install()
        return

    class _Finder(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name != "botocore.client":
                return None
            sys.meta_path.remove(self)
            from importlib.util import find_spec

            spec = find_spec(name)
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                install()

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, _Finder())


def install(policies: list | None = None, key_schemas: iam_dynamodb.KeySchemas | None = None) -> None:
    """Wraps botocore's one call path, once per process; `policies` apply to every call it makes."""
    from botocore.client import BaseClient
    from botocore.exceptions import ClientError

    global _process_policies
    if policies is not None:
        _process_policies = policies
    know_tables(key_schemas)
    if getattr(BaseClient._make_api_call, "_latchkey_iam", False):
        return
    original = BaseClient._make_api_call

    def checked(client: BaseClient, operation: str, params: dict):
        policies = _current_policies.get()
        if policies is None:
            policies = _process_policies
        calls.append(f"{client.meta.service_model.endpoint_prefix}:{operation}")
        if policies is not None:
            service = client.meta.service_model.endpoint_prefix
            for action, resource, context in requested(service, operation, params):
                decision = evaluate(policies, action, resource, context)
                if not decision.allowed:
                    because = f" ({decision.reason})" if decision.reason else ""
                    raise ClientError(
                        {"Error": {"Code": "AccessDeniedException",
                                   "Message": f"not authorized to perform: {action} on resource: {resource}{because}"}},
                        operation,
                    )
        return original(client, operation, params)

    checked._latchkey_iam = True  # type: ignore[attr-defined]
    BaseClient._make_api_call = checked


def requested(service: str, operation: str, params: dict) -> list[tuple[str, str, RequestContext]]:
    """The (IAM action, resource ARN, request context) triples a call needs."""
    if service == "dynamodb":
        triples = []
        for action, table, index, context in iam_dynamodb.requests(operation, params, _key_schemas):
            arn = _table_arn(table) + (f"/index/{index}" if index else "")
            triples.append((action, arn, context))
        return triples
    if service == "secretsmanager":
        return [(f"secretsmanager:{operation}", str(params.get("SecretId", "*")), RequestContext())]
    if service == "sqs" and params.get("QueueUrl"):  # .../<account>/<queue name>
        account, name = str(params["QueueUrl"]).rstrip("/").split("/")[-2:]
        return [(f"sqs:{operation}", f"arn:aws:sqs:{REGION}:{account}:{name}", RequestContext())]
    if service == "lambda" and operation == "Invoke":
        return [("lambda:InvokeFunction", str(params.get("FunctionName", "*")), RequestContext())]
    if service == "s3" and params.get("Bucket"):  # an object's ARN (a bucket's, for a bucket operation)
        key = f"/{params['Key']}" if params.get("Key") else ""
        return [(f"s3:{operation}", f"arn:aws:s3:::{params['Bucket']}{key}", RequestContext())]
    if service == "email" and operation == "SendEmail":  # SES v2: the sender's identity, and the set
        sender = str(params.get("FromEmailAddress", ""))
        context = RequestContext({"ses:FromAddress": [_address(sender)]} if sender else {},
                                 frozenset({"ses:FromAddress"}))
        triples = [("ses:SendEmail", f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/{sender}", context)]
        if params.get("ConfigurationSetName"):
            triples.append(("ses:SendEmail",
                            f"arn:aws:ses:{REGION}:{ACCOUNT}:configuration-set/{params['ConfigurationSetName']}",
                            context))
        return triples
    return [(f"{service}:{operation}", "*", RequestContext())]


def allowed(policies: list, action: str, resource: str, context: RequestContext | None = None) -> bool:
    return evaluate(policies, action, resource, context).allowed


def evaluate(policies: list, action: str, resource: str, context: RequestContext | None = None) -> policy.Decision:
    # SAM policy templates and managed policy names are not evaluated locally: they grant nothing.
    statements = [s for p in policies if isinstance(p, dict) for s in p.get("Statement", [])]
    return policy.evaluate(statements, action, resource, context)


def _address(sender: str) -> str:
    """The address of a From value that may carry a display name (`Name <a@b>`)."""
    return sender[sender.index("<") + 1:sender.rindex(">")] if "<" in sender and ">" in sender else sender


def _table_arn(table: str) -> str:
    return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table}"

"""Each function's IAM policy from template.yaml, enforced on its AWS calls in the local runtime.

Every boto3 call made while a function runs is checked against that function's `Policies`
statements (Allow/Deny, `*` wildcards) before it reaches moto; a call the policy does not grant fails
with AccessDeniedException, as in AWS. So a missing permission shows up locally, before a deploy,
and a test can prove each policy is enough.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from local import policy
from local.constants import ACCOUNT, REGION

# In a Lambda worker the process runs one function: its policies are the process's. In-process
# (handler tests), `running_as` sets them per call.
_process_policies: list | None = None
_current_policies: contextvars.ContextVar[list | None] = contextvars.ContextVar("policies", default=None)
# Every AWS call this process made ("dynamodb:GetItem", ...): a sandbox reports its invocation's calls.
calls: list[str] = []
_TRANSACT_ACTIONS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                     "ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}


@contextmanager
def running_as(policies: list) -> Iterator[None]:
    token = _current_policies.set(policies)
    try:
        yield
    finally:
        _current_policies.reset(token)


def install_on_import(policies: list) -> None:
    """`install(policies)` as soon as botocore's client module is imported, not before: a sandbox's
    cold start must not pay for botocore unless its function does (Lambda's bootstrap imports none)."""
    import sys
    from importlib.abc import MetaPathFinder

    global _process_policies
    _process_policies = policies
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


def install(policies: list | None = None) -> None:
    """Wraps botocore's one call path, once per process; `policies` apply to every call it makes."""
    from botocore.client import BaseClient
    from botocore.exceptions import ClientError

    global _process_policies
    if policies is not None:
        _process_policies = policies
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
            for action, resource in requested(service, operation, params):
                if not allowed(policies, action, resource):
                    raise ClientError(
                        {"Error": {"Code": "AccessDeniedException",
                                   "Message": f"not authorized to perform: {action} on resource: {resource}"}},
                        operation,
                    )
        return original(client, operation, params)

    checked._latchkey_iam = True  # type: ignore[attr-defined]
    BaseClient._make_api_call = checked


def requested(service: str, operation: str, params: dict) -> list[tuple[str, str]]:
    """The (IAM action, resource ARN) pairs a call needs."""
    if service == "dynamodb":
        if operation in ("TransactWriteItems", "TransactGetItems"):
            pairs = []
            for item in params.get("TransactItems", []):
                (kind, spec), = item.items()
                pairs.append((f"dynamodb:{_TRANSACT_ACTIONS[kind]}", _table_arn(spec["TableName"])))
            return pairs
        if operation in ("BatchGetItem", "BatchWriteItem"):
            return [(f"dynamodb:{operation}", _table_arn(t)) for t in params.get("RequestItems", {})]
        arn = _table_arn(params["TableName"])
        if params.get("IndexName"):
            arn += f"/index/{params['IndexName']}"
        return [(f"dynamodb:{operation}", arn)]
    if service == "secretsmanager":
        return [(f"secretsmanager:{operation}", str(params.get("SecretId", "*")))]
    if service == "sqs" and params.get("QueueUrl"):  # .../<account>/<queue name>
        account, name = str(params["QueueUrl"]).rstrip("/").split("/")[-2:]
        return [(f"sqs:{operation}", f"arn:aws:sqs:{REGION}:{account}:{name}")]
    if service == "email" and operation == "SendEmail":  # SES v2: the sender's identity, and the set
        pairs = [("ses:SendEmail", f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/{params.get('FromEmailAddress', '')}")]
        if params.get("ConfigurationSetName"):
            pairs.append(("ses:SendEmail",
                          f"arn:aws:ses:{REGION}:{ACCOUNT}:configuration-set/{params['ConfigurationSetName']}"))
        return pairs
    return [(f"{service}:{operation}", "*")]


def allowed(policies: list, action: str, resource: str) -> bool:
    # SAM policy templates and managed policy names are not evaluated locally: they grant nothing.
    statements = [s for p in policies if isinstance(p, dict) for s in p.get("Statement", [])]
    return policy.allows(statements, action, resource)


def _table_arn(table: str) -> str:
    return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table}"

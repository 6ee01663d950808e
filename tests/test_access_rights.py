"""The functions' named access rights (api/access.py, api/tables.py) grant what template.yaml grants:
for every function, `policies()` is the same permissions as its Policies (statement order, grouping of
resources into statements and list order inside a condition aside), and `environment()` is the part of
its Environment that exists because of a right. The layer's projections (latchkey.store.items) are
the declaration's, and the stores read with them."""

import json
from pathlib import Path

import pytest
from cfnlint.decode import cfn_yaml

from api import access, tables
from api.iam import Statement
from tests.support import ROOT

DOC = cfn_yaml.loads((ROOT / "template.yaml").read_text(), str(ROOT / "template.yaml"))
FUNCTIONS = {name: resource["Properties"] for name, resource in DOC["Resources"].items()
             if resource["Type"] == "AWS::Serverless::Function"}
# Variables of a function's own that no right implies: its settings.
NOT_FROM_RIGHTS = {"REAUTH_MAX_AGE_SECONDS", "SIGNING_KEY_ROTATION_DAYS", "APP_BASE_URL", "ORGANIZATION_DELETED_HOOKS",
                   "OAUTH_ISSUER_URL", "GATEWAY_JWT_AUDIENCES", "OAUTH_DYNAMIC_REGISTRATION",
                   "OAUTH_REGISTRATION_ORGANIZATION_ID",
                   # the federation providers' public settings (api/functions.py FEDERATION_ENVIRONMENT)
                   "GOOGLE_CLIENT_ID", "GITHUB_CLIENT_ID", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_NAME"}


def _plain(value):
    """A decoded template value as plain JSON-able data (cfn-lint's str/dict subclasses)."""
    return json.loads(json.dumps(value, default=str))


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def _condition(condition) -> str:
    """A condition with list values as sorted sets: `ForAllValues` and `StringLike` read them so."""
    def norm(v):
        if isinstance(v, list) and all(isinstance(x, str) for x in v):
            return sorted(set(v))
        return v
    return json.dumps({op: {key: norm(v) for key, v in tests.items()} for op, tests in (condition or {}).items()},
                      sort_keys=True)


def _grants(statements: list[dict]) -> set[tuple]:
    """A policy as the set of (effect, action, resource, condition) it allows: IAM's meaning of it."""
    return {(s["Effect"], action, json.dumps(resource, sort_keys=True), _condition(s.get("Condition")))
            for s in statements for action in _listed(s["Action"]) for resource in _listed(s["Resource"])}


def _as_template(statement: Statement) -> dict:
    rendered = {"Effect": statement.effect, "Action": list(statement.actions), "Resource": list(statement.resources)}
    if statement.condition:
        rendered["Condition"] = statement.condition
    return _plain(rendered)


def test_every_function_of_the_template_has_its_rights_and_no_right_names_an_unknown_function():
    assert set(access.RIGHTS) == set(FUNCTIONS)


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_a_functions_rights_grant_exactly_its_template_policy(function):
    policies = FUNCTIONS[function].get("Policies")
    if policies is None:
        assert access.policies(function) == []
        return
    assert len(policies) == 1 and set(policies[0]) == {"Statement"}, "one inline policy of statements"
    today = _grants(_plain(policies[0]["Statement"]))
    derived = _grants([_as_template(s) for s in access.policies(function)])
    assert derived - today == set(), f"{function}: the rights grant more than the template"
    assert today - derived == set(), f"{function}: the template grants more than the rights"


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_a_functions_environment_from_its_rights_is_its_template_environment(function):
    today = _plain(FUNCTIONS[function].get("Environment", {}).get("Variables", {}))
    derived = _plain(access.environment(function))
    assert derived == {k: v for k, v in today.items() if k not in NOT_FROM_RIGHTS}


def test_every_statement_says_why_in_comment_lines_and_names_no_wildcard():
    held_for_a_reason = [r for rights in access.RIGHTS.values() for r in rights]
    for held in [*access.every_right().values(), *held_for_a_reason]:
        name = held.name
        statements = held.expand()
        assert statements[0].why, name
        assert all(len(line) <= 100 for s in statements for line in s.why.splitlines()), name
        for statement in statements:
            assert all("*" not in a for a in statement.actions), name
            # Two object prefixes are named with a wildcard: an export's file (a new key per export), in the
            # bucket that holds nothing else, for the two functions of the admin API that write and read it;
            # and the files operators put for an import, in theirs, which only the import worker reads.
            resources = [r for r in statement.resources if r not in (
                {"Fn::Sub": "${ExportBucket.Arn}/exports/*"}, {"Fn::Sub": "${ImportBucket.Arn}/imports/*"})]
            assert "*" not in json.dumps(resources), name


def test_every_right_is_held_by_some_function():
    held = {r.name for rights in access.RIGHTS.values() for r in rights}
    assert set(access.every_right()) - held == set()


def test_no_function_may_change_or_delete_an_audit_event_and_only_the_audit_list_reads_them():
    readers = set()
    for function in FUNCTIONS:
        for statement in access.policies(function):
            if tables.AUDIT_EVENTS_TABLE.arn in statement.resources:
                assert statement.actions in {("dynamodb:PutItem",), ("dynamodb:Query",)}, function
                if statement.actions == ("dynamodb:Query",):
                    readers.add(function)
    assert readers == {"ListAuditEventsFunction"}


# --- the layer's projections are the declaration's ----------------------------------------------------

def test_the_layers_items_module_is_written_from_the_declaration():
    from contract import tables as writer

    assert Path(writer.ITEMS).read_text() == writer.render_items()


def test_the_stores_read_users_with_the_projections_the_rights_grant(local_api):  # the stores need its AWS
    from latchkey.store import accounts_table as store

    assert store.USER_PUBLIC_ATTRIBUTES == tables.USER_READ_PUBLIC
    assert tuple(store._PROJECTION["ExpressionAttributeNames"].values()) == tables.USER_READ_PUBLIC
    assert store.USER_WITH_PASSKEYS == tables.USER_READ_WITH_PASSKEYS
    # The store names each token by its purpose: the same attributes as the declaration's.
    assert store.USER_TOKEN_ATTRIBUTES == (*store.USER_PUBLIC_ATTRIBUTES, *store.TOKEN_ATTRIBUTES,
                                           *store._EMAIL_CHANGE_FLAGS) == tables.USER_READ_WITH_TOKENS
    assert store._PENDING_CHANGE == tables.PENDING_EMAIL_CHANGE

    def granted(held):
        return tuple(held.statements[0].condition["ForAllValues:StringEquals"]["dynamodb:Attributes"])

    assert granted(tables.ACCOUNTS.read_profile) == store.USER_PUBLIC_ATTRIBUTES
    assert granted(tables.ACCOUNTS.read_profile_and_passkeys) == store.USER_WITH_PASSKEYS
    assert granted(tables.ACCOUNTS.read_profile_and_tokens) == store.USER_TOKEN_ATTRIBUTES
    assert granted(tables.ACCOUNTS.void_email_change) == ("pk", *store._PENDING_CHANGE)


def test_the_stores_keys_start_with_the_declared_prefixes(local_api):
    from latchkey.store import accounts_table, invitations_table

    assert accounts_table._user_key("user_1") == {"pk": {"S": f"{tables.USER.prefix}user_1"}}
    assert accounts_table._organization_key("org_1") == {"pk": {"S": f"{tables.ORGANIZATION.prefix}org_1"}}
    credentials = accounts_table._credentials_key("Ada@Example.com")
    assert credentials == {"pk": {"S": f"{tables.CREDENTIALS.prefix}ada@example.com"}}
    pointer = invitations_table._pointer_key("org_1", "ada@example.com")["invitationId"]["S"]
    assert pointer.startswith(tables.INVITATION_POINTER.prefix)


def test_each_projected_read_of_the_accounts_store_asks_for_exactly_what_its_right_grants(local_api, monkeypatch):
    from latchkey.store import accounts_table as store

    asked: list[dict] = []

    class Recording:
        def get_item(self, **kwargs):
            asked.append(kwargs)
            return {}

    monkeypatch.setattr(store, "client", Recording())
    reads = {  # a store read: the right of the functions that call it
        lambda: store.get_user("user_1"): tables.ACCOUNTS.read_profile,
        lambda: store.get_user_and_passkeys("user_1"): tables.ACCOUNTS.read_profile_and_passkeys,
        lambda: store.get_user_with_tokens("user_1"): tables.ACCOUNTS.read_profile_and_tokens,
        lambda: store.find_user_id("ada@example.com"): tables.ACCOUNTS.find_user_id,
        lambda: store.find_sign_in_code("ada@example.com"): tables.ACCOUNTS.spend_sign_in_code,
    }
    for read, held in reads.items():
        asked.clear()
        read()
        (call,) = asked
        statement = held.statements[0]
        prefix = statement.condition["ForAllValues:StringLike"]["dynamodb:LeadingKeys"][0].rstrip("*")
        assert call["Key"]["pk"]["S"].startswith(prefix), held.name
        names = call["ExpressionAttributeNames"]
        fetched = {names.get(part.strip(), part.strip()) for part in call["ProjectionExpression"].split(",")}
        assert fetched == set(statement.condition["ForAllValues:StringEquals"]["dynamodb:Attributes"]), held.name

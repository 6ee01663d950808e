"""The built artifact is what runs: every function of the template, imported from the `sam build`
output in a sandbox with exactly Lambda's module path, invoked with its events/ payload against moto.
A dependency missing from a layer, or a function reaching into a layer it does not have, fails here."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from api.route import Answers
from contract.bodies import compiled_models
from contract.operations import OPERATIONS
from local import build
from local.lambda_runtime import Sandbox, _SandboxFailed
from local.runtime import LocalStack
from local.template import Function, Template
from tests.support import sample_event_path


@pytest.fixture(scope="module")
def stack():
    stack = LocalStack(say=lambda _: None, poll_queues=False)  # each function's first invocation is its own
    yield stack
    stack.stop()


FUNCTIONS = sorted(Template.load().functions().items())


@pytest.mark.parametrize("logical_id, function", FUNCTIONS, ids=[name for name, _ in FUNCTIONS])
def test_every_built_function_imports_and_answers_its_event(stack, logical_id, function):
    event = json.loads(sample_event_path(function.code_dir, function.name).read_text())
    outcome = stack.functions.invoke(logical_id, event)
    assert outcome.status == "ok", f"{logical_id} failed in its sandbox: {outcome.status}"
    assert outcome.init_ms is not None  # a real cold start: its own process
    if logical_id == "AuthorizerFunction":
        assert outcome.result["policyDocument"]["Statement"][0]["Effect"] in ("Allow", "Deny")
        return
    if not any(route.function == logical_id for route in stack.template.routes()):
        return  # not behind the API (the scheduled key rotation): it answers its caller, not a client
    assert isinstance(outcome.result["statusCode"], int) and outcome.result["statusCode"] < 500
    if logical_id == "OpenApiFunction":  # the document itself, for tools: not an envelope
        assert json.loads(outcome.result["body"])["openapi"].startswith("3.1")
        return
    operation = OPERATIONS.get(function.name)  # None: the fallback's (no route of its own)
    answers = operation.answers if operation else Answers.ENVELOPE
    if answers is Answers.REDIRECT and 300 <= outcome.result["statusCode"] < 400:  # a browser's way on, no body
        assert outcome.result["headers"]["Location"]
        return
    body = json.loads(outcome.result["body"])
    if answers in (Answers.OAUTH_REDIRECT, Answers.OAUTH_FORM, Answers.OAUTH_JSON):
        assert "error" in body  # OAuth's own error form: the samples name no registered app
        return
    documents = {"JwksFunction": "keys", "OAuthMetadataFunction": "issuer", "ProtectedResourceMetadataFunction":
                 "resource"}  # standards documents, not envelopes
    assert "success" in body or documents.get(logical_id, "success") in body


_LOADED = """
import json, sys
import app
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} | {m for m in sys.modules if ".schemas." in m})))
"""
# The functions whose request body is compiled: they validate it with pydantic's engine (pydantic_core).
BODY_TAKING = {name for name, operation in OPERATIONS.items() if operation.body in compiled_models().values()}


def loaded_at_cold_start(stack, logical_id: str) -> set[str]:
    """The top-level packages (and our schema modules) a built function's import loads, with its
    sandbox's path and environment."""
    function = stack.template.functions()[logical_id]
    path = stack.functions.sandbox_path(function)
    code = f"import sys; sys.path[:0] = {path!r}\n{_LOADED}"
    out = subprocess.run([sys.executable, "-I", "-S", "-c", code], cwd=path[0],
                         env=stack.functions.environment(function), capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("logical_id, function", FUNCTIONS, ids=[name for name, _ in FUNCTIONS])
def test_a_cold_start_loads_only_pydantics_validator_and_only_to_read_a_body(stack, logical_id, function):
    """The imports that decide the cold-start budgets (docs/contract.md): pydantic's model machinery
    is about 0.25x the floor (bodies are compiled ahead of time: latchkey.edge.bodies), its validator
    about 0.1x, Powertools' Logger 0.07x (`latchkey.logs` writes its lines)."""
    loaded = loaded_at_cold_start(stack, logical_id)
    assert not loaded & {"aws_lambda_powertools", "pydantic"}
    assert not [m for m in loaded if ".schemas." in m]
    assert ("pydantic_core" in loaded) is (function.name in BODY_TAKING), sorted(loaded)


def test_the_bench_floor_is_timed_in_the_functions_own_sandbox_before_its_import(stack):
    me = stack.template.functions()["MeFunction"]
    sandbox = Sandbox(me, stack.functions.environment(me), stack.functions.sandbox_path(me), None, floor_first=True)
    sandbox.stop()
    assert sandbox.floor_cpu_ms > 0 and sandbox.init_cpu_ms > 0
    # boto3 and its DynamoDB model are loaded by then: `me` adds its own modules only, far less than the floor
    assert sandbox.init_cpu_ms < sandbox.floor_cpu_ms / 2
    plain = Sandbox(me, stack.functions.environment(me), stack.functions.sandbox_path(me), None)
    plain.stop()
    assert plain.floor_cpu_ms is None


def test_the_sandbox_path_is_lambdas_and_nothing_of_the_dev_environment(stack, tmp_path):
    probe = _function(tmp_path, """
        import sys
        def handler(event, context):
            return {"path": sys.path, "modules": sorted(m for m in sys.modules if m.split(".")[0] in
                                                        ("pytest", "moto", "local", "cfnlint", "samcli"))}
    """)
    path = stack.functions.sandbox_path(stack.template.functions()["MeFunction"])
    sandbox = Sandbox(probe, stack.aws.environment(), [str(tmp_path), *path[1:]], None)
    try:
        result, _, _ = sandbox.invoke({})
    finally:
        sandbox.stop()
    ours = [p for p in result["path"] if "python3.12" not in p or "site-packages" in p]
    assert ours[:4] == [str(tmp_path), *path[1:]]
    assert path[1].endswith("/python/lib/python3.12/site-packages") and path[2].endswith("/python")
    assert path[3] == str(stack.functions.runtime)
    assert not any(".venv" in p for p in result["path"])
    assert result["modules"] == []  # not even the local IAM check is importable by the function


def test_a_function_importing_what_only_another_layer_has_fails_to_start(stack, tmp_path):
    # pyotp is in the two-factor layer; MeFunction has only the main layer.
    function = _function(tmp_path, "import pyotp\ndef handler(event, context):\n    return {}\n")
    path = stack.functions.sandbox_path(stack.template.functions()["MeFunction"])
    with pytest.raises(_SandboxFailed):
        Sandbox(function, stack.aws.environment(), [str(tmp_path), *path[1:]], None)


def test_the_deployed_template_keeps_arm64_while_the_local_build_matches_this_machine():
    text = (build.ROOT / "template.yaml").read_text()
    assert "Architectures: [arm64]" in text and "x86_64" not in text
    local = build.host_template(build.ROOT / "template.yaml")
    assert f"[{build.host_architecture()}]" in local
    assert (build.BUILD / "LatchkeyLayer" / "python" / "latchkey" / "__init__.py").exists()  # /opt/python/latchkey


def _function(folder, source: str) -> Function:
    (folder / "app.py").write_text(textwrap.dedent(source))
    return Function(logical_id="ProbeFunction", code_dir=folder, handler="app.handler", environment={}, policies=[],
                    memory=128, timeout=5)


def test_a_sandbox_may_make_only_the_calls_its_functions_policy_grants(stack, tmp_path):
    me = stack.template.functions()["MeFunction"]  # reads the accounts table; holds no secret
    probe = _function(tmp_path, """
        import os, boto3
        def handler(event, context):
            answers = {}
            for name, call in [
                ("get", lambda: boto3.client("dynamodb").get_item(
                    TableName=os.environ["ACCOUNTS_TABLE"], Key={"pk": {"S": "USER#nobody"}},
                    ProjectionExpression="pk, email")),
                ("whole item", lambda: boto3.client("dynamodb").get_item(  # IAM: Select is ALL_ATTRIBUTES
                    TableName=os.environ["ACCOUNTS_TABLE"], Key={"pk": {"S": "USER#nobody"}})),
                ("put", lambda: boto3.client("dynamodb").put_item(
                    TableName=os.environ["ACCOUNTS_TABLE"], Item={"pk": {"S": "USER#evil"}})),
                ("secret", lambda: boto3.client("secretsmanager").get_secret_value(
                    SecretId=os.environ["TOTP_KEY_SECRET_ARN"])),
            ]:
                try:
                    call()
                    answers[name] = "allowed"
                except Exception as error:
                    answers[name] = error.response["Error"]["Code"]
            return answers
    """)
    probe = Function(**{**probe.__dict__, "environment": me.environment, "policies": me.policies,
                        "key_schemas": me.key_schemas})
    path = stack.functions.sandbox_path(me)
    sandbox = Sandbox(probe, {**stack.aws.environment(), **me.environment}, [str(tmp_path), *path[1:]], None)
    try:
        answers, _, calls = sandbox.invoke({})
    finally:
        sandbox.stop()
    assert answers == {"get": "allowed", "whole item": "AccessDeniedException", "put": "AccessDeniedException",
                       "secret": "AccessDeniedException"}
    assert calls == ("dynamodb:GetItem", "dynamodb:GetItem", "dynamodb:PutItem", "secretsmanager:GetSecretValue")


def _imports(stack, logical_id: str, modules: str, package: str) -> str:
    """Where a built function's sandbox finds `package` once it imports `modules` ("" if it cannot)."""
    function = stack.template.functions()[logical_id]
    path = stack.functions.sandbox_path(function)
    code = (f"import sys; sys.path[:0] = {path!r}\n"
            f"try:\n    import {modules}\n    print({package}.__file__)\n"
            "except ImportError:\n    print('')\n")
    out = subprocess.run([sys.executable, "-I", "-S", "-c", code], cwd=path[0],
                         env=stack.functions.environment(function), capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _imports_webauthn(stack, logical_id: str) -> str:
    return _imports(stack, logical_id, "latchkey.rules.passkeys, webauthn", "webauthn")


@pytest.mark.parametrize("logical_id", ["PasskeyRegisterOptionsFunction", "RegisterPasskeyFunction",
                                        "PasskeyLoginOptionsFunction", "PasskeyLoginFunction",
                                        "VerifyTwoFactorFunction", "ReauthenticateFunction"])
def test_the_passkey_ceremonies_import_py_webauthn_from_their_layer(stack, logical_id):
    assert "/python/webauthn/" in _imports_webauthn(stack, logical_id)


def test_listing_renaming_and_removing_passkeys_carry_no_py_webauthn(stack):
    for logical_id in ("ListPasskeysFunction", "RenamePasskeyFunction", "DeletePasskeyFunction", "LoginFunction"):
        assert _imports_webauthn(stack, logical_id) == ""


def _imports_authlib(stack, logical_id: str) -> str:
    return _imports(stack, logical_id, "authlib.oidc.discovery, joserfc.jwk", "authlib")


def test_the_oauth_provider_imports_authlib_from_its_layer_and_nothing_else_carries_it(stack):
    for logical_id in ("OAuthMetadataFunction", "AuthorizeFunction", "AuthorizeDecisionFunction", "OAuthTokenFunction",
                       "OAuthRevokeFunction", "OAuthIntrospectFunction"):
        found = _imports_authlib(stack, logical_id)
        assert "/python/authlib/" in found and "site-packages" not in found, logical_id  # /opt/python, not the venv
    for logical_id in ("JwksFunction", "LoginFunction", "CreateAppFunction", "AuthorizerFunction"):
        assert _imports_authlib(stack, logical_id) == "", logical_id

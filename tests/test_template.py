"""template.yaml, the layer's route map, the functions and the sample events agree, and the template
passes `sam validate --lint`. The routes, the functions' events and the sample events are all written
from api/ by `python -m contract` (tests/contract/test_drift.py holds the files to it): these check
that what it writes says the same thing everywhere."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from latchkey.edge import route_map
from local.template import Template
from tests.support import ROOT, sample_event_path

TEMPLATE = Template.load()
FUNCTIONS = TEMPLATE.functions()
API_ROUTES = TEMPLATE.routes()
FALLBACK = "FallbackFunction"


def test_sam_validate_lint_passes():
    sam = Path(sys.executable).parent / "sam"
    assert sam.exists() or shutil.which("sam"), "aws-sam-cli is in requirements-dev.txt"
    env = {**os.environ, "SAM_CLI_TELEMETRY": "0", "PATH": f"{sam.parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run([str(sam), "validate", "--lint"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_template_route_is_in_the_route_map_with_the_function_that_serves_it_and_back():
    served = {(r.method, r.path): r.function for r in API_ROUTES if r.function != FALLBACK}
    assert served == {(r.method, r.path): r.function for r in route_map.ROUTES}


ENDPOINTS = ROOT / "docs" / "reference" / "endpoints.md"


def test_rate_limited_routes_are_the_reference_table_and_each_limit_is_a_template_setting():
    readme = ENDPOINTS.read_text()
    table = readme.split("| endpoint | per source IP per minute (parameter) |", 1)[1].split("\n\n", 1)[0]
    rows = dict(re.findall(r"^\s*\| `(\w+ \S+)` \| \d+ \(`(\w+)`", table, re.MULTILINE))
    limited = {r for r in route_map.ROUTES if r.rate_limit}
    # the /api/v1 aliases share their route's function and counter
    assert set(rows) == {f"{r.method} {r.path}" for r in limited if not r.path.startswith("/api/")}
    parameters = TEMPLATE.parameters
    for route in limited:
        assert rows[f"{route.method} {route.path.removeprefix('/api')}"] in parameters, route
        variable = route.rate_limit.upper().replace("-", "_") + "_RATE_LIMIT"
        assert variable in FUNCTIONS[route.function].environment, route


def test_the_fallback_imports_no_more_than_the_route_map_and_the_envelope():
    """Its cold start must not grow: the rate limiter (and its store) load only on limited routes."""
    script = ("import sys, runpy; runpy.run_path('functions/fallback/app.py');"
              "print(' '.join(sorted(m for m in sys.modules if m.startswith('latchkey'))))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "layers" / "latchkey")}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {
        "latchkey", "latchkey.edge", "latchkey.edge.http", "latchkey.edge.request", "latchkey.edge.route_index",
        "latchkey.edge.route_map",
        "latchkey.errors", "latchkey.logs",
        "latchkey.rules", "latchkey.rules.clock", "latchkey.rules.records", "latchkey.rules.scopes",
        "latchkey.settings"}


def test_public_routes_and_only_they_skip_the_authorizer():
    for route in API_ROUTES:
        if route.function == FALLBACK:
            continue
        declared = route_map.find(route.method, route.path)
        assert route.authorized is not (declared.callers & {route_map.PUBLIC, route_map.OPERATOR}), route
        assert route.iam is (route_map.OPERATOR in declared.callers), route


def test_every_resource_has_a_fallback_for_other_methods_and_unknown_paths_have_one_too():
    fallback_paths = {r.path for r in API_ROUTES if r.function == FALLBACK and r.method == "ANY"}
    assert fallback_paths == {r.path for r in route_map.ROUTES} | {"/{proxy+}"}
    assert all(not r.authorized for r in API_ROUTES if r.function == FALLBACK)


def test_every_function_has_its_folder_handler_and_sample_event():
    folders = {p for p in (*(ROOT / "functions").iterdir(), *ROOT.glob("examples/*/functions/*"))
               if p.is_dir() and not p.name.startswith("__")}
    assert folders == {f.code_dir for f in FUNCTIONS.values()}
    for function in FUNCTIONS.values():
        assert (function.code_dir / "app.py").exists(), function.name
        assert sample_event_path(function.code_dir, function.name).exists(), function.name



@pytest.mark.parametrize("function", [f for f in FUNCTIONS.values() if f.logical_id != FALLBACK], ids=lambda f: f.name)
def test_sample_event_targets_its_functions_route(function):
    event = json.loads(sample_event_path(function.code_dir, function.name).read_text())
    if function.logical_id == TEMPLATE.authorizer_function():
        assert event["type"] == "REQUEST" and event["methodArn"].startswith("arn:aws:execute-api:")
        return
    own = {(r.method, r.path) for r in API_ROUTES if r.function == function.logical_id}
    if not own:  # not behind the API: a scheduled function (EventBridge's payload) or a queue's (SQS's)
        if "Records" in event:
            assert any(s.function == function.logical_id for s in TEMPLATE.queue_event_sources())
            assert all(r["eventSource"] == "aws:sqs" for r in event["Records"])
            return
        assert event["detail-type"] == "Scheduled Event" and event["source"] == "aws.events"
        return
    assert (event["httpMethod"], event["resource"]) in own
    assert event["requestContext"]["identity"]["sourceIp"]


def test_no_secret_or_key_material_in_the_template():
    text = (ROOT / "template.yaml").read_text()
    for variable in FUNCTIONS[FALLBACK].environment:
        assert "SECRET" not in variable or variable.endswith("_ARN")
    assert "GenerateSecretString:" in text
    # The one secret written from parameters: the federation providers' client secrets, from NoEcho
    # parameters (what an operator passes at deploy), never a literal.
    written = re.findall(r"^\s*SecretString:(.*)$", text, re.MULTILINE)
    assert written == [" !Sub '{\"google\":\"${GoogleClientSecret}\",\"github\":\"${GithubClientSecret}\","
                       "\"oidc\":\"${OidcClientSecret}\"}'"]
    for parameter in ("GoogleClientSecret", "GithubClientSecret", "OidcClientSecret"):
        assert f'  {parameter}:\n    Type: String\n    Default: ""\n    NoEcho: true\n' in text


def test_tables_are_on_demand_with_point_in_time_recovery():
    for name, props in TEMPLATE.tables().items():
        assert props["BillingMode"] == "PAY_PER_REQUEST", name
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True, name


def test_every_gateway_response_speaks_the_envelope_and_forbids_caching():
    for kind, response in TEMPLATE.gateway_responses().items():
        headers = response["ResponseParameters"]["Headers"]
        assert headers["Cache-Control"] == "'no-store'" and headers["X-Content-Type-Options"] == "'nosniff'", kind
        assert '"success": false' in response["ResponseTemplates"]["application/json"], kind


def test_reference_scope_table_is_the_route_maps():
    readme = ENDPOINTS.read_text()
    for scope in route_map.SCOPES:
        (row,) = [line for line in readme.splitlines() if line.startswith(f"| `{scope}` |")]
        for route in route_map.ROUTES:
            named = f"`{route.method} {route.path}`" in row
            assert named is (route.scope == scope), (scope, route)


def test_access_log_format_names_the_resource_never_the_path():
    setting = TEMPLATE.api()["AccessLogSetting"]["Fn::If"][1]
    assert "$context.resourcePath" in setting["Format"]
    assert "$context.path" not in setting["Format"] and "requestOverride" not in setting["Format"]


def test_reference_endpoint_table_states_each_routes_role_and_step_up_as_the_route_map_does():
    """"What each role may do lives in the route map": the endpoint reference says it the same way."""
    readme = ENDPOINTS.read_text()
    table = readme.split("| method and path | credential | what it does |", 1)[1].split("\n\n", 1)[0]
    rows = {}
    for line in table.splitlines()[2:]:
        route, credential = (cell.strip() for cell in line.strip("|").split("|")[:2])
        rows[re.match(r"`(\w+ [^`?]+)", route)[1]] = credential
    for route in route_map.ROUTES:
        if route.path.startswith("/api/"):
            continue  # the /api/v1 aliases share their route's row
        credential = rows[f"{route.method} {route.path}"]
        assert ("organization admin" in credential) is (route.role == "ADMIN"), route
        assert ("recent sign-in" in credential) is route.step_up, route


def test_every_function_behind_a_step_up_route_reads_the_deployers_reauthentication_age():
    # Three passkey functions once lacked it: their guard kept the 600 s default whatever the stack said.
    step_up = {r.function for r in route_map.ROUTES if r.step_up}
    assert step_up, "no step-up route"
    for function in step_up:
        assert FUNCTIONS[function].environment.get("REAUTH_MAX_AGE_SECONDS") == TEMPLATE.resolve(
            {"Ref": "ReauthMaxAgeSeconds"}), function

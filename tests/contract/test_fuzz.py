"""schemathesis holds the local API to the committed OpenAPI document: every operation, with real
credentials (a registered admin's access token; an API key with every scope), and zero failures of
the five conformance checks. Bounded: a fixed number of examples per operation, derandomized."""

from __future__ import annotations

import itertools
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from latchkey.edge import route_map
from tests.openapi_check import DOCUMENT
from tests.support import Client, random_ip

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
EXAMPLES_PER_OPERATION = 12
schema = schemathesis.openapi.from_path(DOCUMENT)
RUN = {"requests": 0, "checks": 0}
# Examples come from a pool of source addresses: the per-IP limits answer 429 (documented) rather than
# starve the run, and the connections stay few (each address keeps one).
SOURCES = itertools.cycle([random_ip() for _ in range(32)])
OPERATIONS: set[str] = set()


@pytest.fixture(scope="module", autouse=True)
def _report():
    started = time.monotonic()
    yield
    print(f"\nschemathesis: {len(OPERATIONS)} operations, {RUN['requests']} requests, {RUN['checks']} checks "
          f"in {time.monotonic() - started:.0f} s")


@pytest.fixture
def credentials(client: Client) -> dict[str, dict[str, str]]:
    """This operation's own admin and key: a logout or revoke the fuzzer sends ends no other's."""
    admin = client.register()
    token = {"Authorization": f"Bearer {admin['accessToken']}"}
    created = client.post("/v1/api-keys", headers=token, json={"name": "fuzz", "scopes": list(route_map.SCOPES)})
    assert created.status_code == 201, created.text
    return {"token": token, "key": {"X-API-Key": created.json()["data"]["key"]}}


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_document_says(case, client: Client, credentials):
    auth = None
    if case.operation.definition.raw.get("security") == []:
        headers = {}
    elif "sigv4" in str(case.operation.definition.raw.get("security")):
        headers, auth = {}, client.operator_auth()
    elif "apiKey" in str(case.operation.definition.raw.get("security")):
        headers = credentials["key"]
    else:
        headers = credentials["token"]
    case.call_and_validate(base_url=client.base_url, session=client.session(next(SOURCES)), headers=headers,
                           checks=CHECKS, auth=auth)
    OPERATIONS.add(case.operation.label)
    RUN["requests"] += 1
    RUN["checks"] += len(CHECKS)

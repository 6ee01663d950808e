"""Every function logs through `latchkey.logs`, not Powertools' Logger (its import is a cold-start
cost): its lines must keep Powertools' keys, so that queries written for Powertools read them."""

import functools
import io
import json
import logging
from types import SimpleNamespace

import pytest
from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging import correlation_paths

from latchkey import logs

CONTEXT = SimpleNamespace(function_name="LoginFunction", memory_limit_in_mb=256,
                          invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:login",
                          aws_request_id="lambda-request-1")
EVENT = {"requestContext": {"requestId": "gateway-request-1"}}


@pytest.fixture(autouse=True)
def _traced(monkeypatch):  # as in a traced invocation
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")


@functools.cache  # Powertools keeps one logger per service name: build it once
def _powertools_line() -> dict:
    out = io.StringIO()
    logger = Logger(service="latchkey", logger_handler=logging.StreamHandler(out))

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
    def handler(event, context):
        logger.info("ok", extra={"status": 200, "route": "/v1/auth/login"})

    handler(EVENT, CONTEXT)
    return json.loads(out.getvalue().splitlines()[-1])


def _our_line() -> dict:
    out = io.StringIO()
    collector = logging.StreamHandler(out)
    collector.setFormatter(logs.JsonLines())
    logs.logger.addHandler(collector)
    try:
        @logs.with_request_id
        def handler(event, context):
            logs.logger.info("ok", extra={"status": 200, "route": "/v1/auth/login"})

        handler(EVENT, CONTEXT)
    finally:
        logs.logger.removeHandler(collector)
    return json.loads(out.getvalue().splitlines()[-1])


def test_a_line_has_exactly_the_keys_powertools_writes():
    ours, theirs = _our_line(), _powertools_line()
    assert sorted(ours) == sorted(theirs)


def test_a_line_carries_the_same_values_but_the_time_and_place():
    ours, theirs = _our_line(), _powertools_line()
    for key in ("level", "message", "function_name", "function_memory_size", "function_arn",
                "function_request_id", "correlation_id", "xray_trace_id", "status", "route"):
        assert ours[key] == theirs[key], key
    assert ours["timestamp"][:10] == theirs["timestamp"][:10] and ours["timestamp"].endswith("+0000")


def test_a_line_leaves_out_what_has_no_value():
    out = io.StringIO()
    collector = logging.StreamHandler(out)
    collector.setFormatter(logs.JsonLines())
    logs.logger.addHandler(collector)
    try:
        logs.with_request_id(lambda event, context: logs.logger.info("ok"))({}, CONTEXT)
    finally:
        logs.logger.removeHandler(collector)
    assert "correlation_id" not in json.loads(out.getvalue())

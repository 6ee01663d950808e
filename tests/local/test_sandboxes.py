"""The Lambda side: a sandbox runs past its Timeout or crashes, and the gateway answers as AWS does."""

from __future__ import annotations

import textwrap
import threading

import pytest

from local import build
from local.gateway import LocalApi
from local.lambda_runtime import Outcome, Sandboxes
from local.template import Function, Template


def _functions(tmp_path, source: str, timeout: int = 1) -> dict[str, Function]:
    (tmp_path / "app.py").write_text(textwrap.dedent(source))
    return {"ProbeFunction": Function(logical_id="ProbeFunction", code_dir=tmp_path, handler="app.handler",
                                      environment={}, policies=[], timeout=timeout)}


@pytest.fixture
def sandboxes(tmp_path, monkeypatch):
    """Sandboxes for a probe function whose build folder is `tmp_path` (no layers)."""
    made = []

    def make(source: str, timeout: int = 1) -> Sandboxes:
        monkeypatch.setattr(build, "merged_opt", lambda layers: tmp_path / "no-layers")
        made.append(Sandboxes(_functions(tmp_path, source, timeout), {"ProbeFunction": tmp_path}, {}))
        return made[-1]

    yield make
    for pool in made:
        pool.stop()


def test_a_handler_past_its_timeout_is_stopped_and_the_next_call_is_a_cold_start(sandboxes):
    pool = sandboxes("""
        import time
        def handler(event, context):
            time.sleep(event.get("sleep", 0))
            return {"remaining": context.get_remaining_time_in_millis()}
    """)
    first = pool.invoke("ProbeFunction", {})
    assert first.status == "ok" and first.init_ms is not None and 0 < first.result["remaining"] <= 1000
    assert pool.invoke("ProbeFunction", {}).init_ms is None  # warm: the same sandbox
    assert pool.invoke("ProbeFunction", {"sleep": 3}).status == "timeout"
    assert pool.invoke("ProbeFunction", {}).init_ms is not None  # the timed-out sandbox is gone


def test_only_a_caller_that_waits_less_cuts_an_invocation_short_of_the_functions_timeout(sandboxes):
    """The gateway waits 29 s for a function whose Timeout is longer; a queue's poller or Lambda's Invoke
    waits for the function's own Timeout (the import worker's 300 s)."""
    pool = sandboxes("""
        import time
        def handler(event, context):
            time.sleep(event.get("sleep", 0))
            return {"remaining": context.get_remaining_time_in_millis()}
    """, timeout=4)
    assert pool.invoke("ProbeFunction", {"sleep": 1.5}, integration_timeout=0.5).status == "integration_timeout"
    assert pool.invoke("ProbeFunction", {"sleep": 1.5}).status == "ok"  # past the other caller's limit
    assert pool.invoke("ProbeFunction", {}, integration_timeout=29).status == "ok"  # longer than the Timeout
    assert pool.invoke("ProbeFunction", {"sleep": 5}, integration_timeout=29).status == "timeout"


def test_a_crashed_sandbox_is_a_function_error_and_is_replaced(sandboxes):
    pool = sandboxes("""
        import os
        def handler(event, context):
            if event.get("crash"):
                os._exit(3)
            if event.get("raise"):
                raise RuntimeError("boom")
            return {"ok": True}
    """)
    assert pool.invoke("ProbeFunction", {"crash": True}).status == "error"
    assert pool.invoke("ProbeFunction", {"raise": True}).status == "error"
    assert pool.invoke("ProbeFunction", {}).result == {"ok": True}


def test_concurrent_calls_scale_out_to_more_sandboxes_as_lambda_does(sandboxes):
    pool = sandboxes("""
        import os, time
        def handler(event, context):
            time.sleep(0.3)
            return {"pid": os.getpid()}
    """, timeout=5)
    results: list[Outcome] = []
    threads = [threading.Thread(target=lambda: results.append(pool.invoke("ProbeFunction", {}))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r.result["pid"] for r in results}) == 3
    assert all(r.init_ms is not None for r in results)


class _Answers:
    """A Lambda backend that answers every invocation with one outcome."""

    def __init__(self, outcome: Outcome):
        self.outcome = outcome

    def invoke(self, function_id: str, event: dict, integration_timeout: float | None = None) -> Outcome:
        return self.outcome


PUBLIC_ROUTE = ("POST", "/v1/auth/login")


@pytest.mark.parametrize("outcome, status", [
    (Outcome("timeout"), 502),  # a Lambda timeout is a function error to API Gateway
    (Outcome("error"), 502),
    (Outcome("ok", {"body": "no status code"}), 502),  # a malformed proxy answer
    (Outcome("integration_timeout"), 504),  # past API Gateway's 29 s
])
def test_function_failures_become_the_gateways_5xx_in_the_envelope(outcome, status):
    api = LocalApi(Template.load(), _Answers(outcome))
    response = api.handle(*PUBLIC_ROUTE, [("Content-Type", "application/json")], b"{}", "127.0.0.1")
    assert response.status == status
    assert response.json()["success"] is False and response.json()["error"]["code"] == "INTERNAL_ERROR"


def test_integration_headers_api_gateway_renames_are_renamed_locally_too():
    answer = {"statusCode": 401, "headers": {"WWW-Authenticate": "Bearer", "Content-Type": "application/json"},
              "body": "{}"}
    response = LocalApi(Template.load(), _Answers(Outcome("ok", answer))).handle(*PUBLIC_ROUTE, [], b"", "127.0.0.1")
    names = [name for name, _ in response.headers]
    assert "x-amzn-Remapped-WWW-Authenticate" in names and "WWW-Authenticate" not in names

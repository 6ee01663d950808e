"""Stopping is bounded: the local API (Ctrl-C, or a test's terminate()) ends its busy sandboxes instead
of waiting for their handlers, leaves by itself if stopping still hangs, and a test's teardown kills
what does not stop rather than hang or leave it behind."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from local.lambda_runtime import Outcome
from tests.local.test_sandboxes import sandboxes  # noqa: F401 - a fixture
from tests.support import ROOT, stop_process

LONG = 25  # a handler's sleep that only a bounded stop cuts short (its timeout, 28 s, lets it finish)


def test_stopping_ends_a_busy_sandbox_at_once_and_starts_no_new_one(sandboxes, tmp_path):  # noqa: F811
    pool = sandboxes(f"""
        import pathlib, time
        def handler(event, context):
            pathlib.Path(event["started"]).touch()
            time.sleep({LONG})
            return {{"finished": True}}
    """, timeout=LONG + 3)
    started = tmp_path / "started"
    outcome: list[Outcome] = []
    busy = threading.Thread(target=lambda: outcome.append(pool.invoke("ProbeFunction", {"started": str(started)})))
    busy.start()
    while not started.exists() and busy.is_alive():
        time.sleep(0.05)  # not join(timeout): a timed wait never returns under libfaketime
    pool.stop()
    busy.join()
    assert [o.status for o in outcome] == ["error"], "the handler was let finish: stopping waited for it"
    after = pool.invoke("ProbeFunction", {"started": str(started)})
    assert after.status == "error" and after.init_ms is None, "a stopped pool started a sandbox"


def test_a_stop_that_hangs_leaves_within_its_bound_in_one_line():
    hanging = "import time; from local.__main__ import leave_within; leave_within(1); time.sleep(600)"
    result = subprocess.run([sys.executable, "-c", hanging], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["make dev: stopping took more than 1 s; leaving without waiting further"]


def test_a_process_that_ignores_sigterm_is_killed_not_waited_for():
    stubborn = subprocess.Popen([sys.executable, "-c", "import signal, sys, time; signal.signal(signal.SIGTERM, "
                                 "signal.SIG_IGN); print('ready', flush=True); time.sleep(600)"],
                                stdout=subprocess.PIPE, text=True)
    assert stubborn.stdout.readline() == "ready\n"  # SIGTERM is ignored from here on
    assert stop_process(stubborn, 1) is False
    assert stubborn.returncode == -9
    stubborn.stdout.close()


@pytest.mark.skipif(sys.platform != "linux", reason="parent-death signals are Linux's (prctl)")
def test_a_test_run_killed_without_its_teardown_takes_its_local_api_with_it(tmp_path):
    said = tmp_path / "said"
    child = ("import signal, sys, time; signal.signal(signal.SIGTERM, lambda *_: (print('stopping', flush=True), "
             "sys.exit(0))); print('ready', flush=True); time.sleep(600)")
    run = (f"import subprocess, sys, time; from tests.support import _ends_with_us; "
           f"p = subprocess.Popen([sys.executable, '-c', {child!r}], stdout=open({str(said)!r}, 'w'), "
           f"preexec_fn=_ends_with_us); print(p.pid, flush=True); time.sleep(600)")
    test_run = subprocess.Popen([sys.executable, "-c", run], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    pid = int(test_run.stdout.readline())
    while "ready" not in (said.read_text() if said.exists() else ""):
        time.sleep(0.05)
    test_run.kill()  # no teardown runs
    test_run.wait()
    test_run.stdout.close()
    for _ in range(600):  # the orphan's SIGTERM is immediate; a minute at most before failing
        if "stopping" in said.read_text():
            break
        time.sleep(0.1)
    assert said.read_text().split() == ["ready", "stopping"], f"pid {pid} outlived the test run"

"""A short run of `make load`: concurrent clients with mixed traffic against the local API, no 5xx,
and every write accounted for afterwards (sessions, refresh generations, audit events)."""

import os
import subprocess
import sys

from tests.support import ROOT


def test_a_short_load_run_answers_no_5xx_and_accounts_for_every_write():
    env = {**os.environ, "LOAD_CLIENTS": "2", "LOAD_SECONDS": "4", "PYTHONUNBUFFERED": "1"}
    run = subprocess.run([sys.executable, "-m", "bench.load"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "5xx: 0; writes accounted for: yes" in run.stdout
    assert "requests/s" in run.stdout and "p99" in run.stdout

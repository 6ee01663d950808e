"""The README's dev-only commands start as `make` starts them: `python -m <package>` from the root, with
nothing of pytest's path. `make bench` once failed at its first import (it named the layer's code
before anything put the layer on the path) while every test passed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support import ROOT


@pytest.mark.parametrize("module", ["bench.__main__", "bench.load", "local.__main__", "contract.__main__"])
def test_the_command_imports_as_make_runs_it(module):
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # Imported, not run: each runs its work under `if __name__ == "__main__"`.
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_bench_recorder_takes_what_the_gateway_passes():
    """`make bench` records each function's outcome by wrapping the stack's invoke: the wrapper must
    take every argument the gateway passes (its 29 s integration timeout broke it once)."""
    from types import SimpleNamespace

    from bench.__main__ import Recorder

    passed = []
    functions = SimpleNamespace(invoke=lambda function_id, event, integration_timeout=None: passed.append(
        (function_id, integration_timeout)) or "outcome")
    Recorder(SimpleNamespace(functions=functions))
    assert functions.invoke("MeFunction", {}, 29) == "outcome" and passed == [("MeFunction", 29)]

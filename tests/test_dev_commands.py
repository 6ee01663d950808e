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

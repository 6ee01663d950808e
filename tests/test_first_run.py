"""The first run as a newcomer meets it (the Makefile, in a copy of its own): a missing or wrong
interpreter is one line naming a way to get Python 3.12 on Debian 12 and on macOS, and the install
is never silent for long."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

HINTS = ("uv python install 3.12", "pyenv install 3.12", "brew install python@3.12")


@pytest.fixture
def checkout(tmp_path) -> Path:
    """What the Makefile reads, without a virtualenv."""
    (tmp_path / "layers" / "latchkey").mkdir(parents=True)
    for name in ("Makefile", "requirements-dev.txt", "layers/latchkey/requirements.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def _script(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + text)
    path.chmod(0o755)
    return str(path)


def _make(checkout: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=checkout, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "MAKEFLAGS": ""})


@pytest.mark.parametrize("interpreter, problem", [
    ("/nonexistent/python3.12", "PYTHON=/nonexistent/python3.12 does not exist"),
    ("{old}", "{old} is Python 3.11.2"),
    ("/bin/false", "/bin/false is not a Python interpreter"),
    ("", "there is no python3.12 or python3 on PATH"),
])
def test_a_missing_or_wrong_interpreter_is_one_line_naming_how_to_get_3_12(checkout, interpreter, problem):
    old = _script(checkout / "bin" / "python3.11", "echo 3.11.2\n")  # answers like Debian 12's python3
    result = _make(checkout, "dev", f"PYTHON={interpreter.format(old=old)}")
    assert result.returncode != 0 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "Latchkey needs Python 3.12" in line and problem.format(old=old) in line, line
    assert all(hint in line for hint in HINTS), line
    assert "make dev PYTHON=/path/to/python3.12" in line and "Traceback" not in line
    assert not (checkout / ".venv").exists()


def test_the_install_says_it_is_still_going_while_pip_is_silent(checkout):
    """A pip that works a while without a word (installing the collected packages does, for a minute on
    a first run): the output still has a line every TICK seconds (10 by default; 1 here)."""
    _script(checkout / ".venv" / "bin" / "python", f'exec {sys.executable} "$@"\n')
    _script(checkout / ".venv" / "bin" / "pip", "echo 'Collecting boto3==1.0'\n"
                                                 "echo 'Installing collected packages: boto3, botocore'\n"
                                                 "sleep 5\necho 'Successfully installed boto3-1.0'\n")
    result = _make(checkout, ".venv/.installed", "TICK=1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1:3] == ["  Collecting boto3==1.0", "  Installing the collected packages (the longest step) ..."]
    done = lines.index("  Successfully installed boto3-1.0")
    ticks = lines[3:done] + lines[done + 1:]  # (one more may land as pip ends)
    assert lines[3:done] and all(line.startswith("  ... still installing (") for line in ticks), lines


def test_every_test_file_that_reads_the_clock_is_run_at_midnight_by_make_test_any_hour():
    import re

    from tests.any_hour import CLOCK_TESTS, READS_THE_CLOCK

    reading = {str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("test_*.py")
               if re.search(READS_THE_CLOCK, path.read_text()) and "browser" not in path.parts}
    assert reading <= set(CLOCK_TESTS), f"not run at midnight: {sorted(reading - set(CLOCK_TESTS))}"
    assert all((ROOT / path).is_file() for path in CLOCK_TESTS)

"""The tests' fixtures and the run's hooks, at the root so that a module's tests (examples/<name>/tests/)
have them too: the template's stack in this process (handler and security tests), the local API as a
separate process on a free port (end-to-end tests), the pinned clock. What is not a fixture is in
tests/support.py."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from examples import ENABLED
from tests.support import Client, LocalApiProcess, MovingClock, random_ip

# The modules' layers, as the built functions have them: their tests may import their code.
sys.path += [str(Path(__file__).parent / 'examples' / name / 'layer') for name in ENABLED]


@pytest.fixture
def clock(monkeypatch) -> MovingClock:
    """The clock every use case reads (`latchkey.rules.clock.now`), pinned at `PINNED_NOW` and moved
    only by the test (`clock.advance(1800)`)."""
    from latchkey.rules import clock as clock_module

    moving = MovingClock()
    monkeypatch.setattr(clock_module, "now", moving)
    return moving


@pytest.fixture(scope="session")
def local_api():
    from local.runtime import start_local_api

    aws, api = start_local_api()
    yield api
    aws.stop()


@pytest.fixture(autouse=True)
def _own_source_ip(request):
    """Every test that talks HTTP does so from its own 127.x.y.z address."""
    if "client" in request.fixturenames:
        request.getfixturevalue("client").source_ip = random_ip()


@pytest.fixture(scope="session")
def server_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("local-api") / "server.log"


@pytest.fixture(scope="session")
def client(server_log) -> Client:
    local = LocalApiProcess(server_log, "--ephemeral", "--function-logs")
    client = Client(local.base_url)
    client.aws_endpoint = local.aws_endpoint
    client.operator = local.operator
    yield client
    local.stop()


# --- what `make test` shows: a line as each area starts, and the time each took at the end ------------


def _area(nodeid: str) -> str:
    """The top-level folder a test lives in (`tests/e2e/...` -> e2e); the checks of the project as a
    whole (`tests/test_*.py`: template, import contracts, error table) are `project`."""
    parts = nodeid.split("::")[0].split("/")
    if parts[0] == "examples":
        return "examples"
    return parts[1] if len(parts) > 2 and parts[0] == "tests" else "project"


_AREA_NOTES = {
    "browser": "the dashboard in headless Chromium, against the local API",
    "contract": "the OpenAPI document and the request bodies",
    "e2e": "HTTP against the local API (started once, from the sam build output)",
    "endpoints": "your own endpoints (make endpoint), over HTTP",
    "examples": "the example modules (examples/): their handlers and their HTTP flows",
    "handlers": "each function's handler under moto, in this process",
    "local": "the local runtime: sandboxes, gateway rules, restarts",
    "project": "the template, import contracts, error table",
    "security": "the attacks: forged and stolen tokens, races, enumeration",
    "unit": "pure rules, no AWS",
}


class AreaClock:
    """A pytest plugin: wall time per area, from its first test's start to its last test's end (the
    setup of session fixtures included: the local API starts inside the first area that asks for it)."""

    def __init__(self, terminal):
        self.terminal = terminal
        self.current = ""
        self.started = 0.0
        self.seconds: dict[str, float] = {}
        self.tests: dict[str, int] = {}
        self.failed: dict[str, int] = {}

    def pytest_runtest_logstart(self, nodeid, location):
        area = _area(nodeid)
        if area != self.current:
            self.current, self.started = area, time.monotonic()
            self.seconds.setdefault(area, 0.0)
            writer = getattr(self.terminal, "_tw", None)  # the progress dots leave the line open
            if writer is not None and writer.width_of_current_line:
                self.terminal.write("\n")
            self.terminal.write_line(f"{area}: {_AREA_NOTES.get(area, area)}", bold=True)

    def pytest_runtest_logfinish(self, nodeid, location):
        now = time.monotonic()
        if _area(nodeid) == self.current:
            self.seconds[self.current] += now - self.started
            self.started = now

    def pytest_runtest_logreport(self, report):
        area = _area(report.nodeid)
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.tests[area] = self.tests.get(area, 0) + 1
        if report.failed:
            self.failed[area] = self.failed.get(area, 0) + 1

    def pytest_terminal_summary(self, terminalreporter):
        if not self.seconds:
            return
        terminalreporter.write_sep("=", "time per area")
        for area, seconds in sorted(self.seconds.items(), key=lambda item: -item[1]):
            failed = f", {self.failed[area]} failed" if self.failed.get(area) else ""
            terminalreporter.write_line(f"  {area:<9} {seconds:7.1f} s {self.tests.get(area, 0):5d} tests{failed}")
        terminalreporter.write_line(f"  {'total':<9} {sum(self.seconds.values()):7.1f} s")


@pytest.hookimpl(trylast=True)  # after the terminal reporter is there
def pytest_configure(config):
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    if terminal is not None and not hasattr(config, "workerinput"):  # not inside a pytest-xdist worker
        config.pluginmanager.register(AreaClock(terminal), "area-clock")


# --- leaving: the run is over and reported ----------------------------------------------------------


def pytest_sessionfinish(session, exitstatus):
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


_EXIT_STATUS = pytest.StashKey[int]()


@pytest.hookimpl(trylast=True)  # after every other plugin's unconfigure
def pytest_unconfigure(config):
    """Leave without the interpreter's teardown, which frees the in-process moto's tables object by
    object: silent seconds after a file, far more after a full run on busy cores. Only for a run
    started from the command line (`python -m pytest`), never one inside another process's pytest."""
    status = config.stash.get(_EXIT_STATUS, None)
    if status is None or hasattr(config, "workerinput") or not sys.argv[0].endswith(("pytest", "__main__.py")):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)

"""`make endpoint NAME=list_widgets ROUTE="GET /v1/widgets" SCOPE=widgets:read`, in a copy of the
repository, and nothing else edited: the route is declared, generated and lint-clean, and from the
built functions a user's token and a key holding the scope get 200 with their organization, a key
without it 403 INSUFFICIENT_SCOPE, no credential 401 (the scaffold's own test, run there). Deleting
what it wrote gives back the repository as it was."""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT
from tools.endpoint import Refused, scaffold

BIN = Path(sys.executable).parent


def _copy(target: Path) -> Path:
    """The repository's files as a clone has them (tracked and new, not ignored), with the build cache
    and the virtualenv of this checkout (so the build is an incremental one)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    if (ROOT / ".aws-sam").is_dir():
        shutil.copytree(ROOT / ".aws-sam", target / ".aws-sam", symlinks=True)
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


# The variables this run's in-process stack put in its environment (a function's, as the template names
# them: its tables', secrets' and key sets'): the copy's own stack names its own.
_STACK = set(re.findall(r"^ +([A-Z][A-Z0-9_]+): ", (ROOT / "template.yaml").read_text(), re.MULTILINE))


def _run(repo: Path, *command: str, timeout: int = 600) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTEST_")) and k not in _STACK}
    return subprocess.run(command, cwd=repo, env=environment, capture_output=True, text=True, timeout=timeout)


def test_a_scaffolded_endpoint_is_served_as_declared_and_removing_it_restores_the_repository(tmp_path):
    repo = _copy(tmp_path / "repo")
    made = _run(repo, "make", "endpoint", "NAME=list_widgets", "ROUTE=GET /v1/widgets", "SCOPE=widgets:read")
    assert made.returncode == 0, made.stdout + made.stderr
    assert "GET /v1/widgets is declared" in made.stdout
    written = ["api/endpoints/list_widgets.py", "functions/list_widgets/app.py", "tests/endpoints/test_list_widgets.py"]
    assert all((repo / name).is_file() for name in written)
    assert '"widgets:read"' in (repo / "dashboard" / "scopes.json").read_text()  # the dashboard's checkboxes

    lint = _run(repo, str(BIN / "ruff"), "check", *written)
    assert lint.returncode == 0, lint.stdout
    build = _run(repo, str(BIN / "python"), "-m", "local.build")
    assert build.returncode == 0, build.stdout + build.stderr
    tested = _run(repo, str(BIN / "python"), "-m", "pytest", "-p", "no:randomly", "tests/endpoints",
                  "tests/contract/test_drift.py", "tests/contract/test_declarations.py")
    assert tested.returncode == 0, tested.stdout[-4000:]
    assert re.search(r"endpoints +[\d.]+ s +3 tests\n", tested.stdout), tested.stdout[-2000:]  # none skipped

    for name in written:
        (repo / name).unlink()
    shutil.rmtree(repo / "functions" / "list_widgets")
    regenerated = _run(repo, str(BIN / "python"), "-m", "contract")
    assert regenerated.returncode == 0, regenerated.stderr
    for generated in ("template.yaml", "docs/openapi.json", "dashboard/scopes.json", "events/me.json",
                      "layers/latchkey/latchkey/edge/route_index.py", "layers/latchkey/latchkey/rules/scopes.py"):
        assert filecmp.cmp(ROOT / generated, repo / generated, shallow=False), f"{generated} did not come back"


@pytest.mark.parametrize(("name", "route", "scope", "summary", "says"), [
    ("ListWidgets", "GET /v1/widgets", None, "", "is not snake_case"),
    ("list_widgets", "FETCH /v1/widgets", None, "", 'is not "METHOD /path"'),
    ("list_widgets", "GET v1/widgets", None, "", 'is not "METHOD /path"'),
    ("list_widgets", "GET /v1/../widgets", None, "", 'is not "METHOD /path"'),
    ("list_widgets", "GET /v1/widgets", "widgets", "", "is not resource:action"),
    ("list_widgets", "GET /v1/widgets", None, 'x" + __import__("os").getcwd() + "', "SUMMARY="),
    ("list_keys", "GET /v1/api-keys", None, "", "is declared already"),
    ("get_key", "DELETE /v1/api-keys/{keyId}", None, "", "is declared already"),  # {id} there: one name
    ("me", "GET /v1/me-again", None, "", "exists already"),
])
def test_a_request_that_would_clash_or_is_malformed_is_refused_in_one_line_and_writes_nothing(
        tmp_path, name, route, scope, summary, says):
    with pytest.raises(Refused, match=re.escape(says)):
        scaffold(tmp_path, name, route, scope, summary)
    assert list(tmp_path.iterdir()) == []


def _declared(tmp_path, name: str, route: str, scope: str | None):
    """The route a scaffolded declaration gives (written under `tmp_path`, taken in as api/ takes it)."""
    import runpy

    from api.endpoint import Endpoint
    from api.routes import _yours

    scaffold(tmp_path, name, route, scope)
    endpoint = runpy.run_path(str(tmp_path / "api" / "endpoints" / f"{name}.py"))["ENDPOINT"]
    assert isinstance(endpoint, Endpoint)
    return endpoint, _yours(endpoint)


def test_without_a_scope_the_endpoint_is_for_signed_in_users_only(tmp_path):
    _, declared = _declared(tmp_path, "my_widgets", "GET /v1/my-widgets", None)
    assert declared.callers == {"user"} and declared.scope is None


def test_a_new_scope_of_a_route_that_changes_things_is_a_write_scope_and_of_a_read_one_is_not(tmp_path):
    writing, _ = _declared(tmp_path / "a", "create_widget", "POST /v1/widgets", "widgets:write")
    reading, _ = _declared(tmp_path / "b", "list_widgets", "GET /v1/widgets", "widgets:read")
    assert writing.scope_write and not reading.scope_write

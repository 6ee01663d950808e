"""A module is an example, not the core: in a copy of the repository, delete its folder
(examples/<name>/) and its line in examples/__init__.py, regenerate (`python -m contract`), and what
is left is a working auth service: lint-clean, generated files consistent, built, and its
declarations', handlers' and HTTP tests pass (the whole `make test` of such a copy: docs/testing.md).
For each enabled module (the assessment example: its routes, tables, scopes and result-token keys)."""

from __future__ import annotations

import re
import shutil

import pytest

from examples import ENABLED
from tests.test_make_endpoint import BIN, _copy, _run

# A cross-section of `make test` that exercises what the module touched in the core: the declarations
# and what is generated from them, scopes and keys, idempotent creates, account deletion, the walk-through.
SUITE = ("tests/contract", "tests/test_template.py", "tests/test_access_rights.py", "tests/test_error_table.py",
         "tests/test_import_contracts.py", "tests/unit", "tests/handlers/test_api_keys.py",
         "tests/handlers/test_idempotency.py", "tests/handlers/test_key_rotation.py",
         "tests/e2e/test_api_keys.py", "tests/e2e/test_recovery.py", "tests/e2e/test_readme_walkthrough.py")


@pytest.mark.parametrize("name", ENABLED)
def test_without_a_module_latchkey_builds_and_its_tests_pass(tmp_path, name):
    repo = _copy(tmp_path / "repo")
    shutil.rmtree(repo / "examples" / name)
    enabled = repo / "examples" / "__init__.py"
    text = enabled.read_text()
    (line,) = [line for line in text.splitlines(keepends=True) if line.strip().startswith(f'"{name}"')]
    enabled.write_text(text.replace(line, ""))

    regenerated = _run(repo, str(BIN / "python"), "-m", "contract")
    assert regenerated.returncode == 0, regenerated.stdout + regenerated.stderr
    template = (repo / "template.yaml").read_text()
    assert f"examples/{name}/" not in template
    if len(ENABLED) == 1:  # Latchkey alone: its own scope only
        scopes = (repo / "layers" / "latchkey" / "latchkey" / "rules" / "scopes.py").read_text()
        assert re.search(r'SCOPES = \("organization:read",?\)', scopes), scopes
    lint = _run(repo, str(BIN / "ruff"), "check", ".")
    assert lint.returncode == 0, lint.stdout
    build = _run(repo, str(BIN / "python"), "-m", "local.build")
    assert build.returncode == 0, build.stdout + build.stderr
    tested = _run(repo, str(BIN / "python"), "-m", "pytest", "-p", "no:randomly", *SUITE, timeout=1500)
    assert tested.returncode == 0, tested.stdout[-6000:]
    assert " failed" not in tested.stdout and re.search(r"\d+ passed", tested.stdout), tested.stdout[-2000:]

"""The docs site and the README: the site builds with `mkdocs build --strict` (a broken link or anchor
fails), its reference pages are what `python -m contract` generates from the code, the README stays a
front door whose links resolve, and no page speaks of anything an outside reader cannot see."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from contract import reference
from tests.support import ROOT

README = ROOT / "README.md"
PAGES = sorted((ROOT / "docs").rglob("*.md"))

# Words that point at the project's own history or tracker, which no reader outside can follow.
INTERNAL = re.compile(
    r"\bseeds?\b(?!ed)|\bseed (?:document|client)|\bopen issues?\b|\bissues? #?\d+|\bHS256 release\b|"
    r"\bthe lead\b|\bclosing notes?\b|\bsessions? of the project\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("path", sorted(reference.pages()), ids=lambda p: p.name)
def test_reference_pages_are_what_the_code_generates(path: Path):
    assert path.read_text() == reference.pages()[path], f"run `python -m contract` and commit {path.name}"


def test_the_site_builds_strictly(tmp_path):
    """Strict: a link to a page or an anchor that does not exist is an error, not a warning."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "reference" / "errors" / "index.html").exists()


def test_the_readme_is_a_front_door():
    lines = README.read_text().splitlines()
    assert len(lines) <= 300, f"the README has {len(lines)} lines: move the detail into docs/"
    assert "make dev" in README.read_text() and "make test" in README.read_text()


def test_every_link_of_the_readme_resolves():
    text = README.read_text()
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert links
    for link in links:
        if re.match(r"https?://", link):
            continue
        target, _, anchor = link.partition("#")
        path = ROOT / target
        assert path.exists(), f"the README links to {link}, which does not exist"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", path.read_text(), re.M)
            slugs = {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}
            assert anchor in slugs, f"the README links to {link}: no such heading"


@pytest.mark.parametrize("path", [README, *PAGES], ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_speaks_of_what_an_outside_reader_cannot_see(path: Path):
    found = sorted({m[0] for m in INTERNAL.finditer(path.read_text())})
    assert not found, f"{path.relative_to(ROOT)} refers to {found}: write for an engineer outside the project"


# A test a page names: `tests/x/test_y.py`, with `::test_name` (a `*` ends a prefix), or a bare
# `test_y.py::test_name` / `::test_name` after one (the page's last named file).
_NAMED_TEST = re.compile(r"`((?:tests|examples)/[\w/]+\.py|test_\w+\.py)?(?:::(test_\w+\*?))?`")


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT / "docs")))
def test_every_test_a_page_names_exists(path: Path):
    """A page that says which test proves a rule (the OAuth conformance table, the security pages)
    names tests that are there: renamed or removed, the page fails here."""
    files = {p.name: p for p in [*(ROOT / "tests").rglob("test_*.py"), *(ROOT / "examples").rglob("test_*.py")]}
    missing, current = [], None
    for named_file, named_test in _NAMED_TEST.findall(path.read_text()):
        if named_file.startswith("tests/endpoints/"):  # what `make endpoint` writes for the reader
            current = None
            continue
        if named_file:
            current = ROOT / named_file if "/" in named_file else files.get(named_file)
            if current is None or not current.exists():
                missing.append(named_file)
                continue
        if named_test and current is not None:
            prefix = named_test.rstrip("*")
            found = re.search(rf"def {prefix}" + ("" if named_test.endswith("*") else r"\b"), current.read_text())
            if not found:
                missing.append(f"{current.name}::{named_test}")
    assert not missing, f"{path.name} names tests that do not exist: {missing}"

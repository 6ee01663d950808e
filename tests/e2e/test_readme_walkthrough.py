"""The docs site's walk-through runs as written: every shell block of the page, in order, in one bash session
against a fresh local API; each request's status must be the one its line announces (`# -> 200`),
and every request line announces one. The README's five-minute tour (and its copy in the getting-started
page) runs as written too, against the local API with its demo account."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.support import ROOT, Client, LocalApiProcess

ANNOUNCED = re.compile(r"#\s*->\s*(\d{3})\s*$")


WALKTHROUGH = ROOT / "docs" / "getting-started" / "walkthrough.md"
TOURS = (ROOT / "README.md", ROOT / "docs" / "getting-started" / "index.md")
# A reader's shell, with nothing of ours; but a clock moved for the whole run (libfaketime) stays moved
# for the script's own python3 too, or its TOTP codes would be the real clock's.
SHELL_ENV = {"PATH": "/usr/bin:/bin",
             **{k: v for k, v in os.environ.items() if k.startswith("FAKETIME") or k == "LD_PRELOAD"}}


def shell_blocks(page: Path) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", page.read_text(), flags=re.S)


def runs_as_written(page: Path, tmp_path: Path, client: Client | None = None) -> None:
    """Every shell block of `page`, in order, in one bash session against a fresh local API (or the
    session's, `client`, for a page that signs up an organization of its own): each request gets the
    status its line announces (`# -> 200`), and every request line announces one."""
    blocks = shell_blocks(page)
    announced = [int(m[1]) for block in blocks for line in block.splitlines() if (m := ANNOUNCED.search(line))]
    requests = sum(len(re.findall(r"\bcurl -s", block)) for block in blocks)
    assert requests == len(announced) > 0, "every curl line announces the status it gets (# -> NNN)"

    local = None if client else LocalApiProcess(tmp_path / "walkthrough.log", "--ephemeral", "--no-demo")
    statuses = tmp_path / "statuses"
    script = "\n".join([
        "set -u",
        # Each request's status goes to a file of its own; the commands stay exactly as written.
        f"""curl() {{ command curl -w '%{{stderr}}%{{http_code}}\\n' "$@" 2>>{statuses}; }}""",
        *blocks,
    ])
    try:
        result = subprocess.run(["bash", "-c", script], env={**SHELL_ENV, "B": (client or local).base_url},
                                capture_output=True, text=True, timeout=300)
    finally:
        if local:
            local.stop()
    got = [int(s) for s in statuses.read_text().split()] if statuses.exists() else []
    assert result.returncode == 0 and not result.stderr, result.stderr
    assert got == announced, f"statuses {got}\nannounced {announced}\nout:\n{result.stdout[-3000:]}"


def test_the_walkthrough_runs_top_to_bottom(tmp_path):
    runs_as_written(WALKTHROUGH, tmp_path)


@pytest.mark.parametrize("page", TOURS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_five_minute_tour_runs_as_written(client: Client, page: Path):
    """Each request must succeed (curl fails on a 4xx or 5xx); from this test's own source address."""
    (tour,) = [b for b in re.findall(r"```sh\n(.*?)```", page.read_text(), re.S) if "demo@latchkey.dev" in b]
    script = "\n".join([
        "set -euo pipefail",
        f"""curl() {{ command curl --fail-with-body --interface {client.source_ip} "$@"; }}""",
        tour.replace("http://127.0.0.1:3000", client.base_url),
    ])
    result = subprocess.run(["bash", "-c", script], env=SHELL_ENV, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"email":"demo@latchkey.dev"' in result.stdout and '"current":true' in result.stdout
    assert '"keys":[{' in result.stdout

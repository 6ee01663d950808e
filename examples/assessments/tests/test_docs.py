"""The module's page (docs.md, on the docs site as docs/examples.md) runs as written: its walk-through,
every request with the status it announces, against the local API."""

from tests.e2e.test_readme_walkthrough import runs_as_written
from tests.support import ROOT, Client


def test_the_modules_walkthrough_runs_top_to_bottom(client: Client, tmp_path):
    runs_as_written(ROOT / "examples" / "assessments" / "docs.md", tmp_path, client)

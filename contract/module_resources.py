"""template.yaml's `modules` region: each enabled module's own resources (examples/<name>/resources.yaml:
its layer, its secrets), copied as they are. Its tables and functions go in the other regions."""

from __future__ import annotations

from api.modules import MODULES, ROOT
from contract import regions

REGION, SOURCE = "modules", "examples/"


def render_region() -> str:
    blocks = []
    for module in MODULES:
        lines = (ROOT / module.home / "resources.yaml").read_text().splitlines()
        while lines and lines[0].startswith("#"):  # the file's own header, for its reader
            lines.pop(0)
        blocks.append("\n".join([f"  # {module.home}/resources.yaml", *lines]).rstrip())
    return "\n\n".join(blocks) or "  # (no module enabled)"


def render_template(text: str) -> str:
    return regions.replace(text, REGION, SOURCE, render_region())

"""Everything `python -m contract` writes, as {path: text}: in memory for the drift test
(tests/contract/test_drift.py), to disk for `python -m contract`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from contract import (
    bodies,
    document,
    events,
    module_docs,
    module_resources,
    reference,
    route_index,
    tables,
    template,
)
from local.template import ROOT, TEMPLATE


def _declared() -> dict[Path, str]:
    """What follows from api/ alone: template.yaml's functions and tables regions, the layer's index, scopes
    and item prefixes, events/."""
    return {
        TEMPLATE: template.render(tables.render_template(module_resources.render_template(TEMPLATE.read_text()))),
        tables.ITEMS: tables.render_items(),
        route_index.INDEX: route_index.render_index(),
        route_index.SCOPES: route_index.render_scopes(route_index.SCOPES.read_text()),
        route_index.TOKENS: route_index.render_purposes(route_index.TOKENS.read_text()),
        **events.files(),
    }


def _documented() -> dict[Path, str]:
    """What also reads template.yaml (its routes as deployed, its gateway responses and parameters)."""
    text = document.render()
    return {
        document.DOCUMENT: text,
        document.PUBLISHED: document.render_published(text),
        document.DASHBOARD_SCOPES: document.render_scopes(),
        document.DASHBOARD_AUDIT_TYPES: document.render_audit_types(),
        bodies.bodies.SCHEMAS: bodies.render(),
        module_docs.PAGE: module_docs.render(),
        **reference.pages(),
    }


def files() -> dict[Path, str]:
    """Every generated file's text (the documented ones from template.yaml as committed)."""
    return {**_declared(), **_documented()}


def write() -> list[Path]:
    """Writes the declared files, then the documented ones in a fresh process: this one imported the
    layer's route index and scopes before they were written again (a new route would be unknown)."""
    written = _write(_declared())
    documented = subprocess.run([sys.executable, "-c", "from contract import generated; generated.write_documented()"],
                                cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout.splitlines()
    return written + [Path(path) for path in documented]


def write_documented() -> None:
    for path in _write(_documented()):
        print(path)


def _write(files: dict[Path, str]) -> list[Path]:
    for path, text in files.items():
        path.write_text(text)
    return list(files)

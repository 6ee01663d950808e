"""The enabled modules (examples/__init__.py), as declared in examples/<name>/declaration.py: what
api/routes.py, functions.py, tables.py, access.py and scopes.py take in after Latchkey's own. Each
module's layer goes on the import path, so its declaration can name its models."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import replace
from pathlib import Path

from api import tables as latchkey_tables
from api.module import Module
from api.table import Table
from examples import ENABLED

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str) -> Module:
    layer = str(ROOT / "examples" / name / "layer")
    if layer not in sys.path:
        sys.path.append(layer)
    module: Module = importlib.import_module(f"examples.{name}.declaration").MODULE
    assert module.name == name, f"examples/{name} declares the module {module.name!r}"
    if importlib.util.find_spec(f"{module.package}.errors"):  # its refusals join the error registry
        importlib.import_module(f"{module.package}.errors")
    # Its functions live in its folder, and each has its layer after the Globals'.
    functions = tuple(replace(f, home=module.home, layers=(module.layer, *f.layers)) for f in module.functions)
    return replace(module, functions=functions)


MODULES: tuple[Module, ...] = tuple(_load(name) for name in ENABLED)


def tables() -> tuple[Table, ...]:
    """Every table of the stack: Latchkey's, then the modules'."""
    return (*latchkey_tables.TABLES, *(t for module in MODULES for t in module.tables))

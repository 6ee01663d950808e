"""What a module is: an API of your own behind Latchkey, in a folder of its own (examples/<name>/) with
its routes, functions, tables, rights, API-key scopes and signing keys declared here, its handlers in
functions/, its shared code in a layer (layer/), its template resources (resources.yaml: the layer,
secrets), its tests and its docs page. api/modules.py takes in the enabled ones; removing one is
deleting its folder and its line in examples/__init__.py, then `python -m contract`."""

from __future__ import annotations

from dataclasses import dataclass

from api.function import Function
from api.key_set import KeySet
from api.route import Route
from api.scope import Scope
from api.table import Right, Rights, Table


@dataclass(frozen=True)
class Module:
    name: str  # its folder, examples/<name>/
    layer: str  # the logical id of its layer (resources.yaml): every function of it has it, after the Globals'
    package: str  # the layer's package: `python -m contract` imports its errors (the error registry) from it
    routes: tuple[Route, ...]
    functions: tuple[Function, ...]  # folders under examples/<name>/functions/
    rights: dict[str, tuple[Right, ...]]  # each function's named rights (api/access.py's RIGHTS)
    tables: tuple[Table, ...] = ()
    namespaces: tuple[type[Rights], ...] = ()  # its rights' namespaces (its tables' and its keys')
    scopes: tuple[Scope, ...] = ()
    key_sets: tuple[KeySet, ...] = ()  # its token purposes' signing keys (their secrets: resources.yaml)
    # What goes with an organization: "package.module:function", called with the organization's id by the
    # delete-account function when its last member leaves; that function gets the module's layer and these rights.
    on_organization_deleted: str = ""
    organization_deleted_rights: tuple[Right, ...] = ()

    @property
    def home(self) -> str:
        return f"examples/{self.name}"

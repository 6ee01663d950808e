"""Your own endpoint, declared once in a module of api/endpoints/ (`make endpoint` writes one): its
route, who may call it, the scope an API key needs (and the scope itself, if no one declared it yet),
what it answers, and the named access rights its function holds. api/routes.py, functions.py,
access.py and scopes.py take every such declaration in with Latchkey's own, so `python -m contract`
writes its template events and function, its IAM, its route-index entry, its sample event, its part
of the OpenAPI document and the docs' tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from api.tables import Right
from latchkey.rules.records import ADMIN  # noqa: F401 - for declarations: role=ADMIN
from latchkey.rules.scopes import API_KEY, PUBLIC, USER  # noqa: F401 - the kinds of caller

NAME = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


@dataclass(frozen=True)
class Endpoint:
    name: str  # snake_case: functions/<name>/app.py serves it, as <Name>Function
    method: str
    path: str  # the API Gateway resource path, `/v1/widgets/{id}`
    summary: str
    view: type  # the model of the answer's `data` (a latchkey.edge.schemas.base.View)
    callers: tuple[str, ...] = (USER, API_KEY)
    scope: str | None = None  # what an API key needs; None: signed-in users only
    scope_description: str = ""  # declares `scope` when no other declaration does
    # Declaring it: a write scope, which only an organization's admin can put on a key (a route for
    # admins only, role=ADMIN, must take a write scope, or any member could mint a key for it).
    scope_write: bool = False
    role: str | None = None  # ADMIN: only an organization's admins (users); keys are judged by the scope
    step_up: bool = False
    status: int = 200
    body: type | None = None  # the request body's model (a latchkey.edge.schemas.base.Body)
    errors: dict[int, tuple[str, ...]] = field(default_factory=dict)  # beyond what the route's kind implies
    rights: tuple[Right, ...] = ()  # api/tables.py's named rights its function holds, e.g. ACCOUNTS.read_organization

    def __post_init__(self) -> None:
        if isinstance(self.callers, str):  # (USER) is a string, not a one-caller tuple: (USER,)
            raise TypeError(f"{self.name}: callers must be a tuple, e.g. (USER,)")

    @property
    def logical_id(self) -> str:
        return logical_id(self.name)


def logical_id(name: str) -> str:
    """`list_widgets` -> `ListWidgetsFunction`: the template's id of the function serving it."""
    return "".join(part.capitalize() for part in name.split("_")) + "Function"

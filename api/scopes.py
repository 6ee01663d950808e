"""The scopes an API key can hold, declared once: validation (latchkey.rules.scopes, generated), the
dashboard's checkboxes (dashboard/scopes.json), the docs' scope table and the OpenAPI document are
written from this by `python -m contract`. A scope's routes say which scope they need (api/routes.py)."""

from __future__ import annotations

from dataclasses import dataclass

from api.endpoints import ENDPOINTS


@dataclass(frozen=True)
class Scope:
    name: str
    description: str  # what a key with it may do, in a few words (the dashboard, the docs, OpenAPI)
    write: bool = False  # a write scope: only an organization admin can create a key holding it


SCOPES: tuple[Scope, ...] = (
    Scope("assessments:read", "Read the organization's assessments"),
    Scope("candidates:read", "Read the organization's candidates and their status"),
    Scope("candidates:write", "Invite candidates to an assessment", write=True),
    Scope("results:read", "Exchange a result token for a candidate's full result"),
)

# Your own endpoints' new scopes (api/endpoints/): each declared where it is first used.
SCOPES += tuple({endpoint.scope: Scope(endpoint.scope, endpoint.scope_description, endpoint.scope_write)
                 for endpoint in ENDPOINTS
                 if endpoint.scope and endpoint.scope_description
                 and endpoint.scope not in {s.name for s in SCOPES}}.values())

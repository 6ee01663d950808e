"""The scopes an API key can hold, declared once: validation (latchkey.rules.scopes, generated), the
dashboard's checkboxes (dashboard/scopes.json), the docs' scope table and the OpenAPI document are
written from this by `python -m contract`. A scope's routes say which scope they need (api/routes.py)."""

from __future__ import annotations

from api.endpoints import ENDPOINTS
from api.modules import MODULES
from api.scope import Scope

SCOPES: tuple[Scope, ...] = (
    Scope("organization:read", "Read the organization: its name and settings"),
)
# The modules' scopes (examples/<name>/declaration.py).
SCOPES += tuple(scope for module in MODULES for scope in module.scopes)

# Your own endpoints' new scopes (api/endpoints/): each declared where it is first used.
SCOPES += tuple({endpoint.scope: Scope(endpoint.scope, endpoint.scope_description, endpoint.scope_write)
                 for endpoint in ENDPOINTS
                 if endpoint.scope and endpoint.scope_description
                 and endpoint.scope not in {s.name for s in SCOPES}}.values())

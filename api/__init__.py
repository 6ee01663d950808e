"""What a team declares once about the API it deploys: its routes, functions, tables and API-key
scopes. Dev-only (not deployed): `python -m contract` derives the template's generated regions, the
authorizer's index, events/, the OpenAPI document and the docs' tables from it."""

import sys
from pathlib import Path

_LAYER = str(Path(__file__).resolve().parent.parent / "layers" / "latchkey")
if _LAYER not in sys.path:  # the declarations name the layer's rules (roles, limits), as its code sees them
    sys.path.insert(0, _LAYER)

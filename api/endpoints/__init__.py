"""Your own endpoints: one module each, named after its function (`make endpoint` writes them), each
holding one `ENDPOINT` (api/endpoint.py). Deleting a module (and its functions/<name>/) removes the
endpoint: `python -m contract` writes everything else again without it."""

from __future__ import annotations

import importlib
import pkgutil

from api.endpoint import Endpoint


def _declared() -> tuple[Endpoint, ...]:
    names = sorted(module.name for module in pkgutil.iter_modules(__path__))
    return tuple(importlib.import_module(f"{__name__}.{name}").ENDPOINT for name in names)


ENDPOINTS: tuple[Endpoint, ...] = _declared()

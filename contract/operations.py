"""What each function behind the API answers, by its folder (`functions/<name>/`): its models, its success
status, the refusals its use case can make, and the walk-through's example body. Derived from the
declaration (api/routes.py: the operation on each function's first route); nothing is written here."""

from __future__ import annotations

from api.functions import by_id
from api.routes import LINK_REFUSALS, PASSWORD, ROUTES, TOKEN_REFUSALS, Operation  # noqa: F401 - re-exported

_FOLDERS = {f.logical_id: f.folder for f in by_id().values()}

OPERATIONS: dict[str, Operation] = {_FOLDERS[r.function]: r.operation for r in ROUTES if r.operation is not None}

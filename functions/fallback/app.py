"""What no route answers: 404 for an unknown path, 405 with `Allow` for a known path's other methods."""

from latchkey.edge import route_map
from latchkey.edge.http import Request, api_handler
from latchkey.errors import MethodNotAllowed, NotFound


@api_handler(guarded=False)
def handler(request: Request) -> dict:
    allowed = route_map.allowed_methods(request.resource)
    if not allowed:
        raise NotFound("No such route")
    raise MethodNotAllowed(f"{request.method} is not allowed on {request.resource}", allowed=allowed)

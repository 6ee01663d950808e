"""`make endpoint NAME=list_widgets ROUTE="GET /v1/widgets" SCOPE=widgets:read`: your own endpoint behind
Latchkey's authorizer, in minutes. Writes its one declaration (api/endpoints/<name>.py: the route, who
may call it, the scope and, if new, the scope itself), its handler (functions/<name>/app.py) and its
test (tests/endpoints/test_<name>.py), then `python -m contract` writes everything that follows from
the declaration. `make dev` serves it right after; nothing else needs editing.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
PATH = re.compile(r"(/([A-Za-z0-9_-][A-Za-z0-9._-]*|\{[A-Za-z][A-Za-z0-9]*\}))+")  # no "." or ".." segment
SCOPE = re.compile(r"[a-z][a-z0-9-]*:[a-z][a-z0-9-]*")
SUMMARY = re.compile(r"[A-Za-z0-9 ,.;:()'/-]{1,120}")  # written into Python source: no quotes, no escapes


class Refused(ValueError):
    """A request the scaffold will not carry out: its message says why, in one line."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make endpoint", description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help="snake_case, e.g. list_widgets")
    parser.add_argument("--route", required=True, help='"GET /v1/widgets"')
    parser.add_argument("--scope", default="", help="what an API key needs, e.g. widgets:read (none: users only)")
    parser.add_argument("--summary", default="", help="one line for the docs (default: from the name)")
    args = parser.parse_args(argv)
    try:
        written = scaffold(ROOT, args.name, args.route, args.scope or None, args.summary)
    except Refused as refused:
        print(f"make endpoint: {refused}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    print("generating (python -m contract) ...", flush=True)
    subprocess.run([sys.executable, "-m", "contract"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    method, path = args.route.split()
    print(f"\n{method} {path} is declared. `make dev` serves it; `make test` runs its test. Next: edit "
          f"functions/{args.name}/app.py, and the rights its function holds in api/endpoints/{args.name}.py.")
    return 0


def scaffold(root: Path, name: str, route: str, scope: str | None, summary: str = "") -> list[Path]:
    """The three files of a new endpoint, written under `root`; refused if it would clash."""
    if str(ROOT) not in sys.path:  # the declarations it checks against: this checkout's
        sys.path.insert(0, str(ROOT))
    import contract  # noqa: F401 - the layer on the path
    from api import functions, routes, scopes
    from api.endpoint import NAME, logical_id

    method, _, path = route.strip().partition(" ")
    method, path = method.upper(), path.strip()
    if not NAME.fullmatch(name):
        raise Refused(f"NAME={name!r} is not snake_case (list_widgets)")
    if method not in METHODS or not PATH.fullmatch(path):
        raise Refused(f'ROUTE={route!r} is not "METHOD /path" (GET /v1/widgets, or /v1/widgets/{{id}})')
    if scope and not SCOPE.fullmatch(scope):
        raise Refused(f"SCOPE={scope!r} is not resource:action (widgets:read)")
    if summary and not SUMMARY.fullmatch(summary):
        raise Refused(f"SUMMARY={summary!r}: up to 120 letters, digits, blanks and ,.;:()'/- only")
    # API Gateway knows one variable name per position: /v1/widgets/{id} and /v1/widgets/{widgetId} clash.
    if any(r.method == method and _shape(path) in {_shape(p) for p in r.paths} for r in routes.ROUTES):
        raise Refused(f"{method} {path} is declared already")
    files = {root / "api" / "endpoints" / f"{name}.py": _declaration(name, method, path, scope, summary,
                                                                         new_scope=scope not in
                                                                         {s.name for s in scopes.SCOPES}),
             root / "functions" / name / "app.py": _handler(name, method, path, scope, summary),
             root / "tests" / "endpoints" / f"test_{name}.py": _test(name, method, path, scope)}
    taken = [p for p in files if p.exists()] + ([root / "functions" / name] if (root / "functions" / name).exists()
                                                else [])
    if taken or any(f.logical_id == logical_id(name) for f in functions.FUNCTIONS):
        raise Refused(f"{name} exists already ({', '.join(str(p.relative_to(root)) for p in taken) or 'a function'})")
    tests_package = root / "tests" / "endpoints" / "__init__.py"
    if not tests_package.exists():
        files[tests_package] = '"""Your own endpoints (make endpoint), over HTTP as your clients call them."""\n'
    for file, text in files.items():
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text)
    return list(files)


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _summary(name: str, summary: str) -> str:
    return summary or name.replace("_", " ").capitalize()


def _view(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_")) + "View"


def _declaration(name: str, method: str, path: str, scope: str | None, summary: str, new_scope: bool) -> str:
    callers = "USER, API_KEY" if scope else "USER,"
    scope_lines = f'    scope="{scope}",\n' if scope else ""
    if scope and new_scope:
        scope_lines += f'    scope_description="{scope.split(":")[1].capitalize()} {scope.split(":")[0]}",\n'
        if method != "GET":  # a key that changes things: only an admin can create one holding it
            scope_lines += "    scope_write=True,\n"
    return f'''"""{method} {path}: {_summary(name, summary)}. Declared once, here: `python -m contract` writes its
template events and function, its IAM, its route-index entry, its sample event and its part of the
OpenAPI document and the docs from it."""

from api.endpoint import API_KEY, USER, Endpoint
from latchkey.edge.schemas.base import View


class {_view(name)}(View):
    """What it answers in `data`."""

    organizationId: str  # the caller's organization: scope every read and write by it


ENDPOINT = Endpoint(
    name="{name}",
    method="{method}",
    path="{path}",
    summary="{_summary(name, summary)}",
    view={_view(name)},
    callers=({callers}),
{scope_lines}    rights=(),  # the named rights (api/tables.py) its function holds, e.g. ACCOUNTS.read_organization
)
'''


def _handler(name: str, method: str, path: str, scope: str | None, summary: str) -> str:
    who = f" ({scope})" if scope else ""
    return f'''"""{method} {path}{who}: {_summary(name, summary)}.

The route's declaration (api/endpoints/{name}.py) says who may call it; by the time the handler runs,
the authorizer and the guard have refused everyone else (401, 403 INSUFFICIENT_SCOPE)."""

from latchkey.edge.http import Request, api_handler, respond


@api_handler
def handler(request: Request) -> dict:
    caller = request.principal  # a signed-in user or an API key: kind, organization_id, role, scopes
    return respond({{"organizationId": caller.organization_id}})
'''


def _test(name: str, method: str, path: str, scope: str | None) -> str:
    concrete = re.sub(r"\{[^}]+\}", "x", path)
    keys = f'''

def test_a_key_with_the_scope_is_answered_for_its_organization_and_one_without_is_refused(client: Client):
    owner = client.register()
    with_scope = create_key(client, owner, ["{scope}"])
    answer = client.request("{method}", "{concrete}", headers={{"X-API-Key": with_scope["key"]}})
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["organizationId"] == owner["user"]["organizationId"]
    other = next(s for s in route_map.SCOPES if s != "{scope}")
    without = create_key(client, owner, [other])
    refused = client.request("{method}", "{concrete}", headers={{"X-API-Key": without["key"]}})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "INSUFFICIENT_SCOPE"
''' if scope else ""
    imports = ("from latchkey.edge import route_map\nfrom tests.e2e.test_api_keys import create_key\n"
               "from tests.support import Client\n") if scope else "from tests.support import Client\n"
    return f'''"""{method} {path} over HTTP, as your clients call it: who gets in, and what they see."""

{imports}

def test_a_signed_in_user_is_answered_for_their_organization(client: Client):
    owner = client.register()
    answer = client.request("{method}", "{concrete}", headers=client.bearer(owner["accessToken"]))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {{"success": True, "data": {{"organizationId": owner["user"]["organizationId"]}}}}


def test_no_credential_is_401(client: Client):
    assert client.request("{method}", "{concrete}").status_code == 401
{keys}'''


if __name__ == "__main__":
    sys.exit(main())

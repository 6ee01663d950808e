"""template.yaml's generated region: every Lambda function resource, from the declarations (api/functions.py:
the function; api/routes.py: its API events and the routes its Description names; api/access.py: its
IAM statements). The rest of template.yaml stays hand-written; `python -m contract` rewrites only what
lies between the region's markers (contract.regions), and a test fails when the committed file differs."""

from __future__ import annotations

import json
import re
import textwrap

from api import access, routes
from api.functions import FALLBACK, FUNCTIONS, Function
from api.iam import Statement, ref
from contract import regions
from latchkey.rules.scopes import OPERATOR, PUBLIC

REGION = "functions"
SOURCE = "api/functions.py, api/routes.py, api/access.py"
_API = "LatchkeyApi"
_WIDTH = 104  # comments wrap here, as the hand-written ones did

# The fallback's events as the deployed stack names them (each name is in its permission's logical id,
# so a rename replaces the permission): kept. A path added later gets a name derived from it.
_FALLBACK_EVENT_NAMES = {
    "/{proxy+}": "AnyUnknownPath", "/openapi.json": "AnyOpenApi", "/v1/auth/register": "AnyRegister",
    "/v1/auth/login": "AnyLogin", "/api/v1/auth/login": "AnyLoginPrefixed", "/v1/auth/me": "AnyMe",
    "/v1/auth/refresh": "AnyRefresh", "/api/v1/auth/refresh": "AnyRefreshPrefixed", "/v1/auth/logout": "AnyLogout",
    "/api/v1/auth/logout": "AnyLogoutPrefixed", "/v1/auth/logout-all": "AnyLogoutAll",
    "/v1/auth/sessions": "AnySessions", "/v1/auth/sessions/{id}": "AnySession", "/v1/assessments": "AnyAssessments",
    "/v1/auth/2fa/setup": "AnyTwoFactorSetup", "/v1/auth/2fa/enable": "AnyTwoFactorEnable",
    "/v1/auth/2fa/disable": "AnyTwoFactorDisable", "/v1/auth/verify-2fa": "AnyVerifyTwoFactor",
    "/api/v1/auth/verify-2fa": "AnyVerifyTwoFactorPrefixed", "/v1/auth/reauthenticate": "AnyReauthenticate",
    "/v1/auth/passkeys": "AnyPasskeys", "/v1/auth/passkeys/{id}": "AnyPasskey",
    "/v1/auth/identities": "AnyIdentities", "/v1/auth/identities/{id}": "AnyIdentity",
    "/v1/auth/passkeys/register/options": "AnyPasskeyRegisterOptions",
    "/v1/auth/passkeys/register": "AnyPasskeyRegister", "/v1/auth/passkeys/login/options": "AnyPasskeyLoginOptions",
    "/v1/auth/passkeys/login": "AnyPasskeyLogin", "/v1/auth/verify-email": "AnyVerifyEmail",
    "/v1/auth/verify-email/resend": "AnyResendVerification", "/v1/auth/forgot-password": "AnyForgotPassword",
    "/v1/auth/magic-link": "AnyMagicLink", "/v1/auth/magic-link/verify": "AnyVerifyMagicLink",
    "/v1/auth/email-code": "AnyEmailCode", "/v1/auth/email-code/verify": "AnyVerifyEmailCode",
    "/v1/auth/reset-password": "AnyResetPassword", "/v1/auth/change-password": "AnyChangePassword",
    "/v1/auth/change-email": "AnyChangeEmail", "/v1/auth/change-email/cancel": "AnyCancelEmailChange",
    "/v1/auth/delete-account": "AnyDeleteAccount", "/.well-known/jwks.json": "AnyJwks",
    "/v1/audit-events": "AnyAuditEvents", "/v1/organization": "AnyOrganization",
    "/v1/public/candidates": "AnyCandidates", "/v1/public/candidates/{id}": "AnyCandidate",
    "/v1/candidate/complete": "AnyComplete", "/v1/public/results/{token}": "AnyResult", "/v1/api-keys": "AnyApiKeys",
    "/v1/api-keys/{id}": "AnyApiKey", "/v1/public/assessments": "AnyPublicAssessments",
    "/v1/public/assessments/{id}": "AnyPublicAssessment", "/v1/organization/members": "AnyMembers",
    "/v1/organization/members/{userId}": "AnyMember", "/v1/organization/members/{userId}/sessions": "AnyMemberSessions",
    "/v1/organization/invitations": "AnyInvitations", "/v1/organization/invitations/{id}": "AnyInvitation",
    "/v1/auth/accept-invitation": "AnyAcceptInvitation",
    "/v1/organization/apps": "AnyApps", "/v1/organization/apps/{id}": "AnyApp",
    "/v1/organization/apps/{id}/rotate-secret": "AnyAppRotateSecret",
    "/.well-known/openid-configuration": "AnyOpenIdConfiguration",
    "/.well-known/oauth-authorization-server": "AnyOAuthAuthorizationServer",
    "/.well-known/oauth-protected-resource": "AnyOAuthProtectedResource",
    "/oauth2/authorize": "AnyOAuthAuthorize", "/oauth2/token": "AnyOAuthToken",
    "/oauth2/authorize/decision": "AnyOAuthAuthorizeDecision", "/oauth2/userinfo": "AnyOAuthUserInfo",
    "/oauth2/revoke": "AnyOAuthRevoke", "/oauth2/introspect": "AnyOAuthIntrospect",
}


# --- YAML, as the template writes it: short-form intrinsics, flow lists of scalars ---------------------

_KEYWORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def _scalar(value: object, flow: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    # Quoted where YAML would read it otherwise, and where a reader would wonder (#, *, ${...}).
    unsafe = (not text or text[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in text or text.endswith(":")
              or text.lower() in _KEYWORDS or re.fullmatch(r"[-+.\d][\d._eE+-]*", text) is not None
              or text != text.strip() or any(mark in text for mark in ("#", "*", "${"))
              or (flow and any(c in text for c in ",[]{}")))
    return json.dumps(text, ensure_ascii=False) if unsafe else text


def _inline(value: object, flow: bool = False) -> str | None:
    """`value` on one line, or None when it takes a block."""
    if isinstance(value, dict) and len(value) == 1:
        (key, arg), = value.items()
        if key == "Ref":
            return f"!Ref {arg}"
        if key == "Fn::GetAtt":
            return f"!GetAtt {'.'.join(arg) if isinstance(arg, list) else arg}"
        if key == "Fn::Sub" and isinstance(arg, str):
            return f"!Sub {_scalar(arg, flow)}"
        if key in ("Fn::Select", "Fn::Split", "Fn::Join", "Fn::If", "Fn::Equals"):
            inner = _inline(arg, flow=True)
            return None if inner is None else f"!{key.removeprefix('Fn::')} {inner}"
    if isinstance(value, dict):
        if not flow:
            return None
        parts = [f"{k}: {_inline(v, flow=True)}" for k, v in value.items()]
        return None if any(p.endswith("None") for p in parts) else "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        parts = [_inline(v, flow=True) for v in value]
        return None if None in parts else "[" + ", ".join(parts) + "]"
    return _scalar(value, flow)


def _block(head: str, value: object, indent: int, block_list: bool = False) -> list[str]:
    """Lines for `head` ("Key:" or "-") and `value` at `indent`."""
    pad = " " * indent
    one = None if (block_list and isinstance(value, list)) else _inline(value)
    if one is not None:
        return [f"{pad}{head} {one}"]
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith("Fn::"):
        (key, arg), = value.items()  # a long-form intrinsic: its arguments as a block list under it
        return [f"{pad}{head} !{key.removeprefix('Fn::')}", *_items(arg, indent + 2)]
    if isinstance(value, dict):
        lines = [line for key, item in value.items() for line in _block(f"{key}:", item, indent + 2)]
        if head == "-":
            return [f"{pad}- {lines[0].lstrip()}", *lines[1:]]
        return [f"{pad}{head}", *lines]
    return [f"{pad}{head}", *_items(value, indent + 2)]


def _items(values: list, indent: int) -> list[str]:
    return [line for value in values for line in _block("-", value, indent)]


def _comment(text: str, indent: int) -> list[str]:
    pad = " " * indent
    return [f"{pad}# {line}" for paragraph in text.split("\n")
            for line in textwrap.wrap(paragraph, _WIDTH - indent - 2, break_on_hyphens=False)]


# --- the functions ------------------------------------------------------------------------------------

def _statement(statement: Statement, indent: int) -> list[str]:
    pad = " " * indent
    lines = _comment(statement.why, indent) if statement.why else []
    actions = list(statement.actions)
    resources = list(statement.resources)
    lines.append(f"{pad}- Effect: {statement.effect}")
    lines += _block("Action:", actions[0] if len(actions) == 1 else actions, indent + 2)
    lines += _block("Resource:", resources[0] if len(resources) == 1 else resources, indent + 2, block_list=True)
    if statement.condition:
        lines += _block("Condition:", statement.condition, indent + 2)
    return lines


def event_names(function: str) -> dict[tuple[str, str], str]:
    """The API events of one function, by (method, path): its first route's is `Api`, an alias's `ApiPrefixed`,
    another route's named after its path's first part (`Public` for /v1/public/...)."""
    names: dict[tuple[str, str], str] = {}
    for route in (r for r in routes.ROUTES if r.function == function):
        for path in route.paths:
            if not names:
                name = "Api"
            elif path.startswith("/api/"):
                name = "ApiPrefixed"
            else:
                name = _camel(path.split("/")[2] if path.startswith("/v1/") else path.strip("/").split("/")[0])
            while name in names.values():
                name += "Again"
            names[(route.method, path)] = name
    return names


def description(function: Function) -> str:
    own = [f"{r.method} {r.path}" for r in routes.ROUTES if r.function == function.logical_id]
    return " ".join(part for part in (" and ".join(own), function.description) if part)


def _api_event(name: str, method: str, path: str, callers: frozenset[str]) -> list[str]:
    lines = [f"        {name}:", "          Type: Api", "          Properties:", f"            RestApiId: !Ref {_API}",
             f"            Path: {_scalar(path)}", f"            Method: {method}"]
    if PUBLIC in callers:
        lines += ["            Auth:", "              Authorizer: NONE"]
    elif OPERATOR in callers:  # SigV4, judged by IAM policy: the Lambda authorizer is not on it
        lines += ["            Auth:", "              Authorizer: AWS_IAM"]
    return lines


def _fallback_name(path: str) -> str:
    if path in _FALLBACK_EVENT_NAMES:
        return _FALLBACK_EVENT_NAMES[path]
    # A parameter is "One" (/v1/admin/users/{id}: AnyAdminUsersOne), so a collection and its item differ.
    parts = [("One" if p.startswith("{") else p) for p in path.split("/") if p and p not in ("api", "v1")]
    return "Any" + "".join(_camel(p) for p in parts) + ("Prefixed" if path.startswith("/api/") else "")


def _camel(text: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[-_.]", text) if word)


def fallback_paths() -> list[str]:
    """Every resource path the API has: the fallback answers the methods no route serves there."""
    paths = ["/{proxy+}"]
    for route in routes.ROUTES:
        paths += [p for p in route.paths if p not in paths]
    return paths


def _function(function: Function) -> list[str]:
    lines = _comment(function.comment, 2) if function.comment else []
    lines += [f"  {function.logical_id}:", "    Type: AWS::Serverless::Function", "    Properties:",
              f"      CodeUri: {function.code_uri}", f"      Description: {_scalar(description(function))}"]
    if function.timeout is not None:
        lines.append(f"      Timeout: {function.timeout}")
    if function.memory is not None:
        lines.append(f"      MemorySize: {function.memory}")
    if function.layers:
        lines += ["      Layers:", *(f"        - !Ref {layer}" for layer in function.layers)]
    variables = {**access.environment(function.logical_id), **function.environment}  # its rights' first
    if any(r.step_up for r in routes.ROUTES if r.function == function.logical_id):  # the guard reads it
        variables["REAUTH_MAX_AGE_SECONDS"] = ref("ReauthMaxAgeSeconds")
    if variables:
        lines += ["      Environment:", "        Variables:"]
        lines += [line for key, value in variables.items() for line in _block(f"{key}:", value, 10)]
    statements = access.policies(function.logical_id)
    if statements:
        lines += ["      Policies:", "        - Statement:"]
        lines += [line for statement in statements for line in _statement(statement, 12)]
    events: list[str] = []
    for route in (r for r in routes.ROUTES if r.function == function.logical_id):
        names = event_names(function.logical_id)
        for path in route.paths:
            events += _api_event(names[(route.method, path)], route.method, path, route.callers)
    if function.logical_id == FALLBACK:
        for path in fallback_paths():
            events += [f"        {_fallback_name(path)}:", "          Type: Api",
                       f"          Properties: {{RestApiId: !Ref {_API}, Path: {_scalar(path, flow=True)}, "
                       "Method: ANY, Auth: {Authorizer: NONE}}"]
    for name, event in function.events.items():
        events += _block(f"{name}:", event, 8)
    if events:
        lines += ["      Events:", *events]
    return lines


def render_region() -> str:
    return "\n\n".join("\n".join(_function(function)) for function in FUNCTIONS)


def render(text: str) -> str:
    """template.yaml's `text` with its functions region written from the declarations."""
    return regions.replace(text, REGION, SOURCE, render_region())

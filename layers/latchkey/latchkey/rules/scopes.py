"""Who can call what: the kinds of caller, the scopes an API key can hold, and which scopes write (an
admin's call). The route map (edge) and the API key use case both read these; neither owns them. The
scopes are declared in api/scopes.py (with what each allows) and written here by `python -m contract`."""

from __future__ import annotations

PUBLIC = "public"  # no credential; the authorizer is not attached
USER = "user"  # a JWT access token from login/register (the dashboard)
API_KEY = "api_key"  # pk_live_… as X-API-Key or Bearer (server-to-server)
# An AWS IAM principal (a SigV4-signed request: API Gateway's AWS_IAM on the route): the team's own servers
# and people, granted by IAM policy. Never a Latchkey token or key: the Lambda authorizer is not on its routes.
OPERATOR = "operator"

# >>> generated: scopes (python -m contract, from api/scopes.py; edit that, not this)
SCOPES = ("organization:read", "assessments:read", "candidates:read", "candidates:write", "results:read")
WRITE_SCOPES = frozenset({"candidates:write"})
# <<< generated: scopes

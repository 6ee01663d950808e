"""What a team declares once about the API it deploys: its routes, functions, tables and API-key
scopes. Dev-only (not deployed): `python -m contract` derives the template's generated regions, the
authorizer's index, events/, the OpenAPI document and the docs' tables from it."""

"""The wire shapes: one pydantic model per request body and per response's `data`, by area (a
function imports only its area's models, so it builds only those at cold start). `Body` and `View`
are in `base`; the OpenAPI document is generated from these models (`python -m contract`)."""

"""`python -m contract`: write everything derived from the declarations in api/ (routes, functions, scopes,
access, tables): template.yaml's functions and tables regions, the stores' key prefixes and projections
(latchkey/store/items.py), the layer's route index and scope list, events/*.json, the
OpenAPI document (docs/openapi.json and the deployed function's copy), the dashboard's scope list, the
compiled request bodies (latchkey/edge/bodies.json) and the docs site's reference pages (docs/reference/).
tests/contract/test_drift.py regenerates all of it in memory and fails when a committed file differs."""

from contract import generated

if __name__ == "__main__":
    for path in generated.write():
        print(f"wrote {path}")

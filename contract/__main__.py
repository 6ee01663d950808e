"""`python -m contract`: write the OpenAPI document (docs/openapi.json and the deployed function's copy), the
dashboard's scope list, the compiled request bodies (latchkey/edge/bodies.json), the docs site's
reference pages (docs/reference/), and the tables (template.yaml's `tables` region and the layer's
latchkey/store/items.py, from api/tables.py)."""

from contract import bodies, document, reference, tables

if __name__ == "__main__":
    for path in [*document.write(), *bodies.write(), *reference.write(), *tables.write()]:
        print(f"wrote {path}")

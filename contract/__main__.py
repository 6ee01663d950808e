"""`python -m contract`: write the OpenAPI document (docs/openapi.json and the deployed function's copy), the
dashboard's scope list, and the compiled request bodies (latchkey/edge/bodies.json)."""

from contract import bodies, document

if __name__ == "__main__":
    for path in [*document.write(), *bodies.write()]:
        print(f"wrote {path}")

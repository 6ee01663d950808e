"""`python -m contract`: write the OpenAPI document (docs/openapi.json and the deployed function's copy), the
dashboard's scope list, the compiled request bodies (latchkey/edge/bodies.json) and the docs site's
reference pages (docs/reference/)."""

from contract import bodies, document, reference

if __name__ == "__main__":
    for path in [*document.write(), *bodies.write(), *reference.write()]:
        print(f"wrote {path}")

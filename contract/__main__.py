"""`python -m contract`: write the OpenAPI document (docs/openapi.json and the deployed function's copy) and the
dashboard's scope list."""

from contract.document import write

if __name__ == "__main__":
    for path in write():
        print(f"wrote {path}")

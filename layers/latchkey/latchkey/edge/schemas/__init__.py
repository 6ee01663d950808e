"""The wire shapes: one pydantic model per request body and per response's `data`, by area. They are
the one declaration of each shape: `python -m contract` generates the OpenAPI document and the
compiled bodies the functions validate with (`latchkey.edge.bodies`) from them, and tests hold every
answer to the document. No function imports them at run time. `Body` and `View` are in `base`."""

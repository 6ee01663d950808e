"""The assessment product's shared code (the module examples/assessments): its records, refusals, stores
and use cases, on Latchkey's layer (latchkey: the stores' client, tokens, the error registry)."""

"""The API's contract, dev-only (not deployed, not in the layer): `document` builds the OpenAPI 3.1
document, `operations` says what each function answers, `python -m contract` writes it."""

import api  # noqa: F401 - puts the layer's code on the path, as tests and the local runtime see it

"""The API's contract, dev-only (not deployed, not in the layer): `document` builds the OpenAPI 3.1
document, `operations` says what each function answers, `python -m contract` writes it."""

import sys
from pathlib import Path

_LAYER = str(Path(__file__).resolve().parent.parent / "layers" / "latchkey")
if _LAYER not in sys.path:  # the layer's code, as tests and the local runtime see it
    sys.path.insert(0, _LAYER)

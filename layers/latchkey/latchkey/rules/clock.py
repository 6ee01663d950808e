"""Time in the two shapes the service stores: epoch seconds and ISO 8601 UTC."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now() -> int:
    return int(time.time())


def iso(epoch: int | None = None) -> str:
    moment = datetime.now(UTC) if epoch is None else datetime.fromtimestamp(epoch, UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")

"""Counters for CloudWatch, in the Embedded Metric Format: one JSON line on stdout per metric, which
Lambda ships to the function's log group and CloudWatch turns into a metric. No API call, no SDK.

Forty lines instead of Powertools Metrics: the authorizer's cold-start budget has no room for
Powertools' metrics package and its dependencies (docs: "Operate it", "Metrics, tracing and alarms").
Counts wait for the end of the request (`flush`): a request that fails with a 5xx wrote nothing of
what it counted, and drops them.
"""

from __future__ import annotations

import json
import time

NAMESPACE = "Latchkey"
SERVICE = "latchkey"

_pending: list[tuple[str, tuple[tuple[str, str], ...]]] = []


def count(name: str, **dimensions: str) -> None:
    """One more of `name` in this request; `dimensions` split it (Outcome, Code): few values each."""
    _pending.append((name, tuple(sorted(dimensions.items()))))


def flush(keep: bool = True) -> list[str]:
    """Writes the request's counts (if `keep`) as EMF lines and forgets them; the lines written."""
    lines = [_document(name, dict(dimensions)) for name, dimensions in _pending] if keep else []
    _pending.clear()
    for line in lines:
        print(line, flush=True)  # noqa: T201 - stdout is how EMF reaches CloudWatch
    return lines


def _document(name: str, dimensions: dict[str, str]) -> str:
    return json.dumps({
        "_aws": {"Timestamp": int(time.time() * 1000), "CloudWatchMetrics": [{
            "Namespace": NAMESPACE, "Dimensions": [["service", *dimensions]],
            "Metrics": [{"Name": name, "Unit": "Count"}]}]},
        "service": SERVICE, **dimensions, name: 1,
    }, separators=(",", ":"))

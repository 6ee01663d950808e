"""The authorizer's log lines: the JSON that Powertools' Logger writes for the handlers (same keys), on
the standard library's `logging`, which boto3 has already imported.

Why not Powertools here: the authorizer runs before every request and its cold start has a budget of
1.2x the `import boto3` floor; importing Powertools costs it about 0.04x of that floor (`make bench`),
a third of its whole allowance, for one log line per request. The handlers keep Powertools' Logger.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import Any

_SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "service_undefined")
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_context: dict[str, Any] = {}
_cold_start = True


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "level": record.levelname,
            "location": f"{record.funcName}:{record.lineno}",
            "message": record.getMessage(),
            "timestamp": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(record.created))
            + f",{int(record.msecs):03d}+0000",
            "service": _SERVICE,
            **_context,
            **{k: v for k, v in vars(record).items() if k not in _RESERVED},
        }
        return json.dumps(line, default=str, separators=(",", ":"))


logger = logging.getLogger("latchkey.authorizer")
logger.propagate = False
logger.setLevel(os.environ.get("POWERTOOLS_LOG_LEVEL", os.environ.get("LOG_LEVEL", "INFO")).upper())
_handler = logging.StreamHandler(sys.stdout)
_handler.setFormatter(_JsonLines())
logger.addHandler(_handler)


def with_request_id(handler: Callable[[dict, Any], Any]) -> Callable[[dict, Any], Any]:
    """Every line of an invocation carries the Lambda context and API Gateway's request id, as
    Powertools' `inject_lambda_context(correlation_id_path=API_GATEWAY_REST, clear_state=True)` does."""

    @functools.wraps(handler)
    def wrapped(event: dict, context: Any) -> Any:
        global _cold_start
        _context.clear()
        _context.update({
            "cold_start": _cold_start,
            "function_name": getattr(context, "function_name", ""),
            "function_memory_size": getattr(context, "memory_limit_in_mb", ""),
            "function_arn": getattr(context, "invoked_function_arn", ""),
            "function_request_id": getattr(context, "aws_request_id", ""),
            "correlation_id": ((event or {}).get("requestContext") or {}).get("requestId"),
        })
        _cold_start = False
        return handler(event, context)

    return wrapped

"""The one logger of every function: JSON lines with the keys Powertools' Logger writes (`level`,
`location`, `message`, `timestamp`, `service`, the Lambda context, `cold_start`, `correlation_id`,
then the call's `extra` fields), on the standard library's `logging`, which boto3 has already imported.

Why not Powertools' Logger: every function's cold start has a budget (the authorizer 1.2x the
`import boto3; boto3.client("dynamodb")` floor, the others 1.5x), and importing Powertools costs
each about 0.07x of that floor, for a line or two per request. The keys are Powertools' (a test
holds them equal to the lines Powertools writes), so CloudWatch Logs Insights queries written for
Powertools read these lines, and `POWERTOOLS_SERVICE_NAME` / `POWERTOOLS_LOG_LEVEL` still apply.

    from latchkey.logs import logger
    logger.info("refused", extra={"code": error.code})  # never a value a caller sent
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


class JsonLines(logging.Formatter):
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
        trace = os.environ.get("_X_AMZN_TRACE_ID")  # Lambda sets it per invocation when tracing is on
        if trace:
            line["xray_trace_id"] = trace.split(";")[0].replace("Root=", "")
        # As Powertools does: a key without a value is left out, not written as null.
        return json.dumps({k: v for k, v in line.items() if v is not None}, default=str, separators=(",", ":"))


logger = logging.getLogger("latchkey")
logger.propagate = False
logger.setLevel(os.environ.get("POWERTOOLS_LOG_LEVEL", os.environ.get("LOG_LEVEL", "INFO")).upper())
_handler = logging.StreamHandler(sys.stdout)
_handler.setFormatter(JsonLines())
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

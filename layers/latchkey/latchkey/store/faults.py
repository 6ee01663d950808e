"""What counts as a dependency being unavailable (DynamoDB, Secrets Manager, or the KMS key behind a
secret): throttled, timed out, unreachable or failing on its side. Such a failure answers 503 with
Retry-After, never 401 and never 500: the request was fine, the client should send it again.

And how long a call may take: every call ends inside a function's 10 s timeout, at most 2 attempts
of 1 s to connect and 3 s to read (8 s, and botocore's backoff of at most 1 s), then 503.
"""

from __future__ import annotations

from botocore.config import Config
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as EndpointUnreachable

from latchkey.errors import ServiceUnavailable
from latchkey.settings import get_settings


def client_config() -> Config:
    """For each client, made when the client is (the settings are read by then)."""
    return Config(connect_timeout=1, read_timeout=get_settings().aws_read_timeout,
                  retries={"mode": "standard", "max_attempts": 2})

# Error codes of DynamoDB, Secrets Manager and KMS (as Secrets Manager relays it) that say "not now".
_UNAVAILABLE_CODES = frozenset({
    "ThrottlingException", "Throttling", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
    "TransactionConflictException", "LimitExceededException", "InternalServerError", "InternalFailure",
    "InternalServiceError", "ServiceUnavailable", "ServiceUnavailableException", "RequestTimeout",
    "RequestTimeoutException", "DecryptionFailure", "KMSInternalException", "KMSInvalidStateException",
    "DependencyTimeoutException",
})


def is_unavailable(error: BaseException) -> bool:
    """True if `error`, or what it was raised from, is a dependency that is unavailable right now."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, ServiceUnavailable | EndpointUnreachable | HTTPClientError):  # timeouts, unreachable
            return True
        if isinstance(error, ClientError):
            details = error.response.get("Error", {})
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            return details.get("Code") in _UNAVAILABLE_CODES or status >= 500
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False

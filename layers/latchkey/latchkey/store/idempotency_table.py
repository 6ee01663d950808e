"""The idempotency table, through Powertools' Idempotency utility: a create retried with the same
`Idempotency-Key` (a CRM sync after a timeout) answers what the first one did, once more, without
creating anything. Keys are scoped by the caller (its organization, the user or API key, and the
route), the request body is held to the first one's (another body with the same key is 422), and
records expire after 24 hours.

Imported only when a request carries the header: Powertools' idempotency package is not worth a cold
start otherwise. The record holds the first answer, the created thing's one-time credential included
(an invitation token), for those 24 hours: encrypted at rest, readable only by the creating function.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)

from latchkey.errors import IdempotencyKeyInUse, IdempotencyKeyReused
from latchkey.settings import get_settings
from latchkey.store.dynamodb import client

EXPIRES_AFTER = 24 * 3600

_persistence = DynamoDBPersistenceLayer(table_name=get_settings().idempotency_table, boto3_client=client)
_config = IdempotencyConfig(event_key_jmespath="key", payload_validation_jmespath="body",
                            expires_after_seconds=EXPIRES_AFTER, raise_on_no_idempotency_key=True)
# The create `_once` runs: this thread's own (Powertools keys records by the decorated function's
# name, so it is one module-level function; the in-process handler tests call it from several threads at once).
_pending = threading.local()


@idempotent_function(data_keyword_argument="request", persistence_store=_persistence, config=_config)
def _once(request: dict) -> dict:
    return _pending.create()


def once(scope: str, key: str, body: str, create: Callable[[], dict], lambda_context: Any = None) -> dict:
    """`create()`'s answer, or the stored answer of the first request with `key` in `scope`. A
    refusal (an exception) is not stored: the same request can be sent again. With the Lambda
    context, a record left "in progress" by a crash expires when the invocation would have timed out."""
    _pending.create = create
    if lambda_context is not None:
        _config.register_lambda_context(lambda_context)
    try:
        return _once(request={"key": f"{scope}#{key}", "body": body})
    except IdempotencyValidationError:
        raise IdempotencyKeyReused() from None
    except IdempotencyAlreadyInProgressError:
        raise IdempotencyKeyInUse() from None
    finally:
        _pending.create = None

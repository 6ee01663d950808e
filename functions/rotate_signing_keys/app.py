"""Key rotation, one step: run daily by its schedule, or by hand with `{"force": true}` to start a
rotation now. Not behind the API: its only callers are the schedule and an operator."""

from latchkey.logs import logger, with_request_id
from latchkey.usecases import signing_keys


@with_request_id
def handler(event: dict, context: object) -> dict:
    report = signing_keys.rotate(force=(event or {}).get("force") is True)
    logger.info("signing keys", extra={"keySets": report})  # kids and times only, never key material
    return report

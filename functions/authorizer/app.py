"""REQUEST authorizer for every non-public route: the request's credential -> an IAM policy.

Any failure, expected or not, is a Deny (never an exception, which the gateway would turn into a
500 or a static 401): the caller gets a 401 whose body says why. Scopes are not judged here: a Deny
can only ever be a 401, so the 403s come from the handlers' guard, from the same route map.
"""

from latchkey.edge.authorizer_policy import allow, authenticate, deny, protected_route
from latchkey.edge.http import logger, with_request_id
from latchkey.errors import AuthorizerError, LatchkeyError
from latchkey.usecases import api_keys, sessions


@with_request_id
def handler(event: dict, context: object) -> dict:
    method_arn = event["methodArn"]
    try:
        protected_route(event.get("httpMethod", ""), event.get("resource", ""))
        principal = authenticate(event.get("headers") or {}, access_token=sessions.authenticate,
                                 api_key=api_keys.authenticate)
    except LatchkeyError as error:
        logger.info("denied", extra={"code": error.code, "route": event.get("resource")})
        return deny(error, method_arn)
    except Exception as exc:  # noqa: BLE001 - an authorizer that fails must fail closed
        logger.error("authorizer failure", extra={"error_type": type(exc).__name__})
        return deny(AuthorizerError(), method_arn)
    logger.info("allowed", extra={"kind": principal.kind, "route": event.get("resource")})
    return allow(principal, method_arn)

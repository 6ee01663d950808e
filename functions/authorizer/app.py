"""REQUEST authorizer for every non-public route: the request's credential -> an IAM policy.

A credential that is really bad is a Deny (never `Unauthorized`, whose gateway response is static):
the caller gets a 401 whose body says why. Anything else (DynamoDB or Secrets Manager throttled,
timed out or down; a bug) raises, which API Gateway answers with the AUTHORIZER_FAILURE gateway
response, 503 with Retry-After in template.yaml: a client that refreshes and signs in again on any
401 must not sign its user out over a throttle. Both fail closed. Scopes are not judged here: the
403s come from the handlers' guard, from the same route map.
"""

from latchkey.edge.authorizer_policy import allow, authenticate, deny, protected_route
from latchkey.edge.request import Request
from latchkey.errors import LatchkeyError, ServiceUnavailable
from latchkey.logs import logger, with_request_id
from latchkey.store import metrics
from latchkey.usecases import api_keys, audit, sessions


class DependencyUnavailable(Exception):
    """Raised out of the handler: API Gateway's AUTHORIZER_FAILURE (503), not a Deny."""


@with_request_id
def handler(event: dict, context: object) -> dict:
    method_arn = event["methodArn"]
    request = Request(event)  # a REQUEST authorizer's event carries the same request context
    audit.begin(request.request_id, request.client, "")
    try:
        protected_route(event.get("httpMethod", ""), event.get("resource", ""))
        principal = authenticate(event.get("headers") or {}, access_token=sessions.authenticate,
                                 api_key=api_keys.authenticate)
    except ServiceUnavailable:
        return _fail(ServiceUnavailable.__name__)
    except LatchkeyError as error:
        logger.info("denied", extra={"code": error.code, "route": event.get("resource")})
        metrics.count("AuthorizerDenies", Code=error.code)
        metrics.flush()
        return deny(error, method_arn)
    except Exception as exc:  # noqa: BLE001 - an authorizer that fails must fail closed, and not as a 401
        return _fail(type(exc).__name__)
    logger.info("allowed", extra={"kind": principal.kind, "route": event.get("resource")})
    metrics.flush()
    return allow(principal, method_arn)


def _fail(error_type: str) -> dict:
    logger.error("authorizer failure", extra={"error_type": error_type})
    metrics.count("AuthorizerFailures")
    metrics.flush()
    raise DependencyUnavailable(error_type) from None

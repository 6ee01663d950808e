"""Lambda's Invoke API, locally: a loopback endpoint the sandboxes reach through boto3's standard
`AWS_ENDPOINT_URL_LAMBDA` (every other service is moto, at `AWS_ENDPOINT_URL`), which runs a function
the local stack knows in its sandboxes, for its own Timeout, as Lambda's `Invoke` does.

moto's Lambda runs functions in Docker, which is not here; and moto's server answers one request at a
time, so an invocation served there would hold up every AWS call of the stack, the invoked function's
own too. Whether the caller may invoke the function is its sandbox's IAM check (`lambda:InvokeFunction`
on the function's ARN, from its policies), as in AWS, before the request leaves it.

`RequestResponse` only (what Latchkey's functions call): an answer, or a function error in Lambda's
shape (`X-Amz-Function-Error: Unhandled`, `{"errorMessage", "errorType"}`); a function the stack does
not know is `ResourceNotFoundException`.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

from local.constants import ACCOUNT, REGION
from local.lambda_runtime import Outcome

_INVOKE = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations$")
# A function's name, or its ARN (a qualifier after it: $LATEST is all there is locally).
_NAME = re.compile(r"^(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?([A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?$")

Invoke = Callable[[str, dict], Outcome]  # (function logical id, event) -> its outcome


def function_arn(name: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"


class LocalLambda:
    """The endpoint, on a free loopback port, over `known()` (the stack's functions, as they are now)."""

    def __init__(self, known: Callable[[], set[str]], invoke: Invoke):
        self.known = known
        self.invoke = invoke
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True, name="local-lambda").start()
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"

    def environment(self) -> dict[str, str]:
        return {"AWS_ENDPOINT_URL_LAMBDA": self.endpoint}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path: str, payload: bytes, invocation_type: str) -> tuple[int, dict[str, str], bytes]:
        found = _INVOKE.match(path.split("?", 1)[0])
        asked = unquote(found[1]) if found else path
        name = _NAME.match(asked) if found else None
        if name is None or name[1] not in self.known():
            return _error(404, "ResourceNotFoundException", f"Function not found: {asked}")
        if invocation_type != "RequestResponse":
            return _error(400, "InvalidParameterValueException", "only RequestResponse invocations run locally")
        try:
            event = json.loads(payload or b"{}")
        except ValueError:
            return _error(400, "InvalidRequestContentException", "Could not parse request body into json")
        outcome = self.invoke(name[1], event)
        headers = {"Content-Type": "application/json", "X-Amz-Executed-Version": "$LATEST"}
        if outcome.status == "ok":
            return 200, headers, json.dumps(outcome.result).encode()
        message = {"timeout": "Task timed out"}.get(outcome.status, outcome.error or "the function failed")
        error = {"errorMessage": message, "errorType": "Sandbox.Timedout" if outcome.status == "timeout" else "Error"}
        return 200, {**headers, "X-Amz-Function-Error": "Unhandled"}, json.dumps(error).encode()


def _error(status: int, code: str, message: str) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json", "x-amzn-ErrorType": code}, \
        json.dumps({"Type": "User", "message": message}).encode()


def _handler(api: LocalLambda) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, headers, answer = api.answer(self.path, body,
                                                 self.headers.get("X-Amz-Invocation-Type", "RequestResponse"))
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(answer))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args) -> None:
            pass

    return Handler

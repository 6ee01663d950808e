"""The local API's HTTP front: a threading HTTP server that hands each request to `LocalApi`, or, for
the dashboard's paths, to `StaticSite` (the template's CloudFront split).

The source address API Gateway reports is the TCP peer; like the gateway, the server appends it to
any `X-Forwarded-For` the client sent, which handlers must therefore never trust.
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from local import data_page, docs, local_pages, mailbox
from local.gateway import MAX_PAYLOAD_BYTES, HttpResponse
from local.runtime import LocalStack
from local.static_site import StaticSite

AccessLog = Callable[[str, str, HttpResponse, float], None]  # method, path, response, ms
# Local-only pages, answered before the gateway (never in the template): (method, target) -> answer or None;
# the data page also reads the stack's moto (see make_server).
LOCAL_PAGES = (mailbox.serve, local_pages.serve, docs.serve)
LOOPBACK_HOSTS = ("127.", "localhost", "[::1]")  # local pages only: a rebound DNS name gets the gateway
LOCAL_PATHS = ("/_local", "/docs")  # the local pages' own paths

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class _BadFraming(Exception):
    """The request's body framing (Content-Length / chunked) cannot be trusted."""


def _bad_request(message: str) -> HttpResponse:
    body = json.dumps({"success": False, "error": {"code": "BAD_REQUEST", "message": message}})
    return HttpResponse(400, [("Content-Type", "application/json")], body.encode())


def masked(path: str) -> str:
    """The path for a log line: a segment that may be a token (a JWT, an API key, anything long) is
    masked. Result tokens travel in the path."""
    return re.sub(r"(?<=/)(?:eyJ[^/]*|pk_live_[^/]*|[^/]{41,})", "****", path.partition("?")[0])


def make_server(stack: LocalStack, host: str = "127.0.0.1", port: int = 3000,
                access_log: AccessLog | None = None) -> ThreadingHTTPServer:
    pages = (*LOCAL_PAGES, lambda method, target: data_page.serve(stack.aws, method, target))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "latchkey-local"

        def _read_body(self) -> bytes:
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                return self._read_chunked()
            raw = (self.headers.get("Content-Length") or "0").strip()
            if not raw.isdigit():
                raise _BadFraming("Content-Length must be a non-negative integer")
            length = int(raw)
            if length > MAX_PAYLOAD_BYTES:
                raise OverflowError
            return self.rfile.read(length) if length else b""

        def _read_chunked(self) -> bytes:
            body = b""
            while True:
                size_line = self.rfile.readline(1024).split(b";")[0].strip()
                try:
                    size = int(size_line, 16)
                except ValueError:
                    raise _BadFraming("Malformed chunked body") from None
                if size == 0:
                    while self.rfile.readline(1024).strip():  # trailers
                        pass
                    return body
                if len(body) + size > MAX_PAYLOAD_BYTES:
                    raise OverflowError
                body += self.rfile.read(size)
                self.rfile.readline(1024)

        def _serve(self) -> None:
            started = time.perf_counter()
            try:
                body = self._read_body()
            except OverflowError:
                response, self.close_connection = stack.api.gateway_response("REQUEST_TOO_LARGE"), True
            except _BadFraming as error:
                response, self.close_connection = _bad_request(str(error)), True
            else:
                peer = self.client_address[0]
                headers = [(k, v) for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP]
                forwarded = self.headers.get("X-Forwarded-For")
                headers = [(k, v) for k, v in headers if k.lower() != "x-forwarded-for"]
                headers.append(("X-Forwarded-For", f"{forwarded}, {peer}" if forwarded else peer))
                headers.append(("X-Forwarded-Proto", "http"))
                response = (self._local_page() or self._dashboard_file()
                            or stack.handle(self.command, self.path, headers, body, peer))
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
            if access_log:
                access_log(self.command, masked(self.path), response, (time.perf_counter() - started) * 1000)

        def _local_page(self) -> HttpResponse | None:
            # /_local/ holds mail with one-time links and the tables: this machine's peers only, even
            # when the server listens on another interface (--host).
            if self.path.startswith(local_pages.PREFIX) and not local_pages.is_loopback(self.client_address[0]):
                return local_pages.refused()
            if not (self.headers.get("Host") or "").startswith(LOOPBACK_HOSTS):
                return None
            return next((page for serve in pages if (page := serve(self.command, self.path))), None)

        def _dashboard_file(self) -> HttpResponse | None:
            if self.path.startswith(LOCAL_PATHS):  # never the app's, whatever the host: the gateway's 404
                return None
            return StaticSite(stack.template).serve(self.command, self.path)

        def __getattr__(self, name: str):
            # Every method reaches the gateway (which answers unknown ones like any other: by route).
            if name.startswith("do_"):
                return self._serve
            raise AttributeError(name)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            # Paths can carry tokens (result tokens travel in the path): log nothing per request.
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128  # bursts of parallel clients (the race tests) must queue, not be reset
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

    return Server((host, port), Handler)

"""The local API's HTTP front: a threading HTTP server that hands each request to `LocalApi`.

The source address API Gateway reports is the TCP peer; like the gateway, the server appends it to
any `X-Forwarded-For` the client sent, which handlers must therefore never trust.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from local.gateway import MAX_PAYLOAD_BYTES, LocalApi

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


def make_server(api: LocalApi, host: str = "127.0.0.1", port: int = 3000) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "latchkey-local"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_PAYLOAD_BYTES:
                response = api.gateway_response("REQUEST_TOO_LARGE")
                self.close_connection = True
            else:
                body = self.rfile.read(length) if length else b""
                peer = self.client_address[0]
                headers = [(k, v) for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP]
                forwarded = self.headers.get("X-Forwarded-For")
                headers = [(k, v) for k, v in headers if k.lower() != "x-forwarded-for"]
                headers.append(("X-Forwarded-For", f"{forwarded}, {peer}" if forwarded else peer))
                headers.append(("X-Forwarded-Proto", "http"))
                response = api.handle(self.command, self.path, headers, body, peer)
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            payload = b"" if self.command == "HEAD" else response.body
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            # Paths can carry tokens (result tokens travel in the path): log nothing per request.
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server

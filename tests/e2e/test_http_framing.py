"""What the local API does with malformed HTTP before any handler runs: one body per request, a
usable length, UTF-8; the envelope even for HEAD and unusual methods."""

import socket
from urllib.parse import urlparse

import pytest

from tests.support import Client


def raw_http(client: Client, payload: bytes) -> bytes:
    url = urlparse(client.base_url)
    with socket.create_connection((url.hostname, url.port), timeout=10, source_address=(client.source_ip, 0)) as sock:
        sock.sendall(payload)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_chunked_body_is_read_as_one_body_and_cannot_smuggle_a_second_request(client: Client):
    body = b'{"email": "nobody@example.com", "password": "wrong password"}'
    smuggled = b"GET /v1/auth/me HTTP/1.1\r\nHost: x\r\n\r\n"
    payload = (b"POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
               + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n" + smuggled)
    answer = raw_http(client, payload)
    assert answer.count(b"HTTP/1.1 ") == 1
    assert answer.startswith(b"HTTP/1.1 401") and b"INVALID_CREDENTIALS" in answer


@pytest.mark.parametrize("length", [b"abc", b"-1", b"1e3"])
def test_unusable_content_length_is_a_400_not_a_hang(client: Client, length):
    answer = raw_http(client, b"POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                              b"Content-Length: " + length + b"\r\n\r\n{}")
    assert answer.startswith(b"HTTP/1.1 400") and b'"success": false' in answer


def test_body_that_is_not_utf8_is_refused_in_the_envelope(client: Client):
    response = client.post("/v1/auth/login", data=b'{"email": "\xff@x.io", "password": "aaaaaaaaaa"}',
                           headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 401)
    assert response.json()["success"] is False


def test_head_and_unusual_methods_get_the_envelope(client: Client):
    assert client.request("TRACE", "/v1/auth/login").status_code == 405
    head = client.request("HEAD", "/v1/nowhere")
    assert head.status_code == 404 and int(head.headers["Content-Length"]) > 0

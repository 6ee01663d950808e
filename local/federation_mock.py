"""A real upstream OpenID provider for `make dev FEDERATION_MOCK=1` and the federation tests:
oidc-provider-mock's app on a free 127.0.0.1 port, in a thread (dev-only: not deployed). Any client id
and secret are accepted; a person (or a test) picks the subject on its authorization page (its address
is the subject unless `set_user` gave the subject claims: email, email_verified, name).

`parameters(issuer)` are the template parameters that turn the OpenID provider on against it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import requests

CLIENT_ID, CLIENT_SECRET = "latchkey-local", "latchkey-local-secret"
NAME = "Mock OpenID"


def parameters(issuer: str) -> dict[str, str]:
    return {"OidcIssuer": issuer, "OidcClientId": CLIENT_ID, "OidcClientSecret": CLIENT_SECRET, "OidcName": NAME}


@contextmanager
def upstream(port: int = 0) -> Iterator[str]:
    """The provider running; its issuer URL (http://127.0.0.1:<port>)."""
    import oidc_provider_mock
    import werkzeug.serving

    server = werkzeug.serving.make_server("127.0.0.1", port, oidc_provider_mock.app(require_nonce=True),
                                          threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def set_user(issuer: str, subject: str, **claims: object) -> None:
    requests.put(f"{issuer}/users/{subject}", json=claims, timeout=5).raise_for_status()


def authorize(authorization_url: str, subject: str) -> dict[str, str]:
    """Signs in at the provider as `subject` (its form, as the person's click posts it): the query the
    provider redirects back to the callback with (code and state)."""
    answer = requests.post(authorization_url, data={"sub": subject}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text[:500]
    back = urlsplit(answer.headers["Location"])
    return {k: v[0] for k, v in parse_qs(back.query).items()}

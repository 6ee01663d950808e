"""An OAuth redirect URI matches a registered one exactly; only an http loopback IP literal's port may vary
(RFC 8252 7.3)."""

import pytest

from latchkey.rules.redirect_urls import matches_redirect_uri

REGISTERED = ("https://portal.example.com/callback", "http://127.0.0.1/cb", "http://[::1]:9000/cb",
              "com.example.portal:/callback")


@pytest.mark.parametrize("uri", ["https://portal.example.com/callback", "http://127.0.0.1:53121/cb",
                                 "http://127.0.0.1/cb", "http://[::1]/cb", "http://[::1]:1234/cb",
                                 "com.example.portal:/callback"])
def test_a_registered_uri_or_a_loopback_one_on_another_port_matches(uri):
    assert matches_redirect_uri(REGISTERED, uri)


@pytest.mark.parametrize("uri", [
    "https://portal.example.com/callback/", "https://portal.example.com/callback?x=1",
    "https://PORTAL.example.com/callback", "https://portal.example.com:443/callback",
    "https://portal.example.com:8443/callback", "http://portal.example.com/callback",
    "https://portal.example.com.evil.com/callback", "http://127.0.0.1:53121/cb/../x", "http://127.0.0.1:80/other",
    "https://127.0.0.1:53121/cb", "http://localhost:53121/cb", "http://127.0.0.1:8080@evil.com/cb",
    "http://127.0.0.1:notaport/cb", "com.example.portal:/callback2", ""])
def test_anything_else_does_not(uri):
    assert not matches_redirect_uri(REGISTERED, uri)

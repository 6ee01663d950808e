"""Federation's pure rules: which providers are on, and where a sign-in may land (returnTo)."""

from __future__ import annotations

import pytest

from latchkey.rules import federation


def test_a_provider_with_no_client_id_is_off_and_an_openid_provider_needs_its_issuer():
    assert federation.providers("", "", "", "", "") == ()
    assert federation.providers("", "", "https://id.example", "", "Example") == ()
    assert federation.providers("", "", "", "client", "Example") == ()
    on = federation.providers("g", "h", "https://id.example", "o", "")
    assert [p.public() for p in on] == [{"id": "google", "name": "Google"}, {"id": "github", "name": "GitHub"},
                                        {"id": "oidc", "name": "OpenID"}]
    assert on[0].issuer == "https://accounts.google.com" and not on[1].openid and on[2].issuer == "https://id.example"


@pytest.mark.parametrize("kept", ["/", "/settings", "/settings/security?tab=1", "/a-b_c.d~e/%20x"])
def test_a_path_on_the_dashboard_is_kept(kept):
    assert federation.return_path(kept) == kept


@pytest.mark.parametrize("refused", [None, "", "settings", "https://evil.example/", "//evil.example/x",
                                     "/\\evil.example", "\\\\evil.example", "javascript:alert(1)", "/a b",
                                     "/a\nb", "/a\x00b", "/a#frag", "/\u202eevil", "/" + "a" * 600])
def test_anything_else_lands_on_the_dashboards_root(refused):
    assert federation.return_path(refused) == "/"


def test_what_is_stored_of_a_secret_is_its_hash():
    assert federation.fingerprint("s") == federation.fingerprint("s") != federation.fingerprint("t")
    assert len(federation.fingerprint("s")) == 64 and "s" != federation.fingerprint("s")

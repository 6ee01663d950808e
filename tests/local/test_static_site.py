"""The local split of the template's CloudFront distribution: the API's paths go to the gateway, every
other path is a dashboard file (or the app's page), with the distribution's security headers."""

from __future__ import annotations

from local.static_site import StaticSite
from local.template import Template


def site(tmp_path=None) -> StaticSite:
    template = Template.load()
    return StaticSite(template, tmp_path) if tmp_path else StaticSite(template)


def test_every_route_of_the_template_is_sent_to_the_api():
    template = Template.load()
    split = StaticSite(template)
    # /{proxy+} is the fallback's catch-all (404, 405): behind the split it gets the API's unknown paths.
    routes = [route.path for route in template.routes() if route.path != "/{proxy+}"]
    assert routes and [path for path in routes if not split.is_api(path)] == []
    assert not split.is_api("/") and not split.is_api("/settings/api-keys") and not split.is_api("/v1")


def test_app_routes_are_its_page_and_files_are_themselves(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>app</title>")
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "app.js").write_text("export {};")
    split = site(tmp_path)
    page = split.serve("GET", "/reset-password?token=abc")
    assert page.status == 200 and b"<title>app</title>" in page.body
    script = split.serve("GET", "/js/app.js")
    assert script.status == 200 and dict(script.headers)["Content-Type"].startswith("text/javascript")
    assert split.serve("GET", "/js/missing.js").status == 404
    assert split.serve("GET", "/v1/auth/me") is None  # the gateway's


def test_nothing_outside_the_site_is_served_and_it_is_read_only(tmp_path):
    (tmp_path / "index.html").write_text("app")
    (tmp_path.parent / "secret.txt").write_text("no")
    split = site(tmp_path)
    assert split.serve("GET", "/../secret.txt").status == 404
    assert split.serve("GET", "/%2e%2e/secret.txt").status == 404
    assert split.serve("POST", "/settings").status == 403


def test_the_distributions_security_headers_are_on_every_file():
    headers = dict(site().serve("GET", "/").headers)
    csp = headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp and "frame-ancestors 'none'" in csp
    assert "http" not in csp  # no third-party origin at all
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"


def test_the_dashboard_has_no_inline_script_or_style_and_keeps_no_token_in_storage():
    from local.static_site import SITE

    for file in SITE.rglob("*"):
        if file.suffix in (".html", ".js"):
            text = file.read_text()
            assert "<script>" not in text and "style=" not in text, file
            assert "localStorage" not in text and "sessionStorage" not in text, file

"""Dynamic client registration (RFC 7591) through its handler, both ways the template can set it: off
(the default), a clear refusal and no registration_endpoint in discovery; on, a public client in the
organization OAuthRegistrationOrganizationId names, PKCE only, never first party (its users consent),
https:// or loopback redirect URIs, read scopes at most, audited; and the code flow works for it."""

from __future__ import annotations

import json

import pytest

from tests.handlers.conftest import body_of, invoke, register, signed_in_event
from tests.handlers.test_oauth_authorize import ISSUER, decide, issuer, redirected, started  # noqa: F401
from tests.handlers.test_oauth_authorize import params as auth_params
from tests.support import load_event, random_ip

AGENT = {"client_name": "Grading agent", "redirect_uris": ["http://127.0.0.1/callback"],
         "scope": "openid email organization:read", "token_endpoint_auth_method": "none",
         "logo_uri": "https://agent.example.com/logo.png"}  # unknown metadata is ignored (RFC 7591 2)


def registered(local_api, metadata, raw: str | None = None, source_ip: str = "") -> tuple[int, dict]:
    event = load_event("register_client")  # from an address of its own, unless named
    if source_ip:
        event["requestContext"]["identity"]["sourceIp"] = source_ip
    event["body"] = raw if raw is not None else json.dumps(metadata)
    response = invoke(local_api, "RegisterClientFunction", event)
    assert response["headers"]["Cache-Control"] == "no-store"
    return response["statusCode"], json.loads(response["body"])


def discovery(local_api) -> dict:
    return json.loads(invoke(local_api, "OAuthMetadataFunction", load_event("oauth_metadata"))["body"])


@pytest.fixture
def host(local_api, clock) -> dict:
    return register(local_api, "oauth-dcr")[1]["user"]


@pytest.fixture
def enabled(monkeypatch, host):
    from latchkey.settings import get_settings

    monkeypatch.setenv("OAUTH_DYNAMIC_REGISTRATION", "Enabled")
    monkeypatch.setenv("OAUTH_REGISTRATION_ORGANIZATION_ID", host["organizationId"])
    get_settings.cache_clear()
    yield host
    get_settings.cache_clear()


@pytest.mark.parametrize("organization", ["", "named"])
def test_off_by_default_registration_is_refused_and_not_advertised(local_api, host, monkeypatch, organization):
    from latchkey.settings import get_settings

    monkeypatch.delenv("OAUTH_DYNAMIC_REGISTRATION", raising=False)
    monkeypatch.setenv("OAUTH_REGISTRATION_ORGANIZATION_ID", host["organizationId"] if organization else "")
    get_settings.cache_clear()
    status, answer = registered(local_api, AGENT)
    assert status == 403 and answer["error"] == "access_denied" and "off" in answer["error_description"]
    assert "registration_endpoint" not in discovery(local_api)


def test_enabled_without_an_organization_stays_off(local_api, monkeypatch):
    from latchkey.settings import get_settings

    monkeypatch.setenv("OAUTH_DYNAMIC_REGISTRATION", "Enabled")
    monkeypatch.setenv("OAUTH_REGISTRATION_ORGANIZATION_ID", "")
    get_settings.cache_clear()
    assert registered(local_api, AGENT)[0] == 403


def test_on_an_agent_registers_a_public_client_that_signs_a_user_in_after_consent(local_api, enabled):
    assert discovery(local_api)["registration_endpoint"] == ISSUER + "/oauth2/register"
    status, client = registered(local_api, AGENT)
    assert status == 201, client
    assert client["token_endpoint_auth_method"] == "none" and "client_secret" not in client
    assert client["redirect_uris"] == AGENT["redirect_uris"] and client["client_name"] == "Grading agent"
    assert client["scope"] == "openid profile email offline_access organization:read"
    from latchkey.store import apps_table

    app = apps_table.get(client["client_id"])
    assert app.organization_id == enabled["organizationId"] and app.type == "public" and not app.first_party
    query = auth_params({"clientId": client["client_id"]}, redirect_uri="http://127.0.0.1:49152/callback")
    asked = body_of(decide(local_api, enabled, started(local_api, query)))["data"]
    assert asked["next"] == "consent"  # never first party
    listing = signed_in_event("list_audit_events", enabled)
    listing["queryStringParameters"] = {"type": "app.registered"}
    events = body_of(invoke(local_api, "ListAuditEventsFunction", listing))["data"]["auditEvents"]
    assert [e["reason"] for e in events if e["subject"] == f"app:{client['client_id']}"] == ["dynamic"]


@pytest.mark.parametrize("change, error", [
    ({"redirect_uris": ["http://agent.example.com/callback"]}, "invalid_redirect_uri"),  # http off loopback
    ({"redirect_uris": ["com.example.agent:/callback"]}, "invalid_redirect_uri"),  # no private schemes here
    ({"redirect_uris": ["https://agent.example.com/cb#frag"]}, "invalid_redirect_uri"),
    ({"redirect_uris": []}, "invalid_redirect_uri"),
    ({"redirect_uris": None}, "invalid_redirect_uri"),
    ({"token_endpoint_auth_method": "client_secret_basic"}, "invalid_client_metadata"),  # public only
    ({"grant_types": ["client_credentials"]}, "invalid_client_metadata"),
    ({"response_types": ["token"]}, "invalid_client_metadata"),
    ({"scope": "openid candidates:write"}, "invalid_client_metadata"),  # never a write scope
    ({"scope": "openid admin"}, "invalid_client_metadata"),
    ({"client_name": "x" * 101}, "invalid_client_metadata"),
    ({"post_logout_redirect_uris": ["http://evil.example.com/"]}, "invalid_client_metadata"),
])
def test_on_what_a_client_may_not_be_is_refused_in_rfc_7591s_form(local_api, enabled, change, error):
    metadata = {k: v for k, v in (AGENT | change).items() if v is not None}
    status, answer = registered(local_api, metadata)
    assert status == 400 and answer["error"] == error and answer["error_description"], answer


@pytest.mark.parametrize("raw", ["not json", "[]", "null", ""])
def test_on_a_body_that_is_not_a_json_object_is_invalid_client_metadata(local_api, enabled, raw):
    status, answer = registered(local_api, None, raw=raw)
    assert status == 400 and answer["error"] in ("invalid_client_metadata", "invalid_redirect_uri")


def test_on_registrations_are_rate_limited_per_source_ip_as_sign_ups_are(local_api, enabled):
    from latchkey.settings import get_settings

    source_ip = random_ip(198)
    statuses = [registered(local_api, AGENT, source_ip=source_ip)[0]
                for _ in range(get_settings().rate_limit("register") + 1)]
    assert statuses[:-1] == [201] * (len(statuses) - 1) and statuses[-1] == 429

"""`make dev` as a user meets it: state and mail that survive a restart, parameter overrides checked like
CloudFormation, one access-log line per request, CORS, hot reload, a busy port, IPv6 loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.support import PASSWORD, ROOT, Client, LocalApiProcess, unique_email

ORIGIN = "http://localhost:5173"  # the local default CorsAllowedOrigin


def test_users_tokens_and_api_keys_survive_a_restart(tmp_path):
    state = tmp_path / "state"
    first = LocalApiProcess(tmp_path / "first.log", "--state-dir", str(state), "--no-demo")
    try:
        api = Client(first.base_url)
        email = unique_email("restart")
        data = api.register(email)
        token = data["accessToken"]
        key = api.post("/v1/api-keys", headers=api.bearer(token),
                       json={"name": "ci", "scopes": ["organization:read"]}).json()["data"]["key"]
        sent = api.mail(email, count=2)  # the link to verify the address, the new key's notice (asynchronous)
        assert len(sent) == 2
    finally:
        assert "stopped; state saved." in first.stop()
    assert (state / "secrets.json").stat().st_mode & 0o077 == 0  # the keys: readable by the owner only
    assert (state / "mail.json").stat().st_mode & 0o077 == 0  # the mail's one-time links: the same

    second = LocalApiProcess(tmp_path / "second.log", "--state-dir", str(state), "--no-demo")
    try:
        api = Client(second.base_url)
        assert api.post("/v1/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
        assert api.get("/v1/auth/me", headers=api.bearer(token)).json()["data"]["email"] == email
        assert api.get("/v1/organization", headers={"X-API-Key": key}).status_code == 200
        # The mailbox too (until make reset, which removes the state folder and the mail in it).
        assert api.get("/_local/mail", params={"to": email}).json()["data"]["messages"] == sent
    finally:
        second.stop()


def test_parameter_overrides_apply_and_a_bad_one_is_one_line_naming_it(tmp_path):
    local = LocalApiProcess(tmp_path / "params.log", "--ephemeral", "--no-demo", "--params", "AccessTokenTtlSeconds=60")
    try:
        assert Client(local.base_url).register()["expiresIn"] == 60
    finally:
        local.stop()
    for params, words in [("AccessTokenTtlSeconds=5", "must be at least 60"), ("Stage=qa", "must be one of"),
                          ("NoSuchThing=1", "no such parameter"), ("LockoutSeconds", "is not Name=Value")]:
        result = subprocess.run([sys.executable, "-m", "local", "--ephemeral", "--params", params], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode != 0
        assert result.stderr.strip().count("\n") == 0 and words in result.stderr, result.stderr
        assert params.split("=")[0] in result.stderr and "Traceback" not in result.stderr


def test_each_request_is_one_access_log_line_with_cold_starts_and_no_token(client: Client, server_log):
    email = unique_email("log")
    client.register(email)
    response = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200
    client.request("DELETE", f"/v1/auth/sessions/{response.json()['data']['accessToken']}")
    time.sleep(0.2)
    log = server_log.read_text()
    assert any(line.startswith("POST /v1/auth/login 200 ") and " ms LoginFunction" in line for line in log.splitlines())
    assert " cold LoginFunction " in log or " cold RegisterFunction " in log
    assert "DELETE /v1/auth/sessions/**** 401 " in log
    assert response.json()["data"]["accessToken"] not in log


def test_cors_headers_go_to_the_allowed_origin_on_every_kind_of_answer(client: Client):
    allowed = {"Origin": ORIGIN}
    preflight = client.request("OPTIONS", "/v1/auth/me", headers={**allowed, "Access-Control-Request-Method": "GET",
                                                                   "Access-Control-Request-Headers": "authorization"})
    assert preflight.status_code == 200  # answered by the gateway: no authorizer, no function
    assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "authorization" in preflight.headers["Access-Control-Allow-Headers"].lower()
    answers = [
        client.post("/v1/auth/login", headers=allowed, json={"email": "nobody@example.com", "password": "x"}),
        client.get("/v1/auth/me", headers=allowed),  # the authorizer's 401 (a gateway response)
        client.get("/v1/no/such/route", headers=allowed),  # 404
        client.post("/v1/auth/login", headers=allowed, data=b"x" * (11 * 1024 * 1024)),  # 413
    ]
    for answer in answers:
        assert answer.headers.get("Access-Control-Allow-Origin") == ORIGIN, (answer.status_code, answer.text)


def test_a_disallowed_origin_gets_no_cors_header_from_a_function(client: Client):
    response = client.post("/v1/auth/login", headers={"Origin": "https://evil.example"},
                           json={"email": "nobody@example.com", "password": "x"})
    assert response.status_code == 401
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.headers["Vary"] == "Origin"


def test_a_function_401_challenge_is_renamed_as_api_gateway_renames_it(client: Client):
    response = client.post("/v1/auth/login", json={"email": "nobody@example.com", "password": "x"})
    assert response.status_code == 401
    assert "WWW-Authenticate" not in response.headers
    assert response.headers["x-amzn-Remapped-WWW-Authenticate"] == "Bearer"
    assert client.get("/v1/auth/me").headers["WWW-Authenticate"] == "Bearer"  # a gateway response keeps it


def test_ipv6_loopback_is_served_too(client: Client):
    port = client.base_url.rsplit(":", 1)[1]
    try:
        response = requests.get(f"http://[::1]:{port}/v1/no/such/route", timeout=10)
    except requests.ConnectionError:
        pytest.skip("no IPv6 loopback on this machine")
    assert response.status_code == 404


def test_a_busy_port_is_one_line_naming_port(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "local", "--ephemeral", "--no-demo", "--port", str(port)],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert f"port {port} is in use" in result.stderr and "PORT=" in result.stderr
    assert "Traceback" not in result.stderr


def test_editing_a_function_rebuilds_and_restarts_only_it(tmp_path):
    copy = tmp_path / "repo"  # a checkout of its own, with this one's build cache: edits stay there
    skip = {ROOT: {".venv", ".git", ".local"}, ROOT / ".aws-sam" / "local": {"opt", "pycache"}}
    shutil.copytree(ROOT, copy, symlinks=True, ignore=lambda folder, names: skip.get(Path(folder), set()) & set(names))
    local = LocalApiProcess(tmp_path / "reload.log", "--ephemeral", "--no-demo", cwd=copy)
    log, base = local.log, local.base_url
    try:
        assert requests.get(f"{base}/v1/no/such/route", timeout=30).json()["error"]["message"] == "No such route"
        fallback = copy / "functions" / "fallback" / "app.py"
        fallback.write_text(fallback.read_text().replace('"No such route"', '"Nothing here"'))
        time.sleep(0.6)  # the runtime looks at the sources at most every 0.5 s: a faster request sees the old build
        answer = requests.get(f"{base}/v1/no/such/route", timeout=120).json()
        assert answer["error"]["message"] == "Nothing here"
        line = next(line for line in log.read_text().splitlines() if line.startswith("reload:"))
        assert line.endswith("restarting FallbackFunction"), line
        assert requests.get(f"{base}/v1/no/such/route", timeout=30).status_code == 404
    finally:
        local.stop()


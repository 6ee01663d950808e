"""Bad input over HTTP: a clear error in the one envelope, the right status, and nothing stored."""

import json

import pytest

from tests.support import PASSWORD, Client, unique_email


def error_of(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and set(body["error"]) >= {"code", "message"}
    assert "Traceback" not in response.text
    return body["error"]


def login_works(client, email):
    return client.post("/v1/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200


@pytest.mark.parametrize(
    "data, headers, status, code",
    [
        ("{not json", {"Content-Type": "application/json"}, 400, "INVALID_JSON"),
        ('["a", "list"]', {"Content-Type": "application/json"}, 400, "INVALID_JSON"),
        ("email=a@b.co", {"Content-Type": "application/x-www-form-urlencoded"}, 415, "UNSUPPORTED_MEDIA_TYPE"),
        ("", {"Content-Type": "application/json"}, 400, "INVALID_JSON"),
    ],
)
def test_unparseable_register_bodies_are_refused_and_create_nothing(client: Client, data, headers, status, code):
    error = error_of(client.post("/v1/auth/register", data=data, headers=headers), status)
    assert error["code"] == code


@pytest.mark.parametrize(
    "change, field",
    [
        ({"email": 42}, "email"),
        ({"email": "no-at-sign"}, "email"),
        ({"password": "1234567"}, "password"),
        ({"password": "x" * 129}, "password"),
        ({"password": None}, "password"),
        ({"name": ""}, "name"),
        ({"name": ["list"]}, "name"),
        ({"role": "ADMIN"}, "role"),
        ({"organizationName": 5}, "organizationName"),
    ],
)
def test_invalid_register_fields_are_named_and_nothing_is_stored(client: Client, change, field):
    email = unique_email("invalid")
    body = {"email": email, "password": PASSWORD, "name": "Valid Name", **change}
    error = error_of(client.post("/v1/auth/register", json=body), 400)
    assert error["code"] == "VALIDATION_FAILED"
    assert field in [d["field"] for d in error["details"]]
    assert not login_works(client, email)


def test_a_missing_field_is_named(client: Client):
    error = error_of(client.post("/v1/auth/register", json={"email": "a@b.co", "name": "N"}), 400)
    assert error["details"] == [{"field": "password", "message": "is required"}]


def test_every_problem_of_a_body_is_listed_in_words_without_the_values(client: Client):
    body = {"email": "no-at-sign", "password": "short", "name": "", "role": "ADMIN"}
    error = error_of(client.post("/v1/auth/register", json=body), 400)
    assert sorted(error["details"], key=lambda d: d["field"]) == [
        {"field": "email", "message": "must be an email address, like name@example.com"},
        {"field": "name", "message": "must not be empty"},
        {"field": "password", "message": "must be at least 8 characters"},
        {"field": "role", "message": "is not a field of this body"},
    ]
    assert "no-at-sign" not in json.dumps(error) and "short" not in json.dumps(error)


def test_an_empty_name_says_so_in_words(client: Client):
    auth = client.bearer(client.register()["accessToken"])
    error = error_of(client.post("/v1/api-keys", headers=auth, json={"name": "", "scopes": ["organization:read"]}), 400)
    assert error["details"] == [{"field": "name", "message": "must not be empty"}]


def test_password_of_128_characters_with_spaces_and_unicode_is_accepted_as_sent(client: Client):
    email, password = unique_email("long"), " pässwörd " * 12 + "12345678"
    assert len(password) == 128
    assert client.post("/v1/auth/register", json={"email": email, "password": password, "name": "L"}).status_code == 201
    assert client.post("/v1/auth/login", json={"email": email, "password": password}).status_code == 200
    assert client.post("/v1/auth/login", json={"email": email, "password": password.strip()}).status_code == 401


def test_body_over_the_limit_is_413(client: Client):
    error = error_of(client.post("/v1/auth/register", json={"email": unique_email(), "password": PASSWORD,
                                                            "name": "x" * 20000}), 413)
    assert error["code"] == "PAYLOAD_TOO_LARGE"


def test_unknown_route_is_404_and_wrong_method_is_405(client: Client):
    assert error_of(client.get("/v1/nowhere"), 404)["code"] == "NOT_FOUND"
    assert error_of(client.get("/v1/auth"), 404)["code"] == "NOT_FOUND"
    wrong = client.request("DELETE", "/v1/auth/login")
    assert error_of(wrong, 405)["code"] == "METHOD_NOT_ALLOWED"
    assert wrong.headers["Allow"] == "POST"


def test_duplicate_email_in_any_case_is_a_conflict(client: Client):
    email = unique_email("dup")
    client.register(email=email)
    error = error_of(client.post("/v1/auth/register", json={"email": f"  {email.upper()} ", "password": PASSWORD,
                                                            "name": "Again"}), 409)
    assert error["code"] == "EMAIL_TAKEN"


def test_composed_and_decomposed_forms_of_one_email_are_one_account(client: Client):
    local = unique_email("caf\u00e9").split("@")[0]
    client.register(email=f"{local}@example.com")
    decomposed = local.replace("\u00e9", "e\u0301")
    again = client.post("/v1/auth/register", json={"email": f"{decomposed}@example.com", "password": PASSWORD,
                                                   "name": "Twin"})
    assert again.status_code == 409


@pytest.mark.parametrize("change", [{"email": "a\u0000b@example.com"}, {"name": "bell\u0007"},
                                    {"email": "tab\t@example.com"}])
def test_control_characters_in_email_or_name_are_refused(client: Client, change):
    body = {"email": unique_email(), "password": PASSWORD, "name": "Fine", **change}
    assert client.post("/v1/auth/register", json=body).status_code == 400


def test_an_email_that_normalization_blows_up_is_a_400_not_a_500(client: Client):
    body = {"email": "\ufdfa" * 240 + "@a.co", "password": PASSWORD}
    for path in ("/v1/auth/login", "/v1/auth/register"):
        response = client.post(path, json={**body, "name": "N"} if "register" in path else body)
        assert response.status_code == 400, response.text

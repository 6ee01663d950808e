"""The HTTP edge: bodies are JSON objects of bounded size, validated strictly, refused clearly."""

import json
from types import SimpleNamespace

import pytest

from contract.bodies import compile_model
from latchkey.edge.bodies import CompiledBody
from latchkey.edge.http import Request, api_handler, respond
from latchkey.edge.schemas.base import Body, Email, Password, Title
from latchkey.errors import InvalidJson, PayloadTooLarge, UnsupportedMediaType, ValidationFailed


class SignUpModel(Body):
    email: Email
    password: Password


SignUp = CompiledBody("SignUp", compile_model(SignUpModel))  # as `python -m contract` compiles a body


def request(body, content_type="application/json", **extra):
    return Request({"headers": {"Content-Type": content_type} if content_type else {}, "body": body, **extra})


def test_valid_body_parses():
    parsed = request(json.dumps({"email": " A@b.co ", "password": "12345678"})).json(SignUp)
    assert parsed.email.strip() == "A@b.co" and parsed.password == "12345678"  # the domain strips the email


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded", "application/jsonp"])
def test_non_json_content_type_is_refused(content_type):
    with pytest.raises(UnsupportedMediaType):
        request("{}", content_type).json(SignUp)


def test_content_type_with_charset_is_accepted():
    body = json.dumps({"email": "a@b.co", "password": "12345678"})
    assert request(body, "application/json; charset=utf-8").json(SignUp)


@pytest.mark.parametrize("body", ["", "{", "nul", "{'a': 1}", '{"a": 1', "[" * 5000])
def test_malformed_json_is_refused(body):
    with pytest.raises(InvalidJson):
        request(body).json(SignUp)


@pytest.mark.parametrize("body", ["[]", "1", '"text"', "null", "true"])
def test_json_that_is_not_an_object_is_refused(body):
    with pytest.raises(InvalidJson, match="object"):
        request(body).json(SignUp)


def test_oversized_body_is_refused_before_parsing():
    with pytest.raises(PayloadTooLarge):
        request(json.dumps({"email": "a@b.co", "password": "x" * 20000})).json(SignUp)


@pytest.mark.parametrize(
    "body, field",
    [({"email": "a@b.co"}, "password"), ({"email": 5, "password": "12345678"}, "email"),
     ({"email": "a@b.co", "password": 12345678}, "password"),
     ({"email": "not-an-email", "password": "12345678"}, "email"),
     ({"email": "a@b.co", "password": "1234567"}, "password"), ({"email": "a@b.co", "password": "x" * 129}, "password"),
     ({"email": "a@b.co", "password": "12345678", "admin": True}, "admin")],
)
def test_invalid_fields_are_named_without_echoing_values(body, field):
    with pytest.raises(ValidationFailed) as refused:
        request(json.dumps(body)).json(SignUp)
    assert field in [d["field"] for d in refused.value.details]
    assert "12345678" not in json.dumps(refused.value.details)


class DraftModel(Body):
    title: Title
    tags: list[str] = []


Draft = CompiledBody("Draft", compile_model(DraftModel))


def test_every_problem_is_reported_in_words_without_patterns_or_values():
    with pytest.raises(ValidationFailed) as refused:
        request(json.dumps({"email": "secret-not-an-email", "password": 12345678, "extra": "x"})).json(SignUp)
    assert sorted(refused.value.details, key=lambda d: d["field"]) == [
        {"field": "email", "message": "must be an email address, like name@example.com"},
        {"field": "extra", "message": "is not a field of this body"},
        {"field": "password", "message": "must be a string"},
    ]
    assert "secret" not in json.dumps(refused.value.details)


@pytest.mark.parametrize("body, problem", [
    ({"title": ""}, {"field": "title", "message": "must not be empty"}),
    ({"title": " \t "}, {"field": "title", "message": "must have a visible character and no control characters"}),
    ({"title": "x" * 201}, {"field": "title", "message": "must be at most 200 characters"}),
    ({}, {"field": "title", "message": "is required"}),
    ({"title": "t", "tags": ["a", 1]}, {"field": "tags.1", "message": "must be a string"}),
    ({"title": "t", "tags": "a"}, {"field": "tags", "message": "must be a list"}),
])
def test_field_problems_name_the_field_and_say_why(body, problem):
    with pytest.raises(ValidationFailed) as refused:
        request(json.dumps(body)).json(Draft)
    assert refused.value.details == [problem]
    assert "^" not in json.dumps(refused.value.details)


def test_unexpected_exception_becomes_a_bare_500():
    @api_handler(guarded=False)
    def explode(_request):
        raise RuntimeError("secret-password-in-message")

    context = SimpleNamespace(function_name="f", memory_limit_in_mb=128, invoked_function_arn="arn", aws_request_id="r")
    response = explode({"httpMethod": "GET", "resource": "/x", "requestContext": {"requestId": "r"}}, context)
    assert response["statusCode"] == 500
    assert json.loads(response["body"]) == {
        "success": False, "error": {"code": "INTERNAL_ERROR", "message": "Internal server error"}}
    assert "secret" not in response["body"]


def test_envelope_marks_success_and_forbids_caching():
    response = respond({"ok": 1}, status=201)
    assert response["statusCode"] == 201
    assert json.loads(response["body"]) == {"success": True, "data": {"ok": 1}}
    assert response["headers"]["Cache-Control"] == "no-store"

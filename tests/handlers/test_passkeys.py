"""Passkeys through their handlers, with a software authenticator built in the test: registering,
listing, renaming and removing them; signing in with one alone, as the second factor and for step-up;
and the attacks: a wrong origin or RP ID, a replayed challenge, a challenge of another session, an
expired one, and a signature counter that goes down (a clone: refused and audited)."""

import json

import jwt
import pyotp
import pytest

from latchkey.rules import clock
from tests.handlers.conftest import body_of, code_of, invoke, mailed, mailed_token, register, sign_in, signed_in_event
from tests.handlers.test_audit_events import events as audit_events
from tests.handlers.test_federation import verify_address
from tests.passkey_authenticator import SoftAuthenticator
from tests.support import PASSWORD, load_event


def as_user(local_api, function: str, event_name: str, data: dict, body=None, params=None) -> dict:
    """`function` called by the session of `data` (login's body), with `body` and path `params`."""
    event = signed_in_event(event_name, data["user"], access_token=data["accessToken"])
    event["body"] = None if body is None else json.dumps(body)
    if params is not None:
        event["pathParameters"] = params
    return invoke(local_api, function, event)


def public(local_api, function: str, event_name: str, body: dict, bearer: str | None = None) -> dict:
    event = load_event(event_name)
    event["body"] = json.dumps(body)
    if bearer:
        event["headers"]["Authorization"] = f"Bearer {bearer}"
    return invoke(local_api, function, event)


def enrol(local_api, data: dict, authenticator: SoftAuthenticator, name: str | None = "Laptop") -> dict:
    options = as_user(local_api, "PasskeyRegisterOptionsFunction", "passkey_register_options", data)
    assert options["statusCode"] == 200, options["body"]
    credential = authenticator.create(body_of(options)["data"]["options"])
    created = as_user(local_api, "RegisterPasskeyFunction", "register_passkey", data,
                      {"credential": credential, **({"name": name} if name else {})})
    assert created["statusCode"] == 201, created["body"]
    return body_of(created)["data"]


def login_options(local_api, **body) -> dict:
    bearer = body.pop("bearer", None)
    response = public(local_api, "PasskeyLoginOptionsFunction", "passkey_login_options", body, bearer)
    assert response["statusCode"] == 200, response["body"]
    return body_of(response)["data"]["options"]


def passkey_login(local_api, credential: dict) -> dict:
    return public(local_api, "PasskeyLoginFunction", "passkey_login", {"credential": credential})


@pytest.fixture
def enrolled(local_api):
    """A new account with one passkey: (email, login's body, the authenticator holding it)."""
    email, data = register(local_api, "passkey")
    authenticator = SoftAuthenticator()
    enrol(local_api, data, authenticator)
    return email, data, authenticator


def amr_of(answer: dict) -> list[str]:
    return jwt.decode(body_of(answer)["data"]["accessToken"], options={"verify_signature": False})["amr"]


# --- the user's passkeys ---------------------------------------------------------------------------------


def test_register_lists_renames_and_removes_passkeys_with_a_notice_each(local_api):
    email, data = register(local_api, "passkey-crud")
    authenticator = SoftAuthenticator()
    first = enrol(local_api, data, authenticator)
    second = enrol(local_api, data, authenticator, name=None)
    assert first["name"] == "Laptop" and second["name"] == "Passkey 2" and first["lastUsedAt"] is None
    listed = body_of(as_user(local_api, "ListPasskeysFunction", "list_passkeys", data))["data"]["passkeys"]
    assert [p["id"] for p in listed] == [first["id"], second["id"]]
    assert "publicKey" not in json.dumps(listed)

    renamed = as_user(local_api, "RenamePasskeyFunction", "rename_passkey", data, {"name": "Phone"},
                      {"id": second["id"]})
    assert renamed["statusCode"] == 200 and body_of(renamed)["data"]["name"] == "Phone"
    removed = as_user(local_api, "DeletePasskeyFunction", "delete_passkey", data, params={"id": first["id"]})
    assert removed["statusCode"] == 200, removed["body"]
    again = as_user(local_api, "DeletePasskeyFunction", "delete_passkey", data, params={"id": first["id"]})
    assert again["statusCode"] == 404 and code_of(again) == "PASSKEY_NOT_FOUND"
    listed = body_of(as_user(local_api, "ListPasskeysFunction", "list_passkeys", data))["data"]["passkeys"]
    assert [p["name"] for p in listed] == ["Phone"]

    subjects = [m["subject"] for m in mailed(local_api, email)]
    assert subjects.count("A passkey was added to your account") == 2
    assert subjects.count("A passkey was removed from your account") == 1
    types = [e["type"] for e in audit_events(local_api, data["user"])["auditEvents"]]
    assert types.count("auth.passkey.added") == 2 and types.count("auth.passkey.removed") == 1


def test_registering_needs_a_recent_authentication(local_api):
    _, data = register(local_api, "passkey-stale")
    event = signed_in_event("passkey_register_options", data["user"], access_token=data["accessToken"])
    event["requestContext"]["authorizer"]["authTime"] = str(clock.now() - 3600)
    refused = invoke(local_api, "PasskeyRegisterOptionsFunction", event)
    assert refused["statusCode"] == 403 and code_of(refused) == "REAUTHENTICATION_REQUIRED"


# --- signing in with a passkey alone ---------------------------------------------------------------------


def test_a_passkey_alone_signs_in_with_the_login_body_and_amr(local_api, enrolled):
    _, data, authenticator = enrolled
    answer = passkey_login(local_api, authenticator.get(login_options(local_api)))
    assert answer["statusCode"] == 200, answer["body"]
    body = body_of(answer)["data"]
    assert body["user"]["id"] == data["user"]["id"] and body["accessToken"] and body["refreshToken"]
    assert amr_of(answer) == ["swk", "user"]
    listed = body_of(as_user(local_api, "ListPasskeysFunction", "list_passkeys", data))["data"]["passkeys"]
    assert listed[0]["lastUsedAt"] is not None


def test_a_passkey_signs_in_a_two_factor_account_without_a_code(local_api, enrolled):
    email, data, authenticator = enrolled
    enable_two_factor(local_api, data)
    answer = passkey_login(local_api, authenticator.get(login_options(local_api)))
    assert answer["statusCode"] == 200 and "requires2FA" not in body_of(answer)["data"]


def test_a_replayed_challenge_is_refused(local_api, enrolled):
    _, _, authenticator = enrolled
    credential = authenticator.get(login_options(local_api))
    assert passkey_login(local_api, credential)["statusCode"] == 200
    replayed = passkey_login(local_api, credential)
    assert replayed["statusCode"] == 401 and code_of(replayed) == "INVALID_PASSKEY"


@pytest.mark.parametrize("wrong", [{"origin": "https://evil.example"}, {"rp_id": "evil.example"}])
def test_a_wrong_origin_or_rp_id_is_refused(local_api, enrolled, wrong):
    _, _, authenticator = enrolled
    refused = passkey_login(local_api, authenticator.get(login_options(local_api), **wrong))
    assert refused["statusCode"] == 401 and code_of(refused) == "INVALID_PASSKEY"


def test_a_registration_from_a_wrong_origin_is_refused(local_api):
    _, data = register(local_api, "passkey-origin")
    options = body_of(as_user(local_api, "PasskeyRegisterOptionsFunction", "passkey_register_options", data))
    credential = SoftAuthenticator().create(options["data"]["options"], origin="https://evil.example")
    refused = as_user(local_api, "RegisterPasskeyFunction", "register_passkey", data, {"credential": credential})
    assert refused["statusCode"] == 403 and code_of(refused) == "INVALID_PASSKEY"


def test_an_expired_challenge_is_refused(local_api, enrolled, monkeypatch):
    _, _, authenticator = enrolled
    credential = authenticator.get(login_options(local_api))
    later = clock.now() + 301
    monkeypatch.setattr(clock, "now", lambda: later)
    refused = passkey_login(local_api, credential)
    assert refused["statusCode"] == 401 and code_of(refused) == "INVALID_PASSKEY"


def test_a_counter_that_goes_down_is_refused_and_audited_as_a_clone(local_api, enrolled):
    _, data, authenticator = enrolled
    assert passkey_login(local_api, authenticator.get(login_options(local_api), counter=5))["statusCode"] == 200
    cloned = passkey_login(local_api, authenticator.get(login_options(local_api), counter=3))
    assert cloned["statusCode"] == 401 and code_of(cloned) == "INVALID_PASSKEY"
    same = passkey_login(local_api, authenticator.get(login_options(local_api), counter=5))
    assert same["statusCode"] == 401
    clones = audit_events(local_api, data["user"], type="auth.passkey.clone_detected")["auditEvents"]
    assert len(clones) == 2
    assert passkey_login(local_api, authenticator.get(login_options(local_api), counter=6))["statusCode"] == 200


def test_an_unknown_passkey_is_refused(local_api, enrolled):
    stranger = SoftAuthenticator()
    stranger.create({"rp": {"id": "localhost"}, "user": {"id": "dXNlcg"}, "challenge": "AAAAAAAAAAAAAAAAAAAAAA"})
    refused = passkey_login(local_api, stranger.get(login_options(local_api)))
    assert refused["statusCode"] == 401 and code_of(refused) == "INVALID_PASSKEY"


# --- as the second factor of a password sign-in ----------------------------------------------------------


def enable_two_factor(local_api, data: dict) -> list[str]:
    """Two-factor on for the user: their recovery codes."""
    setup = signed_in_event("setup_2fa", data["user"])
    secret = body_of(invoke(local_api, "SetupTwoFactorFunction", setup))["data"]["secret"]
    enabled = as_user(local_api, "EnableTwoFactorFunction", "enable_2fa", data,
                      {"password": PASSWORD, "code": pyotp.TOTP(secret).now()})
    assert enabled["statusCode"] == 200, enabled["body"]
    return body_of(enabled)["data"]["recoveryCodes"]


def verify(local_api, body: dict) -> dict:
    return public(local_api, "VerifyTwoFactorFunction", "verify_2fa", body)


def test_a_passkey_is_the_second_factor_of_a_password_sign_in(local_api, enrolled):
    email, data, authenticator = enrolled
    enable_two_factor(local_api, data)
    pending = sign_in(local_api, email)
    assert pending["requires2FA"] and pending["methods"] == ["totp", "recovery", "passkey"]
    options = login_options(local_api, pendingToken=pending["pendingToken"])
    assert options["allowCredentials"]
    answer = verify(local_api, {"pendingToken": pending["pendingToken"],
                                "credential": authenticator.get(options)})
    assert answer["statusCode"] == 200, answer["body"]
    assert amr_of(answer) == ["pwd", "swk", "user"]


def test_a_second_factor_challenge_is_bound_to_its_pending_token(local_api, enrolled):
    email, data, authenticator = enrolled
    enable_two_factor(local_api, data)
    first, second = sign_in(local_api, email)["pendingToken"], sign_in(local_api, email)["pendingToken"]
    credential = authenticator.get(login_options(local_api, pendingToken=first))
    refused = verify(local_api, {"pendingToken": second, "credential": credential})
    assert refused["statusCode"] == 401 and code_of(refused) == "INVALID_PASSKEY"
    # Nor does a passwordless sign-in's challenge do as a second factor.
    anonymous = authenticator.get(login_options(local_api))
    assert verify(local_api, {"pendingToken": second, "credential": anonymous})["statusCode"] == 401


def test_verify_takes_a_code_or_a_credential_not_both(local_api, enrolled):
    email, data, authenticator = enrolled
    enable_two_factor(local_api, data)
    pending = sign_in(local_api, email)["pendingToken"]
    refused = verify(local_api, {"pendingToken": pending})
    assert refused["statusCode"] == 400 and code_of(refused) == "SECOND_FACTOR_REQUIRED"


# --- step-up ---------------------------------------------------------------------------------------------


def test_a_passkey_steps_up_the_session(local_api, enrolled):
    _, data, authenticator = enrolled
    options = login_options(local_api, bearer=data["accessToken"])
    answer = as_user(local_api, "ReauthenticateFunction", "reauthenticate", data,
                     {"credential": authenticator.get(options)})
    assert answer["statusCode"] == 200, answer["body"]
    claims = jwt.decode(body_of(answer)["data"]["accessToken"], options={"verify_signature": False})
    assert claims["amr"] == ["swk", "user"] and claims["sid"] == jwt.decode(
        data["accessToken"], options={"verify_signature": False})["sid"]


@pytest.fixture
def throttle_session_writes():
    """throttle_session_writes(): from then on, until `.undo()` on what it returns, every write that
    touches the sessions table is throttled (moto never is)."""
    from botocore.exceptions import ClientError

    from latchkey.settings import get_settings
    from latchkey.store import dynamodb

    table = get_settings().sessions_table

    def touches_sessions(kwargs: dict) -> bool:
        items = [next(iter(item.values())) for item in kwargs.get("TransactItems", [])]
        return table in (kwargs.get("TableName"), *(item["TableName"] for item in items))

    patch = pytest.MonkeyPatch()

    def start():
        for method in ("update_item", "transact_write_items"):
            def throttled(real=getattr(dynamodb.client, method), **kwargs):
                if touches_sessions(kwargs):
                    raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "injected"},
                                       "ResponseMetadata": {"HTTPStatusCode": 400}}, "Injected")
                return real(**kwargs)

            patch.setattr(dynamodb.client, method, throttled)
        return patch

    yield start
    patch.undo()


def test_a_passkey_step_up_whose_session_write_fails_spends_nothing_and_the_same_assertion_finishes_it(
        local_api, enrolled, throttle_session_writes):
    _, data, authenticator = enrolled
    credential = authenticator.get(login_options(local_api, bearer=data["accessToken"]))
    throttled = throttle_session_writes()
    busy = as_user(local_api, "ReauthenticateFunction", "reauthenticate", data, {"credential": credential})
    assert busy["statusCode"] == 503 and code_of(busy) == "SERVICE_UNAVAILABLE", busy["body"]
    throttled.undo()
    again = as_user(local_api, "ReauthenticateFunction", "reauthenticate", data, {"credential": credential})
    assert again["statusCode"] == 200, again["body"]
    replayed = as_user(local_api, "ReauthenticateFunction", "reauthenticate", data, {"credential": credential})
    assert replayed["statusCode"] == 403 and code_of(replayed) == "INVALID_PASSKEY"  # spent once, by the success


def test_a_code_step_up_whose_session_write_fails_spends_nothing_and_the_same_code_finishes_it(
        local_api, throttle_session_writes):
    _, data = register(local_api, "step-up-fault")
    body = {"password": PASSWORD, "code": enable_two_factor(local_api, data)[0]}  # a recovery code
    throttled = throttle_session_writes()
    busy = as_user(local_api, "ReauthenticateFunction", "reauthenticate", data, body)
    assert busy["statusCode"] == 503 and code_of(busy) == "SERVICE_UNAVAILABLE", busy["body"]
    throttled.undo()
    again = as_user(local_api, "ReauthenticateFunction", "reauthenticate", data, body)
    assert again["statusCode"] == 200, again["body"]
    assert jwt.decode(body_of(again)["data"]["accessToken"], options={"verify_signature": False})["amr"] == \
        ["pwd", "otp"]
    replayed = as_user(local_api, "ReauthenticateFunction", "reauthenticate", data, body)
    assert replayed["statusCode"] == 403 and code_of(replayed) == "INVALID_2FA_CODE"


def test_a_code_step_up_whose_signing_keys_cannot_be_read_spends_nothing_and_the_same_code_finishes_it(
        local_api, monkeypatch):
    from botocore.exceptions import ClientError

    from latchkey.store import key_sets, secrets

    _, data = register(local_api, "step-up-keys")
    body = {"password": PASSWORD, "code": enable_two_factor(local_api, data)[0]}  # a recovery code
    key_sets.forget()  # a container that starts now: it must read the signing keys

    def unavailable(**_):
        raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "injected"},
                           "ResponseMetadata": {"HTTPStatusCode": 400}}, "GetSecretValue")

    with monkeypatch.context() as failing:
        failing.setattr(secrets._client(), "get_secret_value", unavailable)
        busy = as_user(local_api, "ReauthenticateFunction", "reauthenticate", data, body)
    assert busy["statusCode"] == 503 and code_of(busy) == "SERVICE_UNAVAILABLE", busy["body"]
    again = as_user(local_api, "ReauthenticateFunction", "reauthenticate", data, body)
    assert again["statusCode"] == 200, again["body"]


def test_a_step_up_challenge_is_bound_to_its_session(local_api, enrolled):
    email, data, authenticator = enrolled
    other = sign_in(local_api, email)  # the same user, another session
    credential = authenticator.get(login_options(local_api, bearer=data["accessToken"]))
    refused = as_user(local_api, "ReauthenticateFunction", "reauthenticate", other, {"credential": credential})
    assert refused["statusCode"] == 403 and code_of(refused) == "INVALID_PASSKEY"


def test_a_registration_challenge_is_bound_to_its_session(local_api, enrolled):
    email, data, _ = enrolled
    other = sign_in(local_api, email)
    options = body_of(as_user(local_api, "PasskeyRegisterOptionsFunction", "passkey_register_options", data))
    credential = SoftAuthenticator().create(options["data"]["options"])
    refused = as_user(local_api, "RegisterPasskeyFunction", "register_passkey", other, {"credential": credential})
    assert refused["statusCode"] == 403 and code_of(refused) == "INVALID_PASSKEY"


# --- recovery ---------------------------------------------------------------------------------------------


def test_a_passkey_user_who_lost_the_device_recovers_through_the_email_flow(local_api, enrolled):
    email, data, authenticator = enrolled
    verify_address(email)  # the owner's account: a reset through a never-verified address reclaims it
    forgot = load_event("forgot_password")
    forgot["body"] = json.dumps({"email": email})
    assert invoke(local_api, "ForgotPasswordFunction", forgot)["statusCode"] == 202
    reset = load_event("reset_password")
    reset["body"] = json.dumps({"token": mailed_token(local_api, email, "Reset your password"),
                                "password": "a calm new passphrase"})
    assert invoke(local_api, "ResetPasswordFunction", reset)["statusCode"] == 200
    signed_in = sign_in(local_api, email, "a calm new passphrase")
    assert signed_in["accessToken"]
    # The lost device's passkey can be removed from the new session.
    (lost,) = body_of(as_user(local_api, "ListPasskeysFunction", "list_passkeys", signed_in))["data"]["passkeys"]
    removed = as_user(local_api, "DeletePasskeyFunction", "delete_passkey", signed_in, params={"id": lost["id"]})
    assert removed["statusCode"] == 200
    refused = passkey_login(local_api, authenticator.get(login_options(local_api)))
    assert refused["statusCode"] == 401 and code_of(refused) == "INVALID_PASSKEY"


def test_a_password_step_up_still_works_and_a_password_with_a_credential_is_refused(local_api, enrolled):
    _, data, authenticator = enrolled
    by_password = as_user(local_api, "ReauthenticateFunction", "reauthenticate", data, {"password": PASSWORD})
    assert by_password["statusCode"] == 200, by_password["body"]
    assert amr_of(by_password) == ["pwd"]
    both = as_user(local_api, "ReauthenticateFunction", "reauthenticate", data,
                   {"password": PASSWORD, "credential": authenticator.get(login_options(local_api))})
    assert both["statusCode"] == 400 and code_of(both) == "SECOND_FACTOR_REQUIRED"


def test_another_users_passkey_cannot_answer_for_this_user(local_api, enrolled):
    email, data, _ = enrolled
    enable_two_factor(local_api, data)
    _, other_data = register(local_api, "passkey-other")
    other = SoftAuthenticator()
    enrol(local_api, other_data, other)
    pending = sign_in(local_api, email)["pendingToken"]
    refused = verify(local_api, {"pendingToken": pending,
                                 "credential": other.get(login_options(local_api, pendingToken=pending))})
    assert refused["statusCode"] == 401 and code_of(refused) == "INVALID_PASSKEY"


# --- a busy DynamoDB: 503, and the same request finishes the job -----------------------------------------


@pytest.mark.parametrize("second_factor", [False, True], ids=["passwordless", "second-factor"])
def test_a_busy_sign_in_is_503_and_the_same_request_signs_in_after(local_api, enrolled, monkeypatch, second_factor):
    from latchkey.store import dynamodb
    from tests.handlers.test_busy_writes import busy_items

    email, data, authenticator = enrolled
    monkeypatch.setattr(dynamodb.time, "sleep", lambda _: None)
    if second_factor:
        enable_two_factor(local_api, data)
        pending = sign_in(local_api, email)["pendingToken"]
        credential = authenticator.get(login_options(local_api, pendingToken=pending))
        body = {"pendingToken": pending, "credential": credential}
        send = lambda: verify(local_api, body)  # noqa: E731
    else:
        credential = authenticator.get(login_options(local_api))
        send = lambda: passkey_login(local_api, credential)  # noqa: E731
    real = dynamodb.client.transact_write_items
    monkeypatch.setattr(dynamodb.client, "transact_write_items",
                        lambda **kwargs: (_ for _ in ()).throw(busy_items(dynamodb.client, kwargs["TransactItems"])))
    busy = send()
    assert busy["statusCode"] == 503 and code_of(busy) == "SERVICE_UNAVAILABLE"
    monkeypatch.setattr(dynamodb.client, "transact_write_items", real)
    again = send()
    assert again["statusCode"] == 200, again["body"]
    assert send()["statusCode"] == 401  # and only once

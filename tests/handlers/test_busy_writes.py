"""Writes DynamoDB refuses for conflicts or throttling (a transaction cancelled for TransactionConflict
or ThrottlingError, a write that met a transaction in flight), which moto never produces: injected
here by patching the stores' client. Each is retried a few times with jitter, then answered 503
SERVICE_UNAVAILABLE with Retry-After, with nothing half written; and the same request sent again works."""

import json

import jwt
import pytest

from latchkey.rules import clock, ids
from latchkey.rules.records import Session
from tests.handlers.conftest import (
    accept,
    authorize_key,
    body_of,
    call,
    invite,
    invoke,
    join,
    mailed_token,
    new_key,
    register,
    sign_in,
    signed_in_event,
)
from tests.support import PASSWORD, load_event, unique_email


@pytest.fixture
def dynamodb(local_api, monkeypatch):
    """The stores' DynamoDB module, its pauses recorded rather than slept."""
    from latchkey.store import dynamodb

    pauses = []
    monkeypatch.setattr(dynamodb.time, "sleep", pauses.append)
    dynamodb.pauses = pauses
    return dynamodb


def cancelled(client, *reasons):
    return client.exceptions.TransactionCanceledException(
        {"Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
         "CancellationReasons": [{"Code": reason} for reason in reasons]}, "TransactWriteItems")


def busy_items(client, items):
    """A cancellation as DynamoDB gives it: the first item met a conflict, the others were fine."""
    return cancelled(client, "TransactionConflict", *["None"] * (len(items) - 1))


def assert_busy(response, dynamodb):
    assert response["statusCode"] == 503, response["body"]
    assert response["headers"]["Retry-After"] == "1"
    assert body_of(response)["error"]["code"] == "SERVICE_UNAVAILABLE"
    # bounded and jittered: a pause before each retry, none longer than the cap
    assert len(dynamodb.pauses) == dynamodb.ATTEMPTS - 1
    assert all(0 <= pause <= 0.2 for pause in dynamodb.pauses)


def live_sessions(user_id):
    from latchkey.store import sessions_table

    return {s.id for s in sessions_table.list_for_user(user_id, clock.now())}



# --- sign-up and sign-in: one transaction each ---------------------------------------------------


def test_sign_up_that_loses_a_transaction_conflict_is_retried(dynamodb, local_api, monkeypatch):
    real = dynamodb.client.transact_write_items
    attempts = []

    def conflicted_once(**kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise cancelled(dynamodb.client, "TransactionConflict", "None", "None")
        return real(**kwargs)

    monkeypatch.setattr(dynamodb.client, "transact_write_items", conflicted_once)
    event = load_event("register")
    event["body"] = json.dumps({**json.loads(event["body"]), "email": unique_email("conflict")})
    response = invoke(local_api, "RegisterFunction", event)
    # the sign-up twice, then the sign-in (the session and its audit event)
    assert response["statusCode"] == 201 and len(attempts) == 3


def test_sign_up_that_keeps_conflicting_is_a_503_with_nothing_written_and_can_be_sent_again(
        dynamodb, local_api, monkeypatch):
    from latchkey.store import accounts_table

    def always_busy(**kwargs):
        raise busy_items(dynamodb.client, kwargs["TransactItems"])

    email = unique_email("busy")
    event = load_event("register")
    event["body"] = json.dumps({**json.loads(event["body"]), "email": email})
    monkeypatch.setattr(dynamodb.client, "transact_write_items", always_busy)
    assert_busy(invoke(local_api, "RegisterFunction", event), dynamodb)
    assert accounts_table.find_credentials(email) is None
    monkeypatch.undo()
    assert invoke(local_api, "RegisterFunction", event)["statusCode"] == 201


def test_a_taken_email_is_refused_at_once_not_retried(local_api, dynamodb, monkeypatch):
    email, _ = register(local_api, "taken")
    real, calls = dynamodb.client.transact_write_items, []

    def counted(**kwargs):
        calls.append(1)
        return real(**kwargs)

    monkeypatch.setattr(dynamodb.client, "transact_write_items", counted)
    event = load_event("register")
    event["body"] = json.dumps({**json.loads(event["body"]), "email": email})
    response = invoke(local_api, "RegisterFunction", event)
    assert response["statusCode"] == 409 and body_of(response)["error"]["code"] == "EMAIL_TAKEN"
    assert len(calls) == 1 and dynamodb.pauses == []


def test_sign_in_whose_transaction_stays_throttled_is_a_503_and_starts_no_session(local_api, dynamodb, monkeypatch):
    email, data = register(local_api, "throttled")
    user_id = data["user"]["id"]
    before = live_sessions(user_id)

    def throttled(**kwargs):
        raise cancelled(dynamodb.client, *["ThrottlingError"] * len(kwargs["TransactItems"]))

    monkeypatch.setattr(dynamodb.client, "transact_write_items", throttled)
    event = load_event("login")
    event["body"] = json.dumps({"email": email, "password": PASSWORD})
    assert_busy(invoke(local_api, "LoginFunction", event), dynamodb)
    assert live_sessions(user_id) == before
    monkeypatch.undo()
    sign_in(local_api, email)
    assert len(live_sessions(user_id) - before) == 1


# --- logout: one conditional write ---------------------------------------------------------------


def test_logout_that_keeps_meeting_a_transaction_is_a_503_and_the_session_lives_until_sent_again(
        local_api, registered, dynamodb, monkeypatch):
    _, data = registered
    user_id = data["user"]["id"]
    event = signed_in_event("logout", data["user"], access_token=data["accessToken"])
    session_id = event["requestContext"]["authorizer"]["sessionId"]
    calls = []

    def conflicting(**kwargs):  # the session's end and its audit event are one transaction
        calls.append(kwargs["TransactItems"])
        raise busy_items(dynamodb.client, kwargs["TransactItems"])

    monkeypatch.setattr(dynamodb.client, "transact_write_items", conflicting)
    assert_busy(invoke(local_api, "LogoutFunction", event), dynamodb)
    assert len(calls) == dynamodb.ATTEMPTS
    monkeypatch.undo()
    assert session_id in live_sessions(user_id)  # not a false success: the token still works
    again = invoke(local_api, "LogoutFunction", event)
    assert again["statusCode"] == 200 and body_of(again)["data"] == {"loggedOut": True}
    assert session_id not in live_sessions(user_id)


def test_logout_throttled_once_is_retried_within_the_request(local_api, registered, dynamodb, monkeypatch):
    _, data = registered
    event = signed_in_event("logout", data["user"], access_token=data["accessToken"])
    real, calls = dynamodb.client.transact_write_items, []

    def throttled_once(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise cancelled(dynamodb.client, "ThrottlingError", "None")
        return real(**kwargs)

    monkeypatch.setattr(dynamodb.client, "transact_write_items", throttled_once)
    assert invoke(local_api, "LogoutFunction", event)["statusCode"] == 200
    assert len(calls) == 2 and len(dynamodb.pauses) == 1
    assert event["requestContext"]["authorizer"]["sessionId"] not in live_sessions(data["user"]["id"])


# --- logout-all: one transaction per 100 sessions, the caller's own session last -----------------


def test_logout_all_cancelled_for_conflicts_is_a_503_with_every_session_still_live(
        local_api, dynamodb, monkeypatch):
    email, data = register(local_api, "everywhere")
    user_id = data["user"]["id"]
    sign_in(local_api, email), sign_in(local_api, email)
    sessions = live_sessions(user_id)
    assert len(sessions) == 3
    event = signed_in_event("logout_all", data["user"], access_token=data["accessToken"])

    def always_busy(**kwargs):
        raise busy_items(dynamodb.client, kwargs["TransactItems"])

    monkeypatch.setattr(dynamodb.client, "transact_write_items", always_busy)
    assert_busy(invoke(local_api, "LogoutAllFunction", event), dynamodb)
    monkeypatch.undo()
    assert live_sessions(user_id) == sessions  # nothing half done
    again = invoke(local_api, "LogoutAllFunction", event)
    assert again["statusCode"] == 200 and body_of(again)["data"] == {"loggedOut": True, "sessionsRevoked": 3,
                                                                      "apiKeysRevoked": None}
    assert live_sessions(user_id) == set()


def add_sessions(user: dict, count: int) -> None:
    from latchkey.store import sessions_table

    now = clock.now()
    for _ in range(count):
        sessions_table.create(Session(
            id=ids.new_id(ids.SESSION), user_id=user["id"], organization_id=user["organizationId"], role=user["role"],
            generation=0, token_id="t", issued_at=now, previous_token_id="", rotated_at=now, created_at=now,
            last_used_at=now, expires_at=now + 3600, user_agent="", source_ip=""))


def test_logout_all_past_one_transaction_ends_the_callers_session_last_so_sending_it_again_finishes(
        local_api, dynamodb, monkeypatch):
    _, data = register(local_api, "many")
    user_id = data["user"]["id"]
    add_sessions(data["user"], 120)
    event = signed_in_event("logout_all", data["user"], access_token=data["accessToken"])
    own = event["requestContext"]["authorizer"]["sessionId"]
    real, sizes = dynamodb.client.transact_write_items, []

    def own_session_busy(**kwargs):
        items = kwargs["TransactItems"]
        sizes.append(len(items))
        if any(item.get("Update", {}).get("Key", {}).get("sessionId", {}).get("S") == own for item in items):
            raise busy_items(dynamodb.client, items)
        return real(**kwargs)

    monkeypatch.setattr(dynamodb.client, "transact_write_items", own_session_busy)
    assert_busy(invoke(local_api, "LogoutAllFunction", event), dynamodb)
    monkeypatch.undo()
    # "signed out" with its audit event, then DynamoDB's limit per transaction: that one went through whole
    assert sizes[:2] == [2, 100]
    left = live_sessions(user_id)
    assert own in left and len(left) == 21  # the last transaction's 20 others and the caller's own
    again = invoke(local_api, "LogoutAllFunction", event)  # the caller's token still works for this
    assert again["statusCode"] == 200 and body_of(again)["data"]["sessionsRevoked"] == 21
    assert live_sessions(user_id) == set()


def test_logout_all_skips_a_session_that_ends_while_it_runs(local_api, dynamodb, monkeypatch):
    from latchkey.store import sessions_table

    email, data = register(local_api, "racing")
    user_id = data["user"]["id"]
    sign_in(local_api, email), sign_in(local_api, email)
    event = signed_in_event("logout_all", data["user"], access_token=data["accessToken"])
    other = sorted(live_sessions(user_id) - {event["requestContext"]["authorizer"]["sessionId"]})[0]
    real, calls = dynamodb.client.transact_write_items, []

    def another_logout_first(**kwargs):
        calls.append(1)
        if len(calls) == 1:  # a logout of that session lands between the listing and the transaction
            assert sessions_table.revoke(user_id, other, "logout", clock.now())
        return real(**kwargs)

    monkeypatch.setattr(dynamodb.client, "transact_write_items", another_logout_first)
    response = invoke(local_api, "LogoutAllFunction", event)
    assert response["statusCode"] == 200 and body_of(response)["data"]["sessionsRevoked"] == 2
    assert len(calls) == 2 and live_sessions(user_id) == set()


# --- verify-2fa: the session, the code, the pending token and the count in one transaction -------


def enrolled(local_api, tag):
    """A user with two-factor on: their registration data and recovery codes."""
    import pyotp

    email, data = register(local_api, tag)
    setup = invoke(local_api, "SetupTwoFactorFunction", signed_in_event("setup_2fa", data["user"]))
    enable = signed_in_event("enable_2fa", data["user"])
    enable["body"] = json.dumps({"password": PASSWORD, "code": pyotp.TOTP(body_of(setup)["data"]["secret"]).now()})
    return email, data, body_of(invoke(local_api, "EnableTwoFactorFunction", enable))["data"]["recoveryCodes"]


def verify_event(pending, code):
    event = load_event("verify_2fa")
    event["body"] = json.dumps({"pendingToken": pending, "code": code})
    return event


def test_verify_2fa_whose_sign_in_stays_busy_is_a_503_and_the_same_request_then_signs_in(
        local_api, dynamodb, monkeypatch):
    email, data, recovery_codes = enrolled(local_api, "second-factor")
    pending = sign_in(local_api, email)["pendingToken"]
    before = live_sessions(data["user"]["id"])
    verify = verify_event(pending, recovery_codes[0])

    def always_busy(**kwargs):
        raise busy_items(dynamodb.client, kwargs["TransactItems"])

    monkeypatch.setattr(dynamodb.client, "transact_write_items", always_busy)
    assert_busy(invoke(local_api, "VerifyTwoFactorFunction", verify), dynamodb)
    monkeypatch.undo()
    assert live_sessions(data["user"]["id"]) == before  # no session, and neither code nor token spent:
    again = invoke(local_api, "VerifyTwoFactorFunction", verify)
    assert again["statusCode"] == 200, again["body"]
    assert body_of(again)["data"]["user"]["id"] == data["user"]["id"]
    spent = invoke(local_api, "VerifyTwoFactorFunction", verify)  # and now both are spent
    assert body_of(spent)["error"]["code"] == "PENDING_TOKEN_USED"


def test_verify_2fa_that_loses_the_race_for_its_pending_token_spends_no_code(local_api, dynamodb, monkeypatch):
    from latchkey.rules import totp
    from latchkey.store import accounts_table, rate_limits_table

    email, data, recovery_codes = enrolled(local_api, "race-2fa")
    pending = sign_in(local_api, email)["pendingToken"]
    jti = jwt.decode(pending, options={"verify_signature": False})["jti"]
    real = dynamodb.client.transact_write_items

    def another_verify_first(**kwargs):
        # another verify with this pending token (and another code) commits between our checks and our write
        real(TransactItems=[rate_limits_table.mark_pending_used_op(jti, clock.now())])
        return real(**kwargs)

    monkeypatch.setattr(dynamodb.client, "transact_write_items", another_verify_first)
    response = invoke(local_api, "VerifyTwoFactorFunction", verify_event(pending, recovery_codes[0]))
    assert response["statusCode"] == 401 and body_of(response)["error"]["code"] == "PENDING_TOKEN_USED"
    _, state = accounts_table.get_user_and_two_factor(data["user"]["id"])
    assert totp.recovery_hash(recovery_codes[0]) in state.recovery_hashes  # still good for the next sign-in


# --- 2fa enable and disable: a 503 after the change is not final ------------------------------------


def sessions_busy(dynamodb, monkeypatch):
    """Every transaction that ends sessions is busy; the others go through (the change itself)."""
    real = dynamodb.client.transact_write_items

    def busy(**kwargs):
        if any(next(iter(item.values()))["TableName"].endswith("-sessions") for item in kwargs["TransactItems"]):
            raise busy_items(dynamodb.client, kwargs["TransactItems"])
        return real(**kwargs)

    monkeypatch.setattr(dynamodb.client, "transact_write_items", busy)


def session_of(tokens: dict) -> str:
    return jwt.decode(tokens["accessToken"], options={"verify_signature": False})["sid"]


def test_2fa_enable_that_cannot_end_the_other_sessions_is_a_503_and_the_same_request_then_ends_them(
        local_api, dynamodb, monkeypatch):
    import pyotp

    email, data = register(local_api, "enable-busy")
    user = data["user"]
    thief = sign_in(local_api, email)
    setup = invoke(local_api, "SetupTwoFactorFunction", signed_in_event("setup_2fa", user, access_token=data[
        "accessToken"]))
    enable = signed_in_event("enable_2fa", user, access_token=data["accessToken"])
    enable["body"] = json.dumps({"password": PASSWORD, "code": pyotp.TOTP(body_of(setup)["data"]["secret"]).now()})
    sessions_busy(dynamodb, monkeypatch)
    assert_busy(invoke(local_api, "EnableTwoFactorFunction", enable), dynamodb)
    monkeypatch.undo()
    assert session_of(thief) in live_sessions(user["id"])  # the factor is on, the thief's session not ended yet
    again = invoke(local_api, "EnableTwoFactorFunction", enable)
    assert again["statusCode"] == 200, again["body"]
    assert live_sessions(user["id"]) == {session_of(data)}
    codes = body_of(again)["data"]["recoveryCodes"]
    verify = verify_event(sign_in(local_api, email)["pendingToken"], codes[0])
    assert invoke(local_api, "VerifyTwoFactorFunction", verify)["statusCode"] == 200, "the codes shown are good"
    finished = invoke(local_api, "EnableTwoFactorFunction", enable)
    assert finished["statusCode"] == 409 and body_of(finished)["error"]["code"] == "TWO_FACTOR_ALREADY_ENABLED"


def test_2fa_disable_that_cannot_end_the_other_sessions_is_a_503_and_the_same_request_then_ends_them(
        local_api, dynamodb, monkeypatch):
    email, data, codes = enrolled(local_api, "disable-busy")
    user = data["user"]
    mine = body_of(invoke(local_api, "VerifyTwoFactorFunction", verify_event(sign_in(local_api, email)[
        "pendingToken"], codes[0])))["data"]
    thief = body_of(invoke(local_api, "VerifyTwoFactorFunction", verify_event(sign_in(local_api, email)[
        "pendingToken"], codes[1])))["data"]
    disable = signed_in_event("disable_2fa", user, access_token=mine["accessToken"])
    disable["body"] = json.dumps({"password": PASSWORD, "code": codes[2]})
    sessions_busy(dynamodb, monkeypatch)
    assert_busy(invoke(local_api, "DisableTwoFactorFunction", disable), dynamodb)
    monkeypatch.undo()
    assert session_of(thief) in live_sessions(user["id"])
    again = invoke(local_api, "DisableTwoFactorFunction", disable)
    assert again["statusCode"] == 200, again["body"]
    assert live_sessions(user["id"]) == {session_of(mine)}
    finished = invoke(local_api, "DisableTwoFactorFunction", disable)
    assert finished["statusCode"] == 409 and body_of(finished)["error"]["code"] == "TWO_FACTOR_NOT_ENABLED"


def test_2fa_disable_whose_change_stays_busy_is_a_503_and_the_same_code_then_works(local_api, dynamodb, monkeypatch):
    email, data, codes = enrolled(local_api, "disable-write-busy")
    mine = body_of(invoke(local_api, "VerifyTwoFactorFunction", verify_event(sign_in(local_api, email)[
        "pendingToken"], codes[0])))["data"]
    disable = signed_in_event("disable_2fa", data["user"], access_token=mine["accessToken"])
    disable["body"] = json.dumps({"password": PASSWORD, "code": codes[1]})
    real = dynamodb.client.transact_write_items

    def turning_off_busy(**kwargs):
        if any("totpEnabled = :off" in item.get("Update", {}).get("UpdateExpression", "")
               for item in kwargs["TransactItems"]):
            raise busy_items(dynamodb.client, kwargs["TransactItems"])
        return real(**kwargs)

    monkeypatch.setattr(dynamodb.client, "transact_write_items", turning_off_busy)
    assert_busy(invoke(local_api, "DisableTwoFactorFunction", disable), dynamodb)
    monkeypatch.undo()
    again = invoke(local_api, "DisableTwoFactorFunction", disable)
    assert again["statusCode"] == 200, again["body"]  # the code was not spent by the request that failed
    assert "accessToken" in sign_in(local_api, email)


# --- the authorizer: "last used" is advisory -------------------------------------------------------


def test_an_api_key_whose_last_used_write_stays_busy_is_still_allowed(local_api, dynamodb, monkeypatch):
    _, data = register(local_api, "busy-key")
    key = body_of(new_key(local_api, data["user"]))["data"]["key"]
    calls = []

    def throttled(**kwargs):  # the first use: "last used" and its audit event, one transaction
        calls.append(1)
        raise cancelled(dynamodb.client, "ThrottlingError", "None")

    monkeypatch.setattr(dynamodb.client, "transact_write_items", throttled)
    answer = authorize_key(local_api, key)
    assert answer["policyDocument"]["Statement"][0]["Effect"] == "Allow", answer.get("context")
    assert len(calls) == dynamodb.ATTEMPTS


# --- teams: invitations, accepting, role changes --------------------------------------------------


def test_an_accept_that_stays_busy_is_a_503_with_nothing_created_and_can_be_sent_again(
        local_api, dynamodb, outbox, monkeypatch):
    from latchkey.store import accounts_table

    admin = register(local_api, "admin")[1]["user"]
    email = unique_email("busy-accept")
    invite(local_api, admin, email)

    def always_busy(**kwargs):
        raise busy_items(dynamodb.client, kwargs["TransactItems"])

    monkeypatch.setattr(dynamodb.client, "transact_write_items", always_busy)
    assert_busy(accept(local_api, outbox[email][0]), dynamodb)
    assert accounts_table.find_credentials(email) is None
    monkeypatch.undo()
    assert accept(local_api, outbox[email][0])["statusCode"] == 201


def test_a_role_change_that_stays_busy_is_a_503_and_changes_nothing(local_api, dynamodb, outbox, monkeypatch):
    from latchkey.store import accounts_table

    admin = register(local_api, "admin")[1]["user"]
    member = join(local_api, outbox, admin)["user"]

    def throttled(**kwargs):
        raise cancelled(dynamodb.client, *["ThrottlingError"] * len(kwargs["TransactItems"]))

    monkeypatch.setattr(dynamodb.client, "transact_write_items", throttled)
    promote = {"body": {"role": "ADMIN"}, "params": {"userId": member["id"]}}
    assert_busy(call(local_api, "UpdateMemberFunction", "update_member", admin, **promote), dynamodb)
    assert accounts_table.get_user(member["id"]).role == "MEMBER"
    monkeypatch.undo()
    promoted = call(local_api, "UpdateMemberFunction", "update_member", admin, **promote)
    assert body_of(promoted)["data"]["role"] == "ADMIN"
# --- recovery: the reset's one transaction -----------------------------------------------------------


def test_a_reset_that_dynamodb_keeps_refusing_is_503_and_leaves_the_token_good(dynamodb, local_api, monkeypatch):
    email, _ = register(local_api, "busy-reset")
    event = load_event("forgot_password")
    event["body"] = json.dumps({"email": email})
    assert invoke(local_api, "ForgotPasswordFunction", event)["statusCode"] == 202
    token = mailed_token(local_api, email, "Reset your password")
    reset = load_event("reset_password")
    reset["body"] = json.dumps({"token": token, "password": "a calm new passphrase"})
    real = dynamodb.client.transact_write_items
    monkeypatch.setattr(dynamodb.client, "transact_write_items",
                        lambda **kwargs: (_ for _ in ()).throw(busy_items(dynamodb.client, kwargs["TransactItems"])))
    assert_busy(invoke(local_api, "ResetPasswordFunction", reset), dynamodb)
    monkeypatch.setattr(dynamodb.client, "transact_write_items", real)
    assert invoke(local_api, "ResetPasswordFunction", reset)["statusCode"] == 200  # the same request, again
    assert sign_in(local_api, email, "a calm new passphrase")["accessToken"]

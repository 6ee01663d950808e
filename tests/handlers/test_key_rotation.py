"""A whole signing-key rotation under moto with a clock the test moves: the new key is published
before it signs, every token signed before keeps working until it expires, nobody is signed out, and
a token of a retired key is refused with its own code and no DynamoDB read."""

import json

import jwt
import pytest

from latchkey.rules import clock, signing_keys, tokens
from latchkey.settings import get_settings
from tests.handlers.conftest import body_of, invoke, sign_in
from tests.handlers.test_api_keys import counted  # noqa: F401 - a fixture
from tests.keys import context
from tests.support import EVENTS, MovingClock, load_event, unique_email

DAY = 86400


def LEAD() -> int:  # noqa: N802 - reads as the figure it is
    return get_settings().key_publication_lead


@pytest.fixture
def key_sets(local_api):
    """The stage's key sets, put back as they were afterwards (other tests hold tokens of them)."""
    import boto3

    from latchkey.store import key_sets

    manager = boto3.client("secretsmanager")
    arns = [s["ARN"] for s in manager.list_secrets()["SecretList"]
            if "/signing-keys/" in s["Name"] or "/public-keys/" in s["Name"]]
    saved = {arn: manager.get_secret_value(SecretId=arn)["SecretString"] for arn in arns}
    key_sets.forget()
    yield manager
    for arn, value in saved.items():
        manager.put_secret_value(SecretId=arn, SecretString=value)
    key_sets.forget()


@pytest.fixture
def moving_clock(monkeypatch):
    moving = MovingClock(clock.now())
    monkeypatch.setattr(clock, "now", moving)
    return moving


def register(local_api):
    event = load_event("register")
    email = unique_email("rotation")
    event["body"] = json.dumps({**json.loads(event["body"]), "email": email})
    response = invoke(local_api, "RegisterFunction", event)
    assert response["statusCode"] == 201, response["body"]
    return {**body_of(response)["data"], "email": email}



def refresh(local_api, token):
    event = load_event("refresh")
    event["body"] = json.dumps({"refreshToken": token})
    return invoke(local_api, "RefreshFunction", event)


def authorize(local_api, token):
    event = load_event("authorizer")
    event["headers"]["Authorization"] = f"Bearer {token}"
    return invoke(local_api, "AuthorizerFunction", event)


def rotate(local_api, force=False):
    event = {**json.loads((EVENTS / "rotate_signing_keys.json").read_text()), **({"force": True} if force else {})}
    return invoke(local_api, "RotateSigningKeysFunction", event)


def jwks(local_api):
    response = invoke(local_api, "JwksFunction", load_event("jwks"))
    assert response["statusCode"] == 200
    assert response["headers"]["Cache-Control"] == f"public, max-age={get_settings().jwks_max_age}"
    # The access tokens' keys (ES256); the ID tokens' RS256 keys beside them rotate on their own.
    return [k["kid"] for k in json.loads(response["body"])["keys"] if k["alg"] == "ES256"]


def kid(token):
    return jwt.get_unverified_header(token)["kid"]


def test_a_rotation_from_start_to_end_signs_nobody_out(local_api, key_sets, moving_clock, counted):  # noqa: F811
    start = moving_clock.now
    early, idle = register(local_api), register(local_api)
    old_access, old_refresh = kid(early["accessToken"]), kid(early["refreshToken"])
    assert old_access.startswith("access-") and old_refresh.startswith("refresh-")

    report = rotate(local_api, force=True)
    new_access = report["access"]["keys"][-1]["kid"]
    assert report["access"]["signingKid"] == old_access != new_access
    assert jwks(local_api) == [old_access, new_access], "published before it signs"
    assert kid(sign_in(local_api, early["email"])["accessToken"]) == old_access
    stolen_old_key = signing_keys.parse_private(
        tokens.ACCESS, key_sets.get_secret_value(SecretId=_arn(key_sets, "signing-keys/access"))["SecretString"])[0][0]

    moving_clock.now = start + LEAD() - 1
    last_of_old = sign_in(local_api, early["email"])["accessToken"]
    assert kid(last_of_old) == old_access
    moving_clock.now = start + LEAD()  # every cached copy, and every client's JWKS, is older than it may be by now
    fresh = sign_in(local_api, early["email"])
    assert kid(fresh["accessToken"]) == new_access
    assert authorize(local_api, last_of_old)["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    rotated = refresh(local_api, early["refreshToken"])  # signed by the old refresh key: still good
    assert rotated["statusCode"] == 200, rotated["body"]
    assert kid(body_of(rotated)["data"]["accessToken"]) == new_access

    moving_clock.now += 900 + signing_keys.RETIRE_MARGIN  # the last access token of the old key has expired
    rotate(local_api)
    assert jwks(local_api) == [new_access]
    forged, _ = tokens.issue(context(tokens.ACCESS, stolen_old_key), tokens.ACCESS, 900, now=moving_clock.now,
                             sub=early["user"]["id"], org=early["user"]["organizationId"], role="ADMIN",
                             sid="ses_x", auth_time=moving_clock.now, amr=["pwd"])
    counted.clear()
    refused = authorize(local_api, forged)
    assert refused["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert refused["context"]["code"] == "UNKNOWN_SIGNING_KEY"
    assert sum(counted.values()) == 0, "a retired kid costs no DynamoDB read"
    assert authorize(local_api, sign_in(local_api, early["email"])["accessToken"])["context"]["kind"] == "user"

    moving_clock.now = start + 6 * DAY  # a session idle since before the rotation still refreshes
    assert rotate(local_api)["access"]["keys"] == [{"kid": new_access, "activeFrom": start + LEAD(),
                                                    "retireAt": None}], "no new key before 30 days"
    idle_refresh = refresh(local_api, idle["refreshToken"])
    assert idle_refresh["statusCode"] == 200, idle_refresh["body"]
    assert old_refresh in rotate(local_api)["refresh"]["keys"][0]["kid"]

    moving_clock.now = start + LEAD() + 7 * DAY + signing_keys.RETIRE_MARGIN
    assert [k["kid"] for k in rotate(local_api)["refresh"]["keys"]] == [report["refresh"]["keys"][-1]["kid"]]


def test_a_new_key_signs_only_after_twice_the_longest_jwks_cache(local_api, key_sets, moving_clock):
    """A client may hold the JWKS for its max-age, and the container that served it may have held its
    copy of the set for `key_set_cache_seconds` before that: a new key is published at least twice
    that long before the first token carries it."""
    register(local_api)
    start = moving_clock.now
    response = invoke(local_api, "JwksFunction", load_event("jwks"))
    max_age = int(response["headers"]["Cache-Control"].rpartition("max-age=")[2])
    report = rotate(local_api, force=True)
    successor = report["access"]["keys"][-1]
    longest = get_settings().key_set_cache_seconds + max_age
    assert successor["activeFrom"] - start >= 2 * longest
    moving_clock.now = start + 2 * longest - 1
    assert rotate(local_api)["access"]["signingKid"] != successor["kid"], "not signing yet"
    moving_clock.now = successor["activeFrom"]
    assert rotate(local_api)["access"]["signingKid"] == successor["kid"]


def test_rotation_is_idempotent_and_never_brings_in_two_keys_at_once(local_api, key_sets, moving_clock):
    register(local_api)
    first = rotate(local_api, force=True)
    again = rotate(local_api, force=True)
    assert first == again
    assert all(len(purpose["keys"]) == 2 for purpose in first.values())
    assert {"access", "refresh", "2fa_pending"} <= set(first)  # and every module's purpose


def test_the_rotation_report_and_log_hold_no_key_material(local_api, key_sets, moving_clock, capsys):
    report = json.dumps(rotate(local_api, force=True))
    stored = key_sets.get_secret_value(SecretId=_arn(key_sets, "signing-keys/access"))["SecretString"]
    secrets = [entry["d"] for entry in json.loads(stored)["keys"]]
    logged = capsys.readouterr().out
    assert secrets and not any(s in report or s in logged for s in secrets)


def _arn(manager, suffix):
    (arn,) = [s["ARN"] for s in manager.list_secrets()["SecretList"] if s["Name"].endswith(f"/{suffix}")]
    return arn


def test_the_authorizers_warm_path_reads_no_secret_and_an_unknown_kid_costs_nothing(local_api, key_sets,
                                                                                     monkeypatch, counted):  # noqa: F811
    from latchkey.store import key_sets

    reads = []
    real_read = key_sets._read
    monkeypatch.setattr(key_sets, "_read", lambda arn: reads.append(arn) or real_read(arn))
    user = register(local_api)
    key_sets.forget()  # an authorizer container that starts now
    reads.clear()
    assert authorize(local_api, user["accessToken"])["context"]["kind"] == "user"
    assert len(reads) == 1, "the cold path reads the public set once"
    for _ in range(5):
        assert authorize(local_api, user["accessToken"])["context"]["kind"] == "user"
    assert len(reads) == 1, "warm: no Secrets Manager call"
    counted.clear()
    stranger, _ = tokens.issue(context(tokens.ACCESS), tokens.ACCESS, 900, sub=user["user"]["id"],
                               org=user["user"]["organizationId"], role="ADMIN", sid="ses_x", auth_time=1, amr=["pwd"])
    refused = authorize(local_api, stranger)
    assert refused["context"]["code"] == "UNKNOWN_SIGNING_KEY"
    assert len(reads) == 1 and sum(counted.values()) == 0, "an unknown kid triggers no read of any kind"

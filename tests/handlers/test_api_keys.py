"""API key rules that need the handlers in hand: DynamoDB calls counted, the clock moved, a member's role."""

from collections import Counter

import pytest

from latchkey.rules import api_key_format, clock
from tests.handlers.conftest import (
    READ_SCOPE,
    authorize_key,
    body_of,
    new_key,
    register,
    write_scope,
)


@pytest.fixture
def counted(local_api):
    from latchkey.store.dynamodb import client

    calls = Counter()

    def count(model, **_):
        calls[model.name] += 1

    client.meta.events.register("before-call.dynamodb.*", count)
    yield calls
    client.meta.events.unregister("before-call.dynamodb.*", count)


@pytest.fixture
def admin(local_api):
    return register(local_api, "keys")[1]["user"]


VALID = api_key_format.generate()


@pytest.mark.parametrize(
    "key",
    ["sk_live_" + VALID[8:], VALID[:-1], VALID + "0", VALID.upper().replace("PK_LIVE_", "pk_live_"),
     VALID[:-8] + ("0" * 8 if VALID[-8:] != "0" * 8 else "1" * 8), "   ", "pk_live_ " + VALID[9:],
     "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "pk_live_", VALID[:40] + "\u00e9" + VALID[41:]],
    ids=["wrong prefix", "63 hex", "65 hex", "uppercase", "bad checksum", "whitespace", "inner space", "a JWT",
         "prefix only", "non-ascii"],
)
def test_malformed_keys_are_refused_with_zero_dynamodb_calls(local_api, counted, key):
    answer = authorize_key(local_api, key)
    assert answer["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert answer["context"]["code"] in ("INVALID_API_KEY", "NO_BEARER_TOKEN")
    assert sum(counted.values()) == 0


def test_key_path_costs_one_read_and_a_last_used_write_at_most_once_a_minute(local_api, counted, admin, monkeypatch):
    key = body_of(new_key(local_api, admin))["data"]["key"]
    start = clock.now()
    uses = []
    for offset in (0, 1, 30, 59, 61, 62):
        monkeypatch.setattr(clock, "now", lambda offset=offset: start + offset)
        counted.clear()
        assert authorize_key(local_api, key)["policyDocument"]["Statement"][0]["Effect"] == "Allow"
        uses.append((counted["GetItem"], counted["UpdateItem"], counted["TransactWriteItems"]))
    # the first use is one transaction: "last used" and its audit event (api_key.first_used)
    assert uses == [(1, 0, 1), (1, 0, 0), (1, 0, 0), (1, 0, 0), (1, 1, 0), (1, 0, 0)]


def test_expired_key_is_refused_as_expired(local_api, admin, monkeypatch):
    expiry = clock.now() + 3600
    created = new_key(local_api, admin, expiresAt=clock.iso(expiry))
    key = body_of(created)["data"]["key"]
    assert authorize_key(local_api, key)["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    monkeypatch.setattr(clock, "now", lambda: expiry)
    answer = authorize_key(local_api, key)
    assert answer["context"]["code"] == "API_KEY_EXPIRED"


def test_plain_members_create_read_keys_only(local_api, admin):
    assert new_key(local_api, admin, (READ_SCOPE,), role="USER")["statusCode"] == 201
    refused = new_key(local_api, admin, (write_scope(),), role="USER")
    assert refused["statusCode"] == 403 and body_of(refused)["error"]["code"] == "ADMIN_ONLY"
    assert new_key(local_api, admin, (write_scope(),))["statusCode"] == 201


def test_key_carries_its_creators_role_at_creation(local_api, admin):
    key = body_of(new_key(local_api, admin, role="USER"))["data"]["key"]
    assert authorize_key(local_api, key)["context"]["role"] == "USER"

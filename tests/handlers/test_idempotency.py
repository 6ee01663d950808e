"""Idempotent creates: `Idempotency-Key` on every create (API keys, member invitations, and a module's:
examples/assessments/tests/test_idempotency.py; Powertools Idempotency over the idempotency table). The
same key and body answer the first answer again (its status and body), creating nothing; the same key
with another body is 422; two identical requests at once create once; keys are the caller's own (its
organization, and the user or API key within it); a refusal is not remembered."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest

from latchkey.rules import clock
from tests.handlers.conftest import body_of, code_of, invoke, join, register, signed_in_event
from tests.security.test_team_races import at_once


@dataclass(frozen=True)
class Create:
    function: str  # the create's function
    event: str  # its sample event
    body: dict
    other: dict  # another body
    lister: tuple[str, str, str]  # the list that shows what was created: function, event, field
    # What the create needs first, made as the new admin: the extra fields of both bodies (a candidate's
    # assessment).
    needs: Callable[[object, dict], dict] | None = None

    def send(self, local_api, user: dict, key: str | None = None, body: dict | None = None) -> dict:
        event = signed_in_event(self.event, user)
        event["body"] = json.dumps(self.body if body is None else body)
        if key is not None:
            event["headers"]["Idempotency-Key"] = key
        return invoke(local_api, self.function, event)

    def created(self, local_api, user: dict) -> list[dict]:
        function, event, field = self.lister
        return body_of(invoke(local_api, function, signed_in_event(event, user)))["data"][field]


CREATES = {
    "api_keys": Create("CreateApiKeyFunction", "create_api_key", {"name": "CRM sync", "scopes": ["organization:read"]},
                       {"name": "Billing sync", "scopes": ["organization:read"]},
                       ("ListApiKeysFunction", "list_api_keys", "apiKeys")),
    "invitations": Create("InviteMemberFunction", "invite_member", {"email": "alan@example.com", "role": "MEMBER"},
                          {"email": "alan@example.com", "role": "ADMIN"},
                          ("ListInvitationsFunction", "list_invitations", "invitations")),
}


def new_admin(local_api, create: Create) -> tuple[dict, Create]:
    """A new organization's admin, and the create as they would send it (with what it needs first)."""
    admin = register(local_api, f"idem-{create.event}")[1]["user"]
    if create.needs is not None:
        extra = create.needs(local_api, admin)
        create = replace(create, body={**create.body, **extra}, other={**create.other, **extra})
    return admin, create


class IdempotentCreates:
    """The rules every create keeps, for each create of CREATES: Latchkey's below, a module's in its tests."""
    CREATES: dict[str, Create] = {}

    def pytest_generate_tests(self, metafunc):
        metafunc.parametrize("create", [self.CREATES[what] for what in sorted(self.CREATES)], ids=sorted(self.CREATES))

    def test_a_retried_create_with_the_same_key_answers_the_first_answer_and_creates_once(self, local_api, outbox,
                                                                                          create):
        admin, create = new_admin(local_api, create)
        first = create.send(local_api, admin, key="crm-sync-1")
        again = create.send(local_api, admin, key="crm-sync-1")
        assert first["statusCode"] == again["statusCode"] == 201, first["body"]
        assert body_of(again) == body_of(first)  # the same id (and the same one-time secret, if any)
        assert [c["id"] for c in create.created(local_api, admin)] == [body_of(first)["data"]["id"]]
        if create.function == "InviteMemberFunction":
            assert len(outbox[create.body["email"]]) == 1  # one email: the replay sends none
        without_key = create.send(local_api, admin)
        assert without_key["statusCode"] == 201 and body_of(without_key)["data"]["id"] != body_of(first)["data"]["id"]

    def test_the_same_key_with_another_body_is_422_and_creates_nothing(self, local_api, create):
        admin, create = new_admin(local_api, create)
        first = create.send(local_api, admin, key="k-2")
        assert first["statusCode"] == 201
        other = create.send(local_api, admin, key="k-2", body=create.other)
        assert other["statusCode"] == 422 and code_of(other) == "IDEMPOTENCY_KEY_REUSED"
        assert [c["id"] for c in create.created(local_api, admin)] == [body_of(first)["data"]["id"]]

    @pytest.mark.parametrize("trial", range(2))
    def test_two_identical_requests_at_once_create_once(self, local_api, outbox, create, trial):
        """Real threads, released together: one creates; the other answers the same (it came after) or 409
        IDEMPOTENCY_KEY_IN_USE (it came while the first ran), and sent again then, the first's answer."""
        admin, create = new_admin(local_api, create)
        answers = at_once(*[lambda: create.send(local_api, admin, key="race")] * 2)
        assert sorted(a["statusCode"] for a in answers) in ([201, 201], [201, 409]), [a["body"] for a in answers]
        winner = next(a for a in answers if a["statusCode"] == 201)
        for answer in answers:
            if answer["statusCode"] == 409:
                assert code_of(answer) == "IDEMPOTENCY_KEY_IN_USE"
                answer.update(create.send(local_api, admin, key="race"))  # the retry finishes the job
            assert answer["statusCode"] == 201 and body_of(answer) == body_of(winner)
        assert [c["id"] for c in create.created(local_api, admin)] == [body_of(winner)["data"]["id"]]
        if create.function == "InviteMemberFunction":
            assert len(outbox[create.body["email"]]) == 1


class TestLatchkeysCreates(IdempotentCreates):
    CREATES = CREATES


def test_keys_are_the_organizations_own(local_api):
    admin, create = new_admin(local_api, CREATES["api_keys"])
    other_admin, other_create = new_admin(local_api, CREATES["api_keys"])
    mine = create.send(local_api, admin, key="shared-key")
    theirs = other_create.send(local_api, other_admin, key="shared-key")
    assert theirs["statusCode"] == 201 and body_of(theirs)["data"]["id"] != body_of(mine)["data"]["id"]


def test_another_admin_of_the_organization_never_receives_the_first_ones_key(local_api, outbox):
    """A replay hands back the created key's secret: only to the caller that created it. Another admin
    of the same organization, with the same Idempotency-Key and body, creates their own key."""
    admin, create = new_admin(local_api, CREATES["api_keys"])
    colleague = join(local_api, outbox, admin, role="ADMIN")["user"]
    mine = create.send(local_api, admin, key="shared-key")
    theirs = create.send(local_api, colleague, key="shared-key")
    assert theirs["statusCode"] == 201 and body_of(theirs)["data"]["key"] != body_of(mine)["data"]["key"]
    assert len(create.created(local_api, admin)) == 2


def test_a_refused_create_is_not_remembered(local_api):
    admin, create = new_admin(local_api, CREATES["api_keys"])
    refused = create.send(local_api, admin, key="k-3", body={**create.body, "scopes": ["no:such-scope"]})
    assert refused["statusCode"] == 400 and code_of(refused) == "INVALID_SCOPE"
    assert create.send(local_api, admin, key="k-4")["statusCode"] == 201


def test_keys_expire_after_a_day_and_a_bad_key_is_refused(local_api):
    from latchkey.settings import get_settings
    from latchkey.store import dynamodb

    admin, create = new_admin(local_api, CREATES["api_keys"])
    create.send(local_api, admin, key="k-5")
    items = dynamodb.client.scan(TableName=get_settings().idempotency_table)["Items"]
    expirations = [int(i["expiration"]["N"]) for i in items]
    assert expirations and abs(max(expirations) - (clock.now() + 24 * 3600)) < 60  # the newest: this one
    bad = create.send(local_api, admin, key="x" * 129)
    assert bad["statusCode"] == 400 and code_of(bad) == "VALIDATION_FAILED"

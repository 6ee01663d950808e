"""Idempotent creates: `Idempotency-Key` on POST /v1/public/candidates (Powertools Idempotency over the
idempotency table). The same key and body answer the same candidate again, creating nothing; the same
key with another body is 422; keys are the caller organization's; a refusal is not remembered."""

import json

import pytest

from latchkey.rules import clock
from tests.handlers.conftest import body_of, invoke, register, signed_in_event


@pytest.fixture
def admin_and_assessment(local_api):
    _, data = register(local_api, "idem")
    admin = data["user"]
    create = signed_in_event("create_assessment", admin)
    assessment = body_of(invoke(local_api, "CreateAssessmentFunction", create))["data"]["id"]
    return admin, assessment


def invite(local_api, user, assessment, key=None, email="grace@example.com"):
    event = signed_in_event("invite_candidate", user)
    event["body"] = json.dumps({"assessmentId": assessment, "email": email, "name": "Grace Hopper"})
    if key is not None:
        event["headers"]["Idempotency-Key"] = key
    return invoke(local_api, "InviteCandidateFunction", event)


def listed(local_api, user):
    event = signed_in_event("list_candidates", user)
    return body_of(invoke(local_api, "ListCandidatesFunction", event))["data"]["candidates"]


def test_a_retried_create_with_the_same_key_answers_the_same_candidate_once_more(local_api, admin_and_assessment):
    admin, assessment = admin_and_assessment
    first = invite(local_api, admin, assessment, key="crm-sync-1")
    again = invite(local_api, admin, assessment, key="crm-sync-1")
    assert first["statusCode"] == again["statusCode"] == 201
    assert body_of(again) == body_of(first)  # the same id and the same invitation token
    assert len(listed(local_api, admin)) == 1
    assert invite(local_api, admin, assessment)["statusCode"] == 201  # without a key: a second invitation
    assert len(listed(local_api, admin)) == 2


def test_the_same_key_with_another_body_is_422_and_creates_nothing(local_api, admin_and_assessment):
    admin, assessment = admin_and_assessment
    assert invite(local_api, admin, assessment, key="k-2")["statusCode"] == 201
    other = invite(local_api, admin, assessment, key="k-2", email="ada@example.com")
    assert other["statusCode"] == 422 and body_of(other)["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert [c["email"] for c in listed(local_api, admin)] == ["grace@example.com"]


def test_keys_are_the_organizations_own(local_api, admin_and_assessment):
    admin, assessment = admin_and_assessment
    _, other = register(local_api, "idem-other")
    other_admin = other["user"]
    create = signed_in_event("create_assessment", other_admin)
    other_assessment = body_of(invoke(local_api, "CreateAssessmentFunction", create))["data"]["id"]
    mine = invite(local_api, admin, assessment, key="shared-key")
    theirs = invite(local_api, other_admin, other_assessment, key="shared-key")
    assert theirs["statusCode"] == 201 and body_of(theirs)["data"]["id"] != body_of(mine)["data"]["id"]


def test_a_refused_create_is_not_remembered(local_api, admin_and_assessment):
    admin, _ = admin_and_assessment
    refused = invite(local_api, admin, "asm_" + "0" * 24, key="k-3")
    assert refused["statusCode"] == 404
    create = signed_in_event("create_assessment", admin)
    assessment = body_of(invoke(local_api, "CreateAssessmentFunction", create))["data"]["id"]
    assert invite(local_api, admin, assessment, key="k-4")["statusCode"] == 201


def test_keys_expire_after_a_day_and_a_bad_key_is_refused(local_api, admin_and_assessment):
    from latchkey.settings import get_settings
    from latchkey.store import dynamodb

    admin, assessment = admin_and_assessment
    invite(local_api, admin, assessment, key="k-5")
    items = dynamodb.client.scan(TableName=get_settings().idempotency_table)["Items"]
    expirations = [int(i["expiration"]["N"]) for i in items]
    assert expirations and all(abs(e - (clock.now() + 24 * 3600)) < 60 for e in expirations[-1:])
    bad = invite(local_api, admin, assessment, key="x" * 129)
    assert bad["statusCode"] == 400 and body_of(bad)["error"]["code"] == "VALIDATION_FAILED"

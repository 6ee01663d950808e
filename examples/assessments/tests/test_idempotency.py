"""The module's creates honour `Idempotency-Key` as Latchkey's own do (tests/handlers/test_idempotency.py
holds the rules; these are its cases for an assessment and a candidate)."""

from __future__ import annotations

from tests.handlers.conftest import body_of, invoke, signed_in_event
from tests.handlers.test_idempotency import Create, IdempotentCreates, new_admin


def _an_assessment(local_api, admin: dict) -> dict:
    created = body_of(invoke(local_api, "CreateAssessmentFunction", signed_in_event("create_assessment", admin)))
    return {"assessmentId": created["data"]["id"]}


CREATES = {
    "assessments": Create("CreateAssessmentFunction", "create_assessment", {"title": "Backend screen"},
                          {"title": "Frontend screen"}, ("ListAssessmentsFunction", "list_assessments", "assessments")),
    "candidates": Create("InviteCandidateFunction", "invite_candidate",
                         {"email": "grace@example.com", "name": "Grace Hopper"},
                         {"email": "ada@example.com", "name": "Grace Hopper"},
                         ("ListCandidatesFunction", "list_candidates", "candidates"), needs=_an_assessment),
}


class TestTheModulesCreates(IdempotentCreates):
    CREATES = CREATES


def test_a_refused_create_is_not_remembered(local_api):
    admin, create = new_admin(local_api, CREATES["candidates"])
    refused = create.send(local_api, admin, key="k-3", body={**create.body, "assessmentId": "asm_" + "0" * 24})
    assert refused["statusCode"] == 404
    assert create.send(local_api, admin, key="k-4")["statusCode"] == 201

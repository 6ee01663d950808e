"""The candidates table: one item per invited candidate, keyed by `candidateId`; the ByOrganization
and ByAssessment (`organizationId#assessmentId`) indexes list an organization's candidates. The
result (answers, completion time) is written onto the candidate when the assessment is completed."""

from __future__ import annotations

import os
from typing import NamedTuple

from assessments_example.records import Candidate
from latchkey.store.dynamodb import client, delete_all, from_item, query_all, query_page, to_item

INVITED, COMPLETED = "invited", "completed"


def _table() -> str:
    return os.environ["CANDIDATES_TABLE"]  # told only to the functions holding a right on it


def create(candidate: Candidate) -> None:
    client.put_item(TableName=_table(), Item=to_item({
        "candidateId": candidate.id,
        "organizationId": candidate.organization_id,
        "assessmentId": candidate.assessment_id,
        "organizationAssessment": f"{candidate.organization_id}#{candidate.assessment_id}",
        "email": candidate.email,
        "name": candidate.name,
        "status": candidate.status,
        "invitedAt": candidate.invited_at,
        "invitationHash": candidate.invitation_hash,
    }), ConditionExpression="attribute_not_exists(candidateId)")


def get(candidate_id: str) -> Candidate | None:
    key = {"candidateId": {"S": candidate_id}}
    item = client.get_item(TableName=_table(), Key=key, ConsistentRead=True).get("Item")
    return _candidate(from_item(item)) if item else None


def list_page(organization_id: str, assessment_id: str | None, limit: int,
              cursor: str | None) -> tuple[list[Candidate], str | None]:
    """A page of the organization's candidates (of one assessment, if given), oldest first."""
    if assessment_id:
        partition, index = ("organizationAssessment", f"{organization_id}#{assessment_id}"), "ByAssessment"
    else:
        partition, index = ("organizationId", organization_id), "ByOrganization"
    values, next_cursor = query_page(_table(), partition, "candidateId", limit, cursor, index=index)
    return [_candidate(v) for v in values], next_cursor


def delete_for_organization(organization_id: str) -> int:
    """Deletes every candidate of the organization, answers included (its last member left); how many."""
    keys = query_all(TableName=_table(), IndexName="ByOrganization", KeyConditionExpression="organizationId = :o",
                     ProjectionExpression="candidateId", ExpressionAttributeValues={":o": {"S": organization_id}})
    delete_all(_table(), keys)
    return len(keys)


class Completion(NamedTuple):
    completed: bool
    candidate: Candidate | None  # after completion; or, when refused, as it stood (None if unknown)


def complete(candidate_id: str, invitation_hash: str, answers: str, now: int) -> Completion:
    """Records the result if the invitation is this one and still open: one conditional write, so
    an invitation completes once however many requests race."""
    try:
        result = client.update_item(
            TableName=_table(),
            Key={"candidateId": {"S": candidate_id}},
            ConditionExpression="invitationHash = :hash AND #status = :invited",
            UpdateExpression="SET #status = :completed, answers = :answers, completedAt = :now",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":hash": {"S": invitation_hash}, ":invited": {"S": INVITED},
                                       ":completed": {"S": COMPLETED}, ":answers": {"S": answers},
                                       ":now": {"N": str(now)}},
            ReturnValues="ALL_NEW",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
        return Completion(True, _candidate(from_item(result["Attributes"])))
    except client.exceptions.ConditionalCheckFailedException as refused:
        item = refused.response.get("Item")
        return Completion(False, _candidate(from_item(item)) if item else None)


def _candidate(values: dict) -> Candidate:
    return Candidate(
        id=values["candidateId"],
        organization_id=values["organizationId"],
        assessment_id=values["assessmentId"],
        email=values["email"],
        name=values["name"],
        status=values["status"],
        invited_at=values["invitedAt"],
        invitation_hash=values.get("invitationHash", ""),  # not in the indexes' projection
        completed_at=values.get("completedAt", 0),
        answers=values.get("answers", ""),
    )

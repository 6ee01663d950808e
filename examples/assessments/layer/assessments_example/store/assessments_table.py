"""The assessments table: an organization's assessments, keyed (organizationId, assessmentId)."""

from __future__ import annotations

import os

from assessments_example.records import Assessment
from latchkey.store.dynamodb import client, delete_all, from_item, query_all, query_page, to_item


def _table() -> str:
    return os.environ["ASSESSMENTS_TABLE"]  # told only to the functions holding a right on it


def put(assessment: Assessment) -> None:
    client.put_item(
        TableName=_table(),
        Item=to_item(
            {
                "organizationId": assessment.organization_id,
                "assessmentId": assessment.id,
                "title": assessment.title,
                "description": assessment.description,
                "createdBy": assessment.created_by,
                "createdAt": assessment.created_at,
            }
        ),
        ConditionExpression="attribute_not_exists(assessmentId)",
    )


def get(organization_id: str, assessment_id: str) -> Assessment | None:
    item = client.get_item(
        TableName=_table(),
        Key={"organizationId": {"S": organization_id}, "assessmentId": {"S": assessment_id}},
    ).get("Item")
    return _assessment(from_item(item)) if item else None


def list_for_organization(organization_id: str, limit: int, cursor: str | None) -> tuple[list[Assessment], str | None]:
    """A page of the organization's assessments, oldest first (ids sort by creation time)."""
    values, next_cursor = query_page(
        _table(), ("organizationId", organization_id), "assessmentId", limit, cursor
    )
    return [_assessment(v) for v in values], next_cursor


def delete_for_organization(organization_id: str) -> int:
    """Deletes every assessment of the organization (its last member left); how many."""
    table = _table()
    keys = query_all(TableName=table, KeyConditionExpression="organizationId = :o", ConsistentRead=True,
                     ProjectionExpression="organizationId, assessmentId",
                     ExpressionAttributeValues={":o": {"S": organization_id}})
    delete_all(table, keys)
    return len(keys)


def _assessment(values: dict) -> Assessment:
    return Assessment(
        id=values["assessmentId"],
        organization_id=values["organizationId"],
        title=values["title"],
        description=values.get("description", ""),
        created_by=values["createdBy"],
        created_at=values["createdAt"],
    )

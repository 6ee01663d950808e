"""The assessments table: an organization's assessments, keyed (organizationId, assessmentId)."""

from __future__ import annotations

from latchkey.models import Assessment
from latchkey.settings import get_settings
from latchkey.store.dynamodb import client, from_item, to_item


def put(assessment: Assessment) -> None:
    client.put_item(
        TableName=get_settings().assessments_table,
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


def list_for_organization(organization_id: str, limit: int = 100) -> list[Assessment]:
    page = client.query(
        TableName=get_settings().assessments_table,
        KeyConditionExpression="organizationId = :org",
        ExpressionAttributeValues={":org": {"S": organization_id}},
        Limit=limit,
    )
    return [_assessment(from_item(item)) for item in page.get("Items", [])]


def _assessment(values: dict) -> Assessment:
    return Assessment(
        id=values["assessmentId"],
        organization_id=values["organizationId"],
        title=values["title"],
        description=values.get("description", ""),
        created_by=values["createdBy"],
        created_at=values["createdAt"],
    )

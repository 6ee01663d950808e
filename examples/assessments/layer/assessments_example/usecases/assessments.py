"""Assessments: an organization's list, and creation by its admins."""

from __future__ import annotations

from assessments_example.errors import AssessmentNotFound
from assessments_example.records import ASSESSMENT, Assessment
from assessments_example.store import assessments_table
from latchkey.errors import AdminOnly
from latchkey.rules import clock, ids
from latchkey.rules.records import ADMIN, Principal


def list_for(principal: Principal, limit: int, cursor: str | None) -> tuple[list[Assessment], str | None]:
    return assessments_table.list_for_organization(principal.organization_id, limit, cursor)


def get(principal: Principal, assessment_id: str) -> Assessment:
    """One assessment of the caller's organization; any other id, another organization's included, is 404."""
    found = assessments_table.get(principal.organization_id, assessment_id) if ids.is_id(
        assessment_id, ASSESSMENT) else None
    if found is None:
        raise AssessmentNotFound()
    return found


def create(principal: Principal, title: str, description: str) -> Assessment:
    if principal.role != ADMIN:
        raise AdminOnly("Only organization admins can create assessments")
    assessment = Assessment(
        id=ids.new_id(ASSESSMENT),
        organization_id=principal.organization_id,
        title=title,
        description=description,
        created_by=principal.user_id,
        created_at=clock.iso(),
    )
    assessments_table.put(assessment)
    return assessment

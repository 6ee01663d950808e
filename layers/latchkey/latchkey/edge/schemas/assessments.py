"""Assessments: the creation body and the assessment as shown."""

from __future__ import annotations

from latchkey.edge.schemas.base import Body, Instant, Text, Title, View


class CreateAssessmentBody(Body):
    title: Title
    description: Text = ""


class AssessmentView(View):
    id: str
    organizationId: str
    title: str
    description: str
    createdBy: str
    createdAt: Instant


class AssessmentPageView(View):
    assessments: list[AssessmentView]
    nextCursor: str | None

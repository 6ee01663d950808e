"""The module's request and answer models: assessments, candidates, their completion and results."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from latchkey.edge.schemas.base import Body, Email, Instant, Name, OneOf, PageQuery, Text, Title, View


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


class InviteCandidateBody(Body):
    assessmentId: Annotated[str, Field(max_length=64)]
    email: Email
    name: Name


class CompleteAssessmentBody(Body):
    invitationToken: Annotated[str, Field(min_length=1, max_length=512)]
    answers: dict[str, Any]


class CandidateView(View):
    id: str
    assessmentId: str
    email: str
    name: str
    status: Literal["invited", "completed"]
    invitedAt: Instant
    completedAt: Instant | None


class InvitedCandidateView(CandidateView):
    """A candidate just invited: `invitationToken` is in this response only."""

    invitationToken: str


class CandidatePageView(View):
    candidates: list[CandidateView]
    nextCursor: str | None


class RedirectView(View):
    """Where to send the candidate: the organization's URL with `result=<result token>` added."""

    redirectUrl: str


class ResultTokenView(View):
    """The result token, when the organization has no redirect URL."""

    resultToken: str


CompletionView = OneOf("CompletionView", RedirectView, ResultTokenView, description="Where the candidate goes next.")


class CandidateContactView(View):
    name: str
    email: str


class ResultView(View):
    candidateId: str
    assessmentId: str
    candidate: CandidateContactView
    answers: dict[str, Any]
    completedAt: Instant


class CandidatePageQuery(PageQuery):
    assessmentId: str | None = Field(None, description="only this assessment's candidates")

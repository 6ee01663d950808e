"""The audit trail as the API shows it."""

from __future__ import annotations

from pydantic import Field

from latchkey.edge.schemas.base import Instant, PageQuery, View


class AuditEventView(View):
    id: str
    type: str
    at: Instant
    userId: str | None = Field(description="the user the event is about (none: a failed sign-in, unknown email)")
    actor: str = Field(description="who acted: user:<id>, key:<id> or anonymous")
    subject: str = Field(description="what it happened to: user:<id>, session:<id>, key:<id>, organization:<id>")
    reason: str | None = Field(description="a stable code: why a sign-in failed, how one succeeded, what changed")
    sourceIp: str
    userAgent: str
    requestId: str


class AuditEventPageView(View):
    auditEvents: list[AuditEventView]
    nextCursor: str | None


class AuditEventPageQuery(PageQuery):
    type: str | None = Field(None, description="only events of this type (auth.sign_in.failed, api_key.created, ...)")
    userId: str | None = Field(None, description="only events about this user (admins: any; members: themselves)")

"""Teams: an organization's members and invitations, and accepting an invitation."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from latchkey.edge.bodies import mailable
from latchkey.edge.schemas.base import Body, Email, Instant, Name, Password, View

Role = Literal["ADMIN", "MEMBER"]


class MemberView(View):
    id: str
    name: str
    email: str
    role: Role
    twoFactorEnabled: bool
    createdAt: Instant


class MemberPageView(View):
    members: list[MemberView]
    nextCursor: str | None


class UpdateMemberBody(Body):
    role: Role


class RemovedMemberView(View):
    """What removing a member ended: their sessions and the API keys they created."""

    removed: str
    sessionsRevoked: int
    apiKeysRevoked: int


class SessionsEndedView(View):
    sessionsRevoked: int


class InviteMemberBody(Body):
    email: Annotated[Email, AfterValidator(mailable)]
    role: Role


class InvitationView(View):
    """A pending invitation: never its token, which goes to the invitee by email only."""

    id: str
    email: str
    role: Role
    invitedBy: str
    createdAt: Instant
    expiresAt: Instant


class InvitationListView(View):
    invitations: list[InvitationView]


class AcceptInvitationBody(Body):
    token: Annotated[str, Field(min_length=1, max_length=512)]
    name: Name
    password: Password



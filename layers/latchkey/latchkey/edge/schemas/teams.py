"""Teams: an organization's members and invitations, and accepting an invitation."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

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


def _mailable(address: str) -> str:
    """An address an email can be sent to: as the `To` header of a message, written out and read back,
    it is exactly this one address (the pattern alone admits strings such as `a:b@c.d`, or ones whose
    encoded header no mail reader parses back)."""
    import email.policy  # only the invitation function validates this
    from email.message import EmailMessage
    from email.parser import BytesParser

    try:
        message = EmailMessage()
        message["To"] = address.strip()
        header = BytesParser(policy=email.policy.default).parsebytes(message.as_bytes(), headersonly=True)["To"]
        parsed = [a.addr_spec for a in header.addresses]
    except Exception:  # noqa: BLE001 - any failure to write or read it back: not an address
        parsed = []
    if parsed != [address.strip()]:
        raise PydanticCustomError("email_undeliverable", "not an address mail can be sent to")
    return address


class InviteMemberBody(Body):
    email: Annotated[Email, AfterValidator(_mailable)]
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



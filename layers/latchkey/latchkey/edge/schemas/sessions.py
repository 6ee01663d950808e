"""The signed-in user's sessions (refresh families) as they see them."""

from __future__ import annotations

from latchkey.edge.schemas.base import Instant, View


class SessionView(View):
    id: str
    createdAt: Instant
    lastUsedAt: Instant
    expiresAt: Instant
    userAgent: str
    sourceIp: str  # where it signed in from
    lastIp: str  # where it was last used from: its latest sign-in or refresh
    current: bool


class SessionListView(View):
    sessions: list[SessionView]


class RevokedView(View):
    """What a DELETE ended: the id it was given."""

    revoked: str

"""Sessions: what a signed-in user receives (an access token and a refresh token naming one session)."""

from __future__ import annotations

from dataclasses import dataclass

from latchkey import ids, tokens
from latchkey.models import User
from latchkey.settings import get_settings
from latchkey.signing_keys import token_context


@dataclass(frozen=True)
class SignedIn:
    user: User
    access_token: str
    refresh_token: str
    expires_in: int

    def body(self) -> dict:
        # `accessToken` and `token` carry the same value: each seed document's clients read one of them.
        return {
            "accessToken": self.access_token,
            "token": self.access_token,
            "refreshToken": self.refresh_token,
            "expiresIn": self.expires_in,
            "tokenType": "Bearer",
            "user": self.user.public(),
        }


def start(user: User) -> SignedIn:
    """A new session for `user`: a fresh session id shared by its access and refresh tokens."""
    settings = get_settings()
    ctx = token_context()
    session_id = ids.new_id(ids.SESSION)
    identity = {"sub": user.id, "org": user.organization_id, "role": user.role, "sid": session_id}
    access, _ = tokens.issue(ctx, tokens.ACCESS, settings.access_token_ttl, **identity)
    refresh, _ = tokens.issue(ctx, tokens.REFRESH, settings.refresh_token_ttl, **identity)
    return SignedIn(user=user, access_token=access, refresh_token=refresh, expires_in=settings.access_token_ttl)

"""Sessions: sign-in tokens, refresh rotation with reuse detection, logout and session management.

A session is a refresh family (RFC 9700 4.14.2). Each refresh token names its session (`sid`) and
generation (`gen`); the session stores the current generation's `jti`. Rules:
- rotation is one conditional write: the presented token must be the current one and the session
  live; the old token is dead from then on;
- grace: the immediately previous token, replayed within `refresh_grace` seconds of the rotation (a
  lost response), gets the current generation's refresh token back — re-minted bit for bit from the
  stored `jti`/`iat`, so the family never forks — and a fresh access token;
- any other old token is reuse: the whole session is revoked, and with it every access token of it;
- the session ends at sign-in + `refresh_token_ttl` whatever the rotations.
"""

from __future__ import annotations

from dataclasses import dataclass

from latchkey.errors import (
    InvalidToken,
    RefreshTokenExpired,
    RefreshTokenReused,
    SessionNotFound,
    SessionRevoked,
    TokenExpired,
)
from latchkey.rules import clock, ids, tokens
from latchkey.rules.records import Client, Principal, Session, User
from latchkey.rules.scopes import USER
from latchkey.settings import get_settings
from latchkey.store import dynamodb, sessions_table
from latchkey.store.secrets import token_context


@dataclass(frozen=True)
class SignedIn:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User | None = None  # refresh answers without it: no extra read per refresh

    def body(self) -> dict:
        # `accessToken` and `token` carry the same value: each seed document's clients read one of them.
        body = {
            "accessToken": self.access_token,
            "token": self.access_token,
            "refreshToken": self.refresh_token,
            "expiresIn": self.expires_in,
            "tokenType": "Bearer",
        }
        if self.user is not None:
            body["user"] = self.user.public()
        return body


def start(user: User, client: Client, also: list[dict] | None = None) -> SignedIn:
    """A new session for `user`: generation 0 of a new refresh family; `also` (transaction items from
    other tables) is written in the same transaction, after the session's item: a TransactionCancelled
    gives the session's reason first, then one for each of `also`, in order."""
    now = clock.now()
    session = Session(
        id=ids.new_id(ids.SESSION),
        user_id=user.id,
        organization_id=user.organization_id,
        role=user.role,
        generation=0,
        token_id=tokens.new_token_id(),
        issued_at=now,
        previous_token_id="",
        rotated_at=now,
        created_at=now,
        last_used_at=now,
        expires_at=now + get_settings().refresh_token_ttl,
        user_agent=client.user_agent,
        source_ip=client.source_ip,
    )
    if also:
        dynamodb.transact([sessions_table.create_op(session), *also])
    else:
        sessions_table.create(session)
    return _signed_in(session, now, user)


def refresh(refresh_token: str) -> SignedIn:
    try:
        claims = tokens.verify(token_context(), refresh_token, tokens.REFRESH)
    except TokenExpired:
        raise RefreshTokenExpired() from None
    now = clock.now()
    rotation = sessions_table.rotate(claims["sub"], claims["sid"], claims["jti"], tokens.new_token_id(), now)
    if rotation.rotated:
        return _signed_in(rotation.session, now)
    current = rotation.session
    if current is None or not current.is_live(now):
        raise SessionRevoked()
    grace = get_settings().refresh_grace
    if claims["jti"] == current.previous_token_id and now - current.rotated_at <= grace:
        return _signed_in(current, now)
    sessions_table.revoke(current.user_id, current.id, "refresh token reuse", now)
    raise RefreshTokenReused()


def authenticate(access_token: str) -> Principal:
    """For the authorizer: the principal of a valid access token whose session still lives (one read)."""
    claims = tokens.verify(token_context(), access_token, tokens.ACCESS)
    if not claims.get("sid") or not claims.get("org") or not claims.get("role"):
        raise InvalidToken("Token lacks the session claims")
    if sessions_table.get(claims["sub"], claims["sid"], clock.now()) is None:
        raise SessionRevoked()
    return Principal(kind=USER, user_id=claims["sub"], organization_id=claims["org"], role=claims["role"],
                     session_id=claims["sid"], token_id=claims["jti"], token_expires_at=claims["exp"])


def logout(principal: Principal) -> None:
    """Ends the caller's session: the authorizer reads it on every request, so every access token of
    it dies with it. A session that ended in between (another logout, a reuse revocation) is ended."""
    sessions_table.revoke(principal.user_id, principal.session_id, "logout", clock.now())


def logout_all(principal: Principal) -> int:
    """Ends every live session of the caller; returns how many this call ended.

    Safe to send again after a 503: each transaction of revocations is all or nothing, sessions that
    already ended are skipped, and the caller's own session is ended last (in the last transaction),
    so while any session is still live the same access token can repeat logout-all to finish it."""
    now = clock.now()
    others = [s.id for s in sessions_table.list_for_user(principal.user_id, now) if s.id != principal.session_id]
    return sessions_table.revoke_all(principal.user_id, [*others, principal.session_id], "logout-all", now)


def list_live(principal: Principal) -> list[Session]:
    return sessions_table.list_for_user(principal.user_id, clock.now())


def revoke(principal: Principal, session_id: str) -> None:
    """Ends one of the caller's own sessions; another user's id is simply not found."""
    if not ids.is_id(session_id, ids.SESSION) or not sessions_table.revoke(
        principal.user_id, session_id, "revoked by user", clock.now()
    ):
        raise SessionNotFound()


def _signed_in(session: Session, now: int, user: User | None = None) -> SignedIn:
    """A fresh access token, and the session's current refresh token (re-minted from its jti and iat)."""
    settings = get_settings()
    ctx = token_context()
    identity = {"sub": session.user_id, "org": session.organization_id, "role": session.role, "sid": session.id}
    access_ttl = min(settings.access_token_ttl, session.expires_at - now)  # never outlives its session
    access, _ = tokens.issue(ctx, tokens.ACCESS, access_ttl, now=now, **identity)
    refresh, _ = tokens.issue(ctx, tokens.REFRESH, session.expires_at - session.issued_at, now=session.issued_at,
                              jti=session.token_id, **identity, gen=session.generation)
    return SignedIn(access_token=access, refresh_token=refresh, expires_in=access_ttl, user=user)

"""Sessions: sign-in tokens, refresh rotation with reuse detection, logout and session management.

A session is a refresh family (RFC 9700 4.14.2). Each refresh token names its session (`sid`) and
generation (`gen`); the session stores the current generation's `jti`. Rules:
- rotation is one conditional write: the presented token must be the current one and the session
  live; the old token is dead from then on;
- grace: the immediately previous token, replayed within `refresh_grace` seconds of the rotation (a
  lost response), gets the current generation's refresh token back — re-minted bit for bit from the
  stored `jti`/`iat`, so the family never forks — and a fresh access token; unless the rotation was a
  reauthentication (the token's `auth_time` is older than the session's): then it is refused (401
  INVALID_TOKEN, the session kept), never answered with the newer `auth_time`;
- any other old token is reuse: the whole session is revoked, and with it every access token of it;
- the session ends at sign-in + `refresh_token_ttl` whatever the rotations;
- the user must still exist in the session's organization, not disabled: a refresh of a deleted, removed
  or disabled user's session is refused as a revoked one's, and ends it;
- access tokens carry the session's `auth_time` and `amr`: a refresh never makes them newer, only a
  sign-in or `reauthenticate` does (step-up).
"""

from __future__ import annotations

from typing import NamedTuple

from latchkey.errors import (
    AccountDisabled,
    InvalidToken,
    RefreshTokenExpired,
    RefreshTokenReused,
    ServiceUnavailable,
    SessionNotFound,
    SessionRevoked,
    TokenExpired,
)
from latchkey.rules import clock, ids, tokens
from latchkey.rules.records import ADMIN, MEMBER, App, Client, Principal, Session, User
from latchkey.rules.scopes import API_KEY, USER, WRITE_SCOPES
from latchkey.settings import get_settings
from latchkey.store import accounts_table, apps_table, dynamodb, sessions_table
from latchkey.store.token_keys import signing_context, verifying_context
from latchkey.usecases import audit

_RENEWED = "renewed session"  # the transaction item of a step-up's session
_REAUTHENTICATE_TRIES = 3  # a session rotated by a racing refresh each time: 503, and the client tries again


class SignedIn(NamedTuple):
    access_token: str
    refresh_token: str
    expires_in: int
    user: User | None = None  # refresh answers without it (it reads the user only to check they remain)

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


def start(user: User, client: Client, also: list[dict] | None = None, amr: tuple[str, ...] = ("pwd",),
          *, user_unchanged: bool = True, client_id: str = "", scope: str = "", auth_time: int = 0,
          browser_session_id: str = "") -> SignedIn:
    """A new session for `user`: generation 0 of a new refresh family; `also` (transaction items from
    other tables) is written in the same transaction: a TransactionCancelled tells the refusals of
    those items the caller named (`dynamodb.labelled`). `amr` says how the user proved who they are.

    The session carries the user's role, which the authorizer reads on every request; with
    `user_unchanged` the transaction also requires the user item to hold that role still (last), so a
    sign-in racing a role change or a removal cannot start a session with the old role, or for a user
    who is gone: it answers 503, and the same request sent again signs in as things now stand (the
    item is named `accounts_table.USER_UNCHANGED`; no caller's may be). (Where
    `also` already writes the user item, the caller's own condition must say it, as DynamoDB allows
    one operation per item.) An OAuth app's sign-in names the app (`client_id`) and the granted
    `scope`: its tokens carry them, and only that app may refresh it; its `auth_time` and `amr` are
    those of the hosted page's session (`browser_session_id`) where the user proved who they are."""
    if user.disabled:  # every sign-in ends here; the transaction's USER_UNCHANGED closes a racing disable
        raise AccountDisabled()
    # The keys first: if Secrets Manager is unavailable, fail (503) before a session exists that no
    # token was handed out for.
    signing_context(tokens.ACCESS), signing_context(tokens.REFRESH)
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
        last_ip=client.source_ip,
        auth_time=auth_time or now,
        amr=amr,
        client_id=client_id,
        scope=scope,
        browser_session_id=browser_session_id,
    )
    signed_in = audit.item(audit.SIGN_IN_SUCCEEDED, organization_id=user.organization_id, user_id=user.id,
                           subject=f"session:{session.id}", actor=f"user:{user.id}", reason="+".join(amr))
    ops = [sessions_table.create_op(session), *(also or []), signed_in]
    if user_unchanged:
        ops.append(accounts_table.unchanged_member_op(user))
    try:
        dynamodb.transact(ops)
    except dynamodb.TransactionCancelled as cancelled:
        if user_unchanged and cancelled.refused(accounts_table.USER_UNCHANGED):
            raise ServiceUnavailable("Your account changed while signing in; sign in again") from None
        raise
    return _signed_in(session, now, user)


def refresh(refresh_token: str, source_ip: str, client_id: str = "") -> SignedIn:
    """The session rotated (see the module's rules). An OAuth app's refresh token is refreshed by that app
    only (`client_id`), and no other refresh token by an app: refused before anything is rotated."""
    try:
        claims = tokens.verify(verifying_context(tokens.REFRESH), refresh_token, tokens.REFRESH, clock.now())
    except TokenExpired:
        raise RefreshTokenExpired() from None
    if claims.get("client_id", "") != client_id:
        raise InvalidToken("This refresh token was issued to another client")
    now = clock.now()
    user = accounts_table.get_user(claims["sub"])
    if user is None or user.organization_id != claims["org"] or user.disabled:
        # Deleted, removed from the organization or disabled: whatever a fault left of their sessions ends here.
        sessions_table.revoke(claims["sub"], claims["sid"], "user gone", now)
        raise SessionRevoked()
    rotation = sessions_table.rotate(claims["sub"], claims["sid"], claims["jti"], tokens.new_token_id(), now, source_ip)
    if rotation.rotated:
        return _signed_in(rotation.session, now)
    current = rotation.session
    if current is None or not current.is_live(now):
        raise SessionRevoked()
    grace = get_settings().refresh_grace
    if claims["jti"] == current.previous_token_id and now - current.rotated_at <= grace:
        if claims.get("auth_time") != current.auth_time:
            # Replaced by a reauthentication, not a refresh: its answer would carry the newer
            # auth_time. Refused, and the session, which the password just vouched for, lives on.
            raise InvalidToken("This refresh token was replaced when the session was re-authenticated")
        return _signed_in(current, now)
    sessions_table.revoke(current.user_id, current.id, "refresh token reuse", now, also=[audit.item(
        audit.REFRESH_REUSE, organization_id=current.organization_id, user_id=current.user_id,
        subject=f"session:{current.id}")])
    raise RefreshTokenReused()


def authenticate(access_token: str) -> Principal:
    """For the authorizer: the principal of a valid access token whose session still lives (one read)."""
    claims = tokens.verify(verifying_context(tokens.ACCESS), access_token, tokens.ACCESS, clock.now())
    if claims.get("client_id") and not claims.get("sid"):
        return _machine(claims)
    if not claims.get("sid") or not claims.get("org") or not claims.get("role") or not claims.get("auth_time"):
        raise InvalidToken("Token lacks the session claims")
    session = sessions_table.get(claims["sub"], claims["sid"], clock.now())
    if session is None:
        raise SessionRevoked()
    # The session's role, not the token's: a role change rewrites the user's live sessions, so it
    # counts from the member's next request, with this same one read.
    return Principal(kind=USER, user_id=claims["sub"], organization_id=claims["org"], role=session.role,
                     session_id=claims["sid"], token_id=claims["jti"], token_expires_at=claims["exp"],
                     auth_time=claims["auth_time"])


def _machine(claims: dict) -> Principal:
    """An OAuth app's own token (client credentials): it acts as an API key does, with the scopes it
    carries, while the app is still registered in the token's organization with a secret (one read:
    deleting the app, or voiding its secret, ends its tokens at once)."""
    app = apps_table.get(claims["client_id"])
    if app is None or app.organization_id != claims.get("org") or claims["sub"] != app.id:
        raise SessionRevoked("This app is no longer registered")
    if not app.secret_hash:  # voided when its creator's access ended: its tokens end with it
        raise SessionRevoked("This app's secret was voided; an admin rotates it")
    scopes = tuple(str(claims.get("scope", "")).split())
    return Principal(kind=API_KEY, user_id=app.created_by, organization_id=app.organization_id,
                     role=ADMIN if WRITE_SCOPES.intersection(scopes) else MEMBER, token_id=claims["jti"],
                     token_expires_at=claims["exp"], scopes=scopes)


def machine_token(app: App, scopes: tuple[str, ...]) -> tuple[str, int]:
    """A confidential app's own access token (client credentials): no user, no session, the app's
    scopes; it lives as long as a user's access token. The token and its lifetime."""
    now = clock.now()
    ttl = get_settings().access_token_ttl
    token, _ = tokens.issue(signing_context(tokens.ACCESS), tokens.ACCESS, ttl, now=now, sub=app.id,
                            org=app.organization_id, client_id=app.id, scope=" ".join(scopes))
    return token, ttl


def end_app_session(user_id: str, session_id: str) -> None:
    """An app revoked its sign-in (RFC 7009): the session ends, and every token of it."""
    sessions_table.revoke(user_id, session_id, "revoked by the app", clock.now())


def logout(principal: Principal) -> None:
    """Ends the caller's session: the authorizer reads it on every request, so every access token of
    it dies with it. A session that ended in between (another logout, a reuse revocation) is ended."""
    sessions_table.revoke(principal.user_id, principal.session_id, "logout", clock.now(),
                          also=[_session_event(audit.LOGOUT, principal, principal.session_id)])


def set_role(user_id: str, role: str) -> None:
    """Every live session of the user acts with `role` from its next request on."""
    now = clock.now()
    for session in sessions_table.list_for_user(user_id, now):
        if session.role != role:
            sessions_table.set_role(user_id, session.id, role, now)


def end_sessions(user_id: str, reason: str, now: int, *, keep: str = "", last: str = "",
                 organization_id: str = "") -> int:
    """Ends every live session of the user but `keep` (and `last` after all the others), or only
    those in `organization_id` if given; how many."""
    others = [s.id for s in sessions_table.list_for_user(user_id, now) if s.id not in (keep, last)
              and organization_id in ("", s.organization_id)]
    return sessions_table.revoke_all(user_id, [*others, *([last] if last else [])], reason, now)


def reauthenticated(principal: Principal, amr: list[str], also: list = ()) -> SignedIn:
    """A fresh pair for the caller's own session, its authentication now (the caller proved it), written
    in one transaction with `also` (what the proof spends: a code, a passkey's challenge). So a 503
    spends nothing, and the same proof sent again finishes the job."""
    # The keys first, as `start` does: Secrets Manager unavailable is a 503 before anything is spent.
    signing_context(tokens.ACCESS), signing_context(tokens.REFRESH)
    for _ in range(_REAUTHENTICATE_TRIES):
        now = clock.now()
        session = sessions_table.get(principal.user_id, principal.session_id, now)
        if session is None:
            raise SessionRevoked()
        new_token_id = tokens.new_token_id()
        try:
            dynamodb.transact([*also, dynamodb.labelled(
                _RENEWED, sessions_table.reauthenticate_op(session, new_token_id, amr, now))])
        except dynamodb.TransactionCancelled as cancelled:
            if cancelled.refused_only(_RENEWED):  # refreshed or ended since it was read: read it again
                continue
            raise
        return _signed_in(sessions_table.reauthenticated(session, new_token_id, amr, now), now)
    raise ServiceUnavailable()


def list_live(principal: Principal) -> list[Session]:
    return sessions_table.list_for_user(principal.user_id, clock.now())


def revoke(principal: Principal, session_id: str) -> None:
    """Ends one of the caller's own sessions; another user's id is simply not found."""
    if not ids.is_id(session_id, ids.SESSION) or not sessions_table.revoke(
        principal.user_id, session_id, "revoked by user", clock.now(),
        also=[_session_event(audit.SESSION_REVOKED, principal, session_id)],
    ):
        raise SessionNotFound()


def _session_event(event_type: str, principal: Principal, session_id: str) -> dict:
    return audit.item(event_type, organization_id=principal.organization_id, user_id=principal.user_id,
                      subject=f"session:{session_id}")


def _signed_in(session: Session, now: int, user: User | None = None) -> SignedIn:
    """A fresh access token, and the session's current refresh token (re-minted from its jti and iat)."""
    settings = get_settings()
    identity = {"sub": session.user_id, "org": session.organization_id, "role": session.role, "sid": session.id}
    if session.client_id:  # an OAuth app's session: its tokens name the app and the scope granted
        identity |= {"client_id": session.client_id, "scope": session.scope}
    access_ttl = min(settings.access_token_ttl, session.expires_at - now)  # never outlives its session
    access, _ = tokens.issue(signing_context(tokens.ACCESS), tokens.ACCESS, access_ttl, now=now, **identity,
                             auth_time=session.auth_time, amr=list(session.amr))
    refresh, _ = tokens.issue(signing_context(tokens.REFRESH), tokens.REFRESH, session.expires_at - session.issued_at,
                              now=session.issued_at, jti=session.token_id, **identity, gen=session.generation,
                              auth_time=session.auth_time)
    return SignedIn(access_token=access, refresh_token=refresh, expires_in=access_ttl, user=user)

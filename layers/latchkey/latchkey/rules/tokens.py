"""Token rules: what a Latchkey JWT claims and how it is verified. Pure: the key and the clock are
arguments.

Every token is HS256 with the stage's key and carries `typ`, so one kind can never stand in for
another (a refresh token is never an access token). Verification pins the algorithm and requires
exp, iat, typ, iss and aud; `iss`/`aud` name the stage, so a token never crosses stages.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import jwt

from latchkey.errors import InvalidToken, TokenExpired, WrongStage, WrongTokenType

ALGORITHM = "HS256"
ACCESS = "access"
REFRESH = "refresh"
PENDING_2FA = "2fa_pending"  # login's answer when a second factor is due: good only at /verify-2fa
RESULT = "result"  # a completed assessment's result, handed to the organization's redirect URL
_WRONG_TYPE = {
    ACCESS: "This token cannot be used here; send an access token",
    REFRESH: "This token cannot be used here; send a refresh token",
}
_REQUIRED = ["exp", "iat", "typ", "iss", "aud", "sub", "jti"]
# Claims this service reads, and their JSON types: a signed token of the wrong shape is still refused.
_CLAIM_TYPES = {"exp": int, "iat": int, "typ": str, "sub": str, "jti": str, "org": str, "role": str, "sid": str,
                "gen": int}


@dataclass(frozen=True)
class TokenContext:
    """Where tokens are valid: the stage's key, issuer and audience."""

    key: bytes
    issuer: str
    audience: str

    def __post_init__(self) -> None:
        if len(self.key) < 32:
            raise ValueError("the signing key must be at least 256 bits")


def new_token_id() -> str:
    return secrets.token_urlsafe(16)


def issue(
    ctx: TokenContext, typ: str, ttl: int, *, now: int | None = None, jti: str | None = None, **claims: object
) -> tuple[str, dict]:
    """A signed token of type `typ` living `ttl` seconds, and the claims it carries.

    Deterministic given `now` and `jti`: the same claims re-mint the identical token (the refresh
    grace rule relies on it to hand back a lost response without storing the token).
    """
    issued_at = int(time.time()) if now is None else now
    payload = {
        "iss": ctx.issuer,
        "aud": ctx.audience,
        "typ": typ,
        "jti": jti or new_token_id(),
        "iat": issued_at,
        "exp": issued_at + ttl,
        **claims,
    }
    return jwt.encode(payload, ctx.key, algorithm=ALGORITHM), payload


def verify(ctx: TokenContext, token: str, typ: str) -> dict:
    """The claims of `token` if it is a valid token of type `typ` for this stage; else a 401 error."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        raise InvalidToken("Token is malformed") from None
    if header.get("alg") != ALGORITHM:
        raise InvalidToken("Token algorithm is not accepted")
    try:
        claims = jwt.decode(
            token,
            ctx.key,
            algorithms=[ALGORITHM],
            audience=ctx.audience,
            issuer=ctx.issuer,
            options={"require": _REQUIRED, "enforce_minimum_key_length": True},
        )
    except jwt.ExpiredSignatureError:
        raise TokenExpired() from None
    except (jwt.InvalidAudienceError, jwt.InvalidIssuerError):
        raise WrongStage() from None
    except jwt.InvalidSignatureError:
        raise InvalidToken("Token signature is invalid") from None
    except jwt.MissingRequiredClaimError as exc:
        raise InvalidToken(f"Token lacks the '{exc.claim}' claim") from None
    except jwt.InvalidTokenError:
        raise InvalidToken("Token is malformed") from None
    for name, kind in _CLAIM_TYPES.items():
        value = claims.get(name)
        if value is not None and (type(value) is not kind):
            raise InvalidToken(f"Token claim '{name}' has the wrong type")
    if claims["typ"] != typ:
        raise WrongTokenType(_WRONG_TYPE.get(typ, "This kind of token cannot be used here"))
    return claims

"""Token rules: what a Latchkey JWT claims and how it is verified. Pure: the keys and the clock are
arguments.

Every token is ES256 with the key of its purpose (access, refresh, pending-2FA, result: see
`signing_keys`) and names it in `kid`; it carries `typ`, so one kind can never stand in for another.
Access tokens follow RFC 9068: header `typ: at+jwt`, claims `auth_time` (when the user last proved who
they are) and `amr`. Verification pins ES256 (the header's `alg` is checked before anything else),
accepts only a `kid` of the verifier's own key set (an unknown or retired one is refused before any
signature check or read), requires exp, iat, typ, iss, aud, sub and jti, and checks every claim's
JSON type; `iss`/`aud` name the stage, so a token never crosses stages.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import jwt

from latchkey.errors import InvalidToken, TokenExpired, UnknownSigningKey, WrongTokenType

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec

ALGORITHM = "ES256"

ACCESS = "access"
REFRESH = "refresh"
PENDING_2FA = "2fa_pending"  # login's answer when a second factor is due: good only at /verify-2fa
RESULT = "result"  # a completed assessment's result, handed to the organization's redirect URL
PURPOSES = (ACCESS, REFRESH, PENDING_2FA, RESULT)  # each has its own key set; a kid starts with its purpose
ACCESS_HEADER_TYPE = "at+jwt"  # RFC 9068
_WRONG_TYPE = {
    ACCESS: "This token cannot be used here; send an access token",
    REFRESH: "This token cannot be used here; send a refresh token",
}
_CLOCK_SKEW = 60  # seconds a token's iat may be ahead of this container's clock
_REQUIRED = ["exp", "iat", "typ", "iss", "aud", "sub", "jti"]
# Claims this service reads, and their JSON types: a signed token of the wrong shape is still refused.
_CLAIM_TYPES = {"exp": int, "iat": int, "typ": str, "sub": str, "jti": str, "org": str, "role": str, "sid": str,
                "gen": int, "auth_time": int, "amr": list}


def purpose_of(kid: object) -> str:
    """The purpose a kid names (`access-…`): tells a token of another kind from a forged one."""
    return kid.split("-", 1)[0] if isinstance(kid, str) else ""


@cache
def _signer() -> Any:
    """PyJWS with ES256 using RFC 6979 nonces: the same claims and key always give the same token.
    Built on first use: functions that never sign or verify (logout, listings) carry no cryptography."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from jwt.algorithms import ECAlgorithm
    from jwt.utils import der_to_raw_signature

    class DeterministicES256(ECAlgorithm):
        def sign(self, msg: bytes, key: ec.EllipticCurvePrivateKey) -> bytes:
            signature = key.sign(msg, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
            return der_to_raw_signature(signature, key.curve)

    jws = jwt.PyJWS(algorithms=[])
    jws.register_algorithm(ALGORITHM, DeterministicES256(ECAlgorithm.SHA256))
    return jws


@dataclass(frozen=True)
class TokenContext:
    """Where tokens of one purpose are valid: the stage's issuer and audience, the purpose's key set
    (kid -> public key), and, only in functions that mint this purpose, the key that signs."""

    issuer: str
    audience: str
    purpose: str
    verifying: Mapping[str, ec.EllipticCurvePublicKey] = field(default_factory=dict)
    kid: str = ""
    signing: ec.EllipticCurvePrivateKey | None = None


def new_token_id() -> str:
    return secrets.token_urlsafe(16)


def issue(
    ctx: TokenContext, typ: str, ttl: int, *, now: int | None = None, jti: str | None = None, **claims: object
) -> tuple[str, dict]:
    """A signed token of type `typ` living `ttl` seconds, and the claims it carries.

    Deterministic given `now`, `jti` and the signing key: the same claims re-mint the identical token
    (the refresh grace rule relies on it to hand back a lost response without storing the token).
    """
    if ctx.signing is None or typ != ctx.purpose:
        raise PermissionError(f"this function holds no key that signs {typ} tokens")
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
    header = {"kid": ctx.kid, "typ": ACCESS_HEADER_TYPE if typ == ACCESS else "JWT"}
    body = json.dumps(payload, separators=(",", ":")).encode()
    return _signer().encode(body, ctx.signing, algorithm=ALGORITHM, headers=header), payload


def verify(ctx: TokenContext, token: str, typ: str, now: int | None = None) -> dict:
    """The claims of `token` if it is a valid token of type `typ` for this stage at `now`; else a 401
    error. Expiry is judged here against `now` (the service's one clock), not by PyJWT's own."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        raise InvalidToken("Token is malformed") from None
    if header.get("alg") != ALGORITHM:
        raise InvalidToken("Token algorithm is not accepted")
    kid = header.get("kid")
    key = ctx.verifying.get(kid) if isinstance(kid, str) else None
    if key is None:
        named = purpose_of(kid)
        if named in PURPOSES and named != typ:
            raise WrongTokenType(_WRONG_TYPE.get(typ, "This kind of token cannot be used here"))
        raise UnknownSigningKey()
    if typ == ACCESS and str(header.get("typ", "")).lower() not in (ACCESS_HEADER_TYPE, "application/at+jwt"):
        raise WrongTokenType(_WRONG_TYPE[ACCESS])
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=ctx.audience,
            issuer=ctx.issuer,
            options={"require": _REQUIRED, "verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
    except (jwt.InvalidAudienceError, jwt.InvalidIssuerError):
        raise InvalidToken("Token was issued for another stage", code="WRONG_STAGE") from None
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
    now = int(time.time()) if now is None else now
    if now >= claims["exp"]:
        raise TokenExpired()
    if claims["iat"] > now + _CLOCK_SKEW:
        raise InvalidToken("Token was issued in the future")
    if claims["typ"] != typ:
        raise WrongTokenType(_WRONG_TYPE.get(typ, "This kind of token cannot be used here"))
    return claims

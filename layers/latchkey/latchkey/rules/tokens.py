"""Token rules: what a Latchkey JWT claims and how it is verified. Pure: the keys and the clock are
arguments.

Every token is ES256 with the key of its purpose (access, refresh, pending-2FA, and a module's own: see
`signing_keys`) and names it in `kid`; it carries `typ`, so one kind can never stand in for another.
Access tokens follow RFC 9068: header `typ: at+jwt`, claims `auth_time` (when the user last proved who
they are) and `amr`. Verification pins ES256 (the header's `alg` is checked before anything else),
accepts only a `kid` of the verifier's own key set (an unknown or retired one is refused before any
signature check or read), requires exp, iat, typ, iss, aud, sub and jti, and checks every claim's
JSON type; `iss`/`aud` name the stage, so a token never crosses stages.

The JWS (RFC 7515 compact form, one algorithm) is written here on cryptography's primitives rather
than with PyJWT: PyJWT imports cryptography.x509 and urllib's TLS stack, about 86 ms of CPU on every
cold start of the authorizer (0.2x the boto3 baseline, measured with `make bench`), for one fixed
algorithm that takes forty lines. The tests hold it to PyJWT, as an independent verifier and signer.
Signatures are deterministic (RFC 6979): the same claims and key give the same token.

Only the canonical form of a token verifies, so that one token has exactly one spelling: every
segment is unpadded base64url whose unused tail bits are zero (what re-encoding its bytes gives), and
an ECDSA signature (r, s) must have the low S (s <= n/2; its twin (r, n - s) checks out as well under
plain ECDSA and is refused). Our signer normalises to low S.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import time
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import NamedTuple

from latchkey.errors import InvalidToken, TokenExpired, UnknownSigningKey, WrongStage, WrongTokenType

# cryptography comes with its own layer, on the functions that sign or verify tokens: imported at init
# where it is installed (never later, on a request); a function without it can still import this
# module for its names, and can mint or verify nothing.
try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
except ImportError:  # pragma: no cover - exercised by the Lambda-like imports of `make bench`
    ec = None  # type: ignore[assignment]

ALGORITHM = "ES256"
ACCESS = "access"
REFRESH = "refresh"
PENDING_2FA = "2fa_pending"  # login's answer when a second factor is due: good only at /verify-2fa
# Every purpose a kid may name, each with its own key set: Latchkey's and the modules' (a token of another
# purpose than the one expected is told apart from a forged one).
# >>> generated: purposes (python -m contract, from api/access.py; edit that, not this)
PURPOSES = ("access", "refresh", "2fa_pending", "id", "gateway", "result")
RS256_PURPOSES = ("id", "gateway")
# <<< generated: purposes
# RS256_PURPOSES' tokens are read by others, never by Latchkey, and signed RS256 (signing_keys): OpenID
# Connect ID tokens, and access tokens for your own API (an audience of GatewayJwtAudiences), which its
# gateway verifies. `verify` refuses both: it pins ES256, and their kids are in no set it is given.
ID_TOKEN = "id"
GATEWAY = "gateway"
ID_TOKEN_ALGORITHM = RS256 = "RS256"
ACCESS_HEADER_TYPE = "at+jwt"  # RFC 9068
MAX_TOKEN_LENGTH = 8192
_WRONG_TYPE = {
    ACCESS: "This token cannot be used here; send an access token",
    REFRESH: "This token cannot be used here; send a refresh token",
}
_REQUIRED = ["exp", "iat", "typ", "iss", "aud", "sub", "jti"]
_CLOCK_SKEW = 60  # seconds a token's iat may be ahead of this container's clock
# Claims this service reads, and their JSON types: a signed token of the wrong shape is still refused.
_CLAIM_TYPES = {"exp": int, "iat": int, "typ": str, "iss": str, "aud": str, "sub": str, "jti": str, "org": str,
                "role": str, "sid": str, "gen": int, "auth_time": int, "amr": list}
_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")
CURVE_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551  # n of P-256

if ec:

    class _VerifyEcdsa(ec.ECDSA):
        """ECDSA over SHA-256 for verifying. ECDSA's constructor loads the whole OpenSSL backend to see
        whether deterministic signing is supported: about 7 ms of CPU, 0.02x of the authorizer's cold
        start, for a question verification never asks. Signers build the real one with their key, on
        first use (the key itself is fetched then)."""

        algorithm = hashes.SHA256()
        deterministic_signing = False

        def __init__(self) -> None:  # not ECDSA's: that is the one that loads the backend
            pass

    _VERIFY = _VerifyEcdsa()


@cache
def _signing_ecdsa() -> ec.ECDSA:
    return ec.ECDSA(hashes.SHA256(), deterministic_signing=True)


class TokenContext(NamedTuple):
    """Where tokens of one purpose are valid: the stage's issuer and audience, the purpose's key set
    (kid -> public key), and, only in functions that mint this purpose, the key that signs."""

    issuer: str
    audience: str
    purpose: str
    verifying: Mapping[str, ec.EllipticCurvePublicKey] = MappingProxyType({})
    kid: str = ""
    signing: ec.EllipticCurvePrivateKey | None = None


def purpose_of(kid: object) -> str:
    """The purpose a kid names (`access-…`): tells a token of another kind from a forged one."""
    return kid.split("-", 1)[0] if isinstance(kid, str) else ""


def new_token_id() -> str:
    return secrets.token_urlsafe(16)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _json_segment(data: dict) -> str:
    return _b64(json.dumps(data, separators=(",", ":")).encode())


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
    header = {"alg": ALGORITHM, "kid": ctx.kid, "typ": ACCESS_HEADER_TYPE if typ == ACCESS else "JWT"}
    signing_input = f"{_json_segment(header)}.{_json_segment(payload)}"
    r, s = decode_dss_signature(ctx.signing.sign(signing_input.encode(), _signing_ecdsa()))
    s = min(s, CURVE_ORDER - s)  # low S: the only form `verify` accepts (still deterministic)
    return f"{signing_input}.{_b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}", payload


def _decode(segment: str) -> bytes:
    """The bytes of an unpadded base64url segment in its one canonical spelling: no padding, and no
    tail with unused bits set (`...Q` where `...A` is meant decodes to the same bytes)."""
    if not _SEGMENT.fullmatch(segment):
        raise InvalidToken("Token is malformed")
    try:
        decoded = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise InvalidToken("Token is malformed") from None
    if _b64(decoded) != segment:
        raise InvalidToken("Token is malformed")
    return decoded


def _json_object(segment: str) -> dict:
    try:
        value = json.loads(_decode(segment))
    except (ValueError, RecursionError):
        raise InvalidToken("Token is malformed") from None
    if not isinstance(value, dict):
        raise InvalidToken("Token is malformed")
    return value


def unverified_claims(token: str) -> dict:
    """The claims of a token already verified (by `verify`, or by the authorizer before the request
    came through): never a judgement of it."""
    return _json_object(token.split(".")[1])


def verify(ctx: TokenContext, token: str, typ: str, now: int | None = None) -> dict:
    """The claims of `token` if it is a valid token of type `typ` for this stage at `now`; else a 401
    error. Nothing of the payload is looked at before the signature has been checked."""
    parts = token.split(".") if isinstance(token, str) and len(token) <= MAX_TOKEN_LENGTH else []
    if len(parts) != 3:
        raise InvalidToken("Token is malformed")
    header = _json_object(parts[0])
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
    signature = _decode(parts[2])
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if len(signature) != 64 or not (0 < r < CURVE_ORDER and 0 < s <= CURVE_ORDER // 2):
        raise InvalidToken("Token signature is invalid")  # high S: the twin of a valid signature
    der = encode_dss_signature(r, s)
    try:
        key.verify(der, f"{parts[0]}.{parts[1]}".encode(), _VERIFY)
    except InvalidSignature:
        raise InvalidToken("Token signature is invalid") from None
    claims = _json_object(parts[1])
    for name in _REQUIRED:
        if name not in claims:
            raise InvalidToken(f"Token lacks the '{name}' claim")
    for name, kind in _CLAIM_TYPES.items():
        value = claims.get(name)
        if value is not None and (type(value) is not kind):
            raise InvalidToken(f"Token claim '{name}' has the wrong type")
    if claims["iss"] != ctx.issuer or claims["aud"] != ctx.audience:
        raise WrongStage()
    now = int(time.time()) if now is None else now
    if now >= claims["exp"]:
        raise TokenExpired()
    if claims["iat"] > now + _CLOCK_SKEW:
        raise InvalidToken("Token was issued in the future")
    if claims["typ"] != typ:
        raise WrongTokenType(_WRONG_TYPE.get(typ, "This kind of token cannot be used here"))
    return claims

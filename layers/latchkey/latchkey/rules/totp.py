"""Two-factor rules, pure: RFC 6238 TOTP (SHA-1, 6 digits, 30 s) with the accepted time step
reported (so a code works once), recovery codes, and AES-256-GCM sealing of TOTP secrets with the
user's id as associated data (a sealed secret copied onto another user does not open)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import pyotp
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PERIOD = 30
DIGITS = 6
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


def new_secret() -> str:
    return pyotp.random_base32()  # 32 base32 characters: 160 bits, RFC 4226's recommendation


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg(uri: str) -> str | None:
    """The URL as a QR code: a standalone SVG document (its namespace declared, so that it renders as
    an image file or a `data:image/svg+xml` URL, and inline in HTML too); None when the URL is too long
    for one (a very long email)."""
    import io

    import segno  # only setup draws QR codes

    try:
        code = segno.make(uri, error="m")
    except segno.DataOverflowError:
        return None
    out = io.BytesIO()
    code.save(out, kind="svg", scale=4, xmldecl=False, svgns=True, nl=False, svgclass=None, lineclass=None)
    return out.getvalue().decode()


def matching_step(secret: str, code: str, now: int, digits: int = DIGITS) -> int | None:
    """The time step whose code equals `code` — the current one or one either side — else None."""
    totp = pyotp.TOTP(secret, digits=digits, interval=PERIOD)
    current = now // PERIOD
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * PERIOD), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Ten codes of 16 base32 characters (80 bits each), grouped for reading: `abcd-efgh-ijkl-mnop`."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
    return codes


def recovery_hash(code: str) -> str:
    """Stored instead of the code. 80 random bits need no slow hash; case and dashes do not matter."""
    return hashlib.sha256(code.replace("-", "").lower().encode()).hexdigest()


def is_totp_code(code: str) -> bool:
    return len(code) == DIGITS and code.isdigit()


def seal(key_material: bytes, plaintext: str, owner_id: str) -> str:
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_key(key_material)).encrypt(nonce, plaintext.encode(), owner_id.encode())
    return "v1." + base64.b64encode(nonce + sealed).decode()


def unseal(key_material: bytes, sealed: str, owner_id: str) -> str:
    """The plaintext; raises if the blob was altered or belongs to another owner."""
    version, _, blob = sealed.partition(".")
    if version != "v1":
        raise ValueError("unknown sealing version")
    raw = base64.b64decode(blob)
    return AESGCM(_key(key_material)).decrypt(raw[:12], raw[12:], owner_id.encode()).decode()


def _key(material: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"latchkey totp seal v1").derive(material)

"""Sealing a secret to a recipient's public key: a compact JWE (RFC 7516) with `alg` ECDH-ES (direct key
agreement on P-256, RFC 7518 4.6: an ephemeral key, the Concat KDF over SHA-256) and `enc` A256GCM.
What an export carries of a user's TOTP secret: only the holder of the private key reads it. Pure: the
`cryptography` package (the crypto layer), no I/O."""

from __future__ import annotations

import base64
import json
import os
import struct


class InvalidRecipientKey(ValueError):
    """Not a public P-256 key as a JWK (`{"kty": "EC", "crv": "P-256", "x", "y"}`)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def recipient(jwk: object):
    """The public key of `jwk`; InvalidRecipientKey if it is none (or a private key: refused, never kept)."""
    from cryptography.hazmat.primitives.asymmetric import ec

    if not isinstance(jwk, dict) or jwk.get("kty") != "EC" or jwk.get("crv") != "P-256" or "d" in jwk:
        raise InvalidRecipientKey("recipientPublicKey must be a public P-256 JWK (kty EC, crv P-256, x, y)")
    try:
        x, y = _unb64(jwk["x"]), _unb64(jwk["y"])
        if len(x) != 32 or len(y) != 32:
            raise ValueError
        return ec.EllipticCurvePublicNumbers(int.from_bytes(x), int.from_bytes(y), ec.SECP256R1()).public_key()
    except (KeyError, TypeError, ValueError):  # not on the curve, or not base64url
        raise InvalidRecipientKey("recipientPublicKey is not a point on P-256") from None


def seal(jwk: dict, plaintext: bytes) -> str:
    """The compact JWE of `plaintext` for the holder of `jwk`'s private key."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash

    public = recipient(jwk)
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    numbers = ephemeral.public_key().public_numbers()
    epk = {"kty": "EC", "crv": "P-256", "x": _b64(numbers.x.to_bytes(32)), "y": _b64(numbers.y.to_bytes(32))}
    header = _b64(json.dumps({"alg": "ECDH-ES", "enc": "A256GCM", "epk": epk}, separators=(",", ":")).encode())
    shared = ephemeral.exchange(ec.ECDH(), public)
    # AlgorithmID (the enc, for direct agreement), PartyUInfo and PartyVInfo (empty), SuppPubInfo (256 bits).
    other = struct.pack(">I", 7) + b"A256GCM" + struct.pack(">I", 0) * 2 + struct.pack(">I", 256)
    key = ConcatKDFHash(hashes.SHA256(), 32, other).derive(shared)
    iv = os.urandom(12)
    sealed = AESGCM(key).encrypt(iv, plaintext, header.encode())
    return ".".join((header, "", _b64(iv), _b64(sealed[:-16]), _b64(sealed[-16:])))

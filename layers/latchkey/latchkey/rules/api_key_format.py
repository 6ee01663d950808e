"""The API key format, pure: `pk_live_` + 56 hex digits from a CSPRNG (224 bits) + 8 hex digits of
CRC-32 over everything before them. The checksum lets a typo or an invented key be refused without
touching DynamoDB (as GitHub's token format does); only the key's SHA-256 is ever stored."""

from __future__ import annotations

import hashlib
import re
import secrets
import zlib

PREFIX = "pk_live_"
_SHAPE = re.compile(r"pk_live_[0-9a-f]{64}")


def generate() -> str:
    body = PREFIX + secrets.token_hex(28)
    return body + _checksum(body)


def is_well_formed(key: str) -> bool:
    """Shape and checksum; no I/O."""
    return _SHAPE.fullmatch(key) is not None and secrets.compare_digest(key[-8:], _checksum(key[:-8]))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("ascii")).hexdigest()


def display_parts(key: str) -> tuple[str, str]:
    """What a listing shows: enough to recognise a key, nothing to use it (`pk_live_a3f1`, `9c2e`)."""
    return key[:12], key[-4:]


def _checksum(body: str) -> str:
    return f"{zlib.crc32(body.encode('ascii')):08x}"

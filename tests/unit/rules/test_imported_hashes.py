"""Imported password hashes (latchkey/rules/imported_hashes.py), each made here by its reference
algorithm: bcrypt's own library, argon2-cffi, hashlib's scrypt and PBKDF2 as Django and passlib lay them
out, and Firebase's modified scrypt checked against the vector its repository publishes. The right
password verifies, a wrong one does not, and anything else is refused, never guessed at."""

from __future__ import annotations

import base64
import hashlib

import bcrypt
import pytest
from argon2 import PasswordHasher, Type

from latchkey.rules import imported_hashes as h

PASSWORD = "correct horse battery staple"
SALT = b"sixteen byte salt"


def b64(data: bytes, pad: bool = False) -> str:
    text = base64.b64encode(data).decode()
    return text if pad else text.rstrip("=")


def made_by_reference() -> dict[str, str]:
    secret = PASSWORD.encode()
    scrypt = hashlib.scrypt(secret, salt=SALT, n=2 ** 14, r=8, p=1, dklen=32)
    pbkdf2 = hashlib.pbkdf2_hmac("sha256", secret, b"seasalt", 1000)
    return {
        "bcrypt $2b$": bcrypt.hashpw(secret, bcrypt.gensalt(4)).decode(),
        "bcrypt $2a$": bcrypt.hashpw(secret, bcrypt.gensalt(4, prefix=b"2a")).decode(),
        "bcrypt $2y$": bcrypt.hashpw(secret, bcrypt.gensalt(4)).decode().replace("$2b$", "$2y$"),
        "argon2id": PasswordHasher(time_cost=1, memory_cost=8192, type=Type.ID).hash(PASSWORD),
        "argon2i": PasswordHasher(time_cost=3, memory_cost=4096, type=Type.I).hash(PASSWORD),
        "scrypt PHC": f"$scrypt$ln=14,r=8,p=1${b64(SALT)}${b64(scrypt)}",
        "Django pbkdf2_sha256": f"pbkdf2_sha256$1000$seasalt${b64(pbkdf2, pad=True)}",
        "PHC pbkdf2-sha256": f"$pbkdf2-sha256$i=1000,l=32${b64(b'seasalt')}${b64(pbkdf2)}",
        "passlib pbkdf2-sha256": f"$pbkdf2-sha256$1000${b64(b'seasalt').replace('+', '.')}"
                                 f"${b64(pbkdf2).replace('+', '.')}",
    }


@pytest.mark.parametrize("name", list(made_by_reference()))
def test_each_format_verifies_its_password_and_no_other(name):
    stored = made_by_reference()[name]
    assert h.recognize(stored) in h.FORMATS
    assert h.verify(stored, PASSWORD)
    assert not h.verify(stored, PASSWORD + "!")


def test_firebase_scrypt_matches_the_published_vector():
    """github.com/firebase/scrypt's README: user1password with its sample project's parameters."""
    stored = h.firebase_hash(
        "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==", "42xEC+ixf3L2lw==",
        "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==", "Bw==", 8, 14)
    assert h.recognize(stored) == h.FIREBASE_SCRYPT
    assert h.verify(stored, "user1password")
    assert not h.verify(stored, "user2password")


def test_bcrypt_counts_only_the_first_72_bytes_as_bcrypt_always_did():
    long = "x" * 72
    stored = bcrypt.hashpw(long.encode(), bcrypt.gensalt(4)).decode()
    assert h.verify(stored, long + "anything after")


@pytest.mark.parametrize("stored", [
    "5f4dcc3b5aa765d61d8327deb882cf99",  # MD5
    "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/",  # md5-crypt
    "$6$rounds=5000$salt$abc",  # sha512-crypt
    "sha1$salt$abc", "plain text", "", "$2b$04$short",
    "$2b$31$" + "a" * 53,  # bcrypt cost far above the bound
    "$scrypt$ln=30,r=8,p=1$c2FsdA$aGFzaA",  # 128 GiB of scrypt
    "$pbkdf2-sha256$i=999999999$c2FsdA$aGFzaA",
])
def test_unknown_formats_and_unbounded_parameters_are_refused(stored):
    with pytest.raises(h.UnknownHashFormat):
        h.recognize(stored)
    with pytest.raises(h.UnknownHashFormat):
        h.verify(stored, PASSWORD)

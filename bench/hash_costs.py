"""The CPU cost of verifying one password against each imported hash format (rules/imported_hashes.py),
at the parameters the services that export them use by default: `python -m bench.hash_costs`."""

from __future__ import annotations

import base64
import hashlib
import statistics
import time

import bcrypt
from argon2 import PasswordHasher, Type

from latchkey.rules import imported_hashes, passwords

PASSWORD = "correct horse battery staple"
SALT = b"sixteen byte salt"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def formats() -> dict[str, str]:
    secret = PASSWORD.encode()
    signer, separator = b"a signer key of the project, 64 bytes in Firebase" * 2, b"\x07"
    derived = hashlib.scrypt(secret, salt=SALT + separator, n=2 ** 14, r=8, p=1, dklen=64)
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    firebase = Cipher(algorithms.AES(derived[:32]), modes.CTR(b"\0" * 16)).encryptor().update(signer)
    return {
        "bcrypt cost 10 (Auth0, Supabase)": bcrypt.hashpw(secret, bcrypt.gensalt(10)).decode(),
        "argon2id m=19 MiB t=2 (Latchkey's own)": passwords.hash_password(PASSWORD),
        "argon2i m=4 MiB t=3": PasswordHasher(time_cost=3, memory_cost=4096, type=Type.I).hash(PASSWORD),
        "scrypt N=2^15 r=8 p=1": f"$scrypt$ln=15,r=8,p=1${b64(SALT)}$"
                                  f"{b64(hashlib.scrypt(secret, salt=SALT, n=2 ** 15, r=8, p=1, maxmem=2 ** 26))}",
        "Firebase scrypt r=8 memCost=14": imported_hashes.firebase_hash(
            base64.b64encode(firebase).decode(), base64.b64encode(SALT).decode(), base64.b64encode(signer).decode(),
            base64.b64encode(separator).decode(), 8, 14),
        "PBKDF2-SHA256 870,000 (Django 5.1)": "pbkdf2_sha256$870000$seasalt$" + base64.b64encode(
            hashlib.pbkdf2_hmac("sha256", secret, b"seasalt", 870000)).decode(),
        "PBKDF2-SHA256 600,000 (PHC, OWASP)": f"$pbkdf2-sha256$i=600000,l=32${b64(b'seasalt')}$"
                                              f"{b64(hashlib.pbkdf2_hmac('sha256', secret, b'seasalt', 600000))}",
    }


def main(rounds: int = 5) -> None:
    print(f"{'format':42} CPU ms per verification (median of {rounds})")
    for name, stored in formats().items():
        assert passwords.verify_password(stored, PASSWORD)
        costs = []
        for _ in range(rounds):
            started = time.process_time()
            passwords.verify_password(stored, PASSWORD)
            costs.append((time.process_time() - started) * 1000)
        print(f"{name:42} {statistics.median(costs):7.1f}")


if __name__ == "__main__":
    main()

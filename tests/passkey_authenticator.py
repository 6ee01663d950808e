"""A software WebAuthn authenticator for tests: an ES256 key per credential, attestation "none", and
the authenticatorData and clientDataJSON it signs built here byte for byte (WebAuthn Level 3, §6.1 and
§5.8.1). It answers the server's options in the JSON forms a browser's `credential.toJSON()` sends."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

ORIGIN = "http://localhost:3000"  # the template's PasskeyOrigins default, which the tests' stack keeps
RP_ID = "localhost"

_UP, _UV, _AT = 0x01, 0x04, 0x40


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Credential:
    id: bytes
    key: ec.EllipticCurvePrivateKey
    user_handle: bytes
    rp_id: str
    counter: int = 0


@dataclass
class SoftAuthenticator:
    origin: str = ORIGIN
    credentials: list[Credential] = field(default_factory=list)

    def create(self, options: dict, *, origin: str | None = None, rp_id: str | None = None) -> dict:
        """`navigator.credentials.create` for creation options: a new discoverable credential."""
        rp_id = rp_id or options["rp"]["id"]
        credential = Credential(secrets.token_bytes(16), ec.generate_private_key(ec.SECP256R1()),
                                unb64(options["user"]["id"]), rp_id)
        self.credentials.append(credential)
        numbers = credential.key.public_key().public_numbers()
        cose = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
        auth_data = (hashlib.sha256(rp_id.encode()).digest() + bytes([_UP | _UV | _AT]) + struct.pack(">I", 0)
                     + bytes(16) + struct.pack(">H", len(credential.id)) + credential.id + cose)
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        return {"id": b64(credential.id), "rawId": b64(credential.id), "type": "public-key",
                "authenticatorAttachment": "platform", "clientExtensionResults": {},
                "response": {"clientDataJSON": b64(client_data), "transports": ["internal"],
                             "attestationObject": b64(cbor2.dumps({"fmt": "none", "attStmt": {},
                                                                   "authData": auth_data}))}}

    def get(self, options: dict, *, credential: Credential | None = None, origin: str | None = None,
            rp_id: str | None = None, counter: int | None = None) -> dict:
        """`navigator.credentials.get` for request options: an assertion by `credential` (the newest one
        by default), its counter one higher (or `counter`)."""
        credential = credential or self.credentials[-1]
        credential.counter = credential.counter + 1 if counter is None else counter
        auth_data = (hashlib.sha256((rp_id or options.get("rpId") or credential.rp_id).encode()).digest()
                     + bytes([_UP | _UV]) + struct.pack(">I", credential.counter))
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = credential.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {"id": b64(credential.id), "rawId": b64(credential.id), "type": "public-key",
                "authenticatorAttachment": "platform", "clientExtensionResults": {},
                "response": {"clientDataJSON": b64(client_data), "authenticatorData": b64(auth_data),
                             "signature": b64(signature), "userHandle": b64(credential.user_handle)}}

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin or self.origin,
                           "crossOrigin": False}).encode()

"""Passkeys (WebAuthn) as pure rules over py_webauthn: the options a browser is handed and the checks
of what it sends back (origin, RP ID, challenge, user verification, signature). No I/O: the caller
finds the challenge it issued and the stored public key, and keeps the signature counter.

Options and credentials travel in the WebAuthn Level 3 JSON forms (`parseCreationOptionsFromJSON`,
`parseRequestOptionsFromJSON`, `credential.toJSON()`)."""

from __future__ import annotations

import json
import secrets
from typing import NamedTuple

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

CHALLENGE_SECONDS = 300  # a challenge is good for five minutes, once
TIMEOUT_MS = CHALLENGE_SECONDS * 1000


class Refused(Exception):
    """The credential does not check out (origin, RP ID, challenge, user verification, signature)."""


class Registered(NamedTuple):
    credential_id: str  # base64url
    public_key: str  # base64url of the COSE key
    sign_count: int
    backed_up: bool


def new_challenge() -> bytes:
    return secrets.token_bytes(32)


def encode(raw: bytes) -> str:
    return bytes_to_base64url(raw)


def registration_options(rp_id: str, rp_name: str, user_id: str, email: str, name: str, challenge: bytes,
                         existing: list[str]) -> dict:
    """Creation options for a discoverable credential with user verification; the user's own
    passkeys are excluded (an authenticator holds one per account)."""
    options = generate_registration_options(
        rp_id=rp_id, rp_name=rp_name, user_id=user_id.encode(), user_name=email, user_display_name=name,
        challenge=challenge, timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, user_verification=UserVerificationRequirement.REQUIRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(c)) for c in existing])
    return json.loads(options_to_json(options))


def authentication_options(rp_id: str, challenge: bytes, allowed: list[str] | None = None) -> dict:
    """Request options: discoverable credentials (no list) or the user's own passkeys."""
    options = generate_authentication_options(
        rp_id=rp_id, challenge=challenge, timeout=TIMEOUT_MS, user_verification=UserVerificationRequirement.REQUIRED,
        allow_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(c)) for c in allowed or []])
    return json.loads(options_to_json(options))


def challenge_of(credential: dict) -> str:
    """The challenge the browser signed (base64url), read from clientDataJSON; Refused if unreadable."""
    try:
        client_data = json.loads(base64url_to_bytes(credential["response"]["clientDataJSON"]))
        challenge = client_data["challenge"]
    except Exception:  # any shape at all arrives here: whatever does not parse is refused
        raise Refused("The credential is not a WebAuthn credential") from None
    if not isinstance(challenge, str) or not 16 <= len(challenge) <= 128:
        raise Refused("The credential's challenge is not one of ours")
    return challenge


def user_handle_of(credential: dict) -> str:
    """The user id an assertion of a discoverable credential names; Refused without one."""
    try:
        user_id = base64url_to_bytes(credential["response"]["userHandle"]).decode("ascii")
    except Exception:  # any shape at all arrives here
        raise Refused("The passkey does not name an account") from None
    if not 1 <= len(user_id) <= 64 or not user_id.isprintable():
        raise Refused("The passkey does not name an account")
    return user_id


def credential_id_of(credential: dict) -> str:
    raw = credential.get("id") if isinstance(credential, dict) else None
    if not isinstance(raw, str) or not 1 <= len(raw) <= 1024:
        raise Refused("The credential has no id")
    return raw


def check_registration(credential: dict, challenge: str, rp_id: str, origins: list[str]) -> Registered:
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=base64url_to_bytes(challenge), expected_rp_id=rp_id,
            expected_origin=origins, require_user_verification=True)
    except Exception as refused:  # InvalidRegistrationResponse, or a shape py_webauthn cannot parse
        raise Refused(str(refused)) from None
    return Registered(bytes_to_base64url(verified.credential_id), bytes_to_base64url(verified.credential_public_key),
                      verified.sign_count, bool(verified.credential_backed_up))


def check_assertion(credential: dict, challenge: str, rp_id: str, origins: list[str], public_key: str) -> int:
    """The signature checks out with user verification: the authenticator's new signature counter.
    Whether the counter rose is the caller's rule (`counter_rose`), so a clone can be told apart."""
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=base64url_to_bytes(challenge), expected_rp_id=rp_id,
            expected_origin=origins, credential_public_key=base64url_to_bytes(public_key),
            credential_current_sign_count=0, require_user_verification=True)
    except Exception as refused:  # InvalidAuthenticationResponse, or a shape py_webauthn cannot parse
        raise Refused(str(refused)) from None
    return verified.new_sign_count


def counter_rose(stored: int, new: int) -> bool:
    """WebAuthn §6.1.1: a counter that does not rise means a cloned authenticator, unless both are 0
    (an authenticator without a counter, as synced passkeys are)."""
    return new > stored or (new == 0 and stored == 0)

"""Passkeys (WebAuthn): bodies and views. Options and credentials are the WebAuthn Level 3 JSON forms
(`PublicKeyCredential.parseCreationOptionsFromJSON` / `parseRequestOptionsFromJSON`, and
`credential.toJSON()`), passed through as objects."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from latchkey.edge.schemas.base import Body, Instant, Name, Token, View

Credential = dict[str, Any]


class RegisterPasskeyBody(Body):
    credential: Credential = Field(description="`credential.toJSON()` of the new PublicKeyCredential")
    name: Name | None = None  # "Passkey <n>" when absent


class RenamePasskeyBody(Body):
    name: Name


class PasskeyLoginOptionsBody(Body):
    pendingToken: Token | None = None  # a second factor of a password sign-in; absent: passwordless


class PasskeyLoginBody(Body):
    credential: Credential = Field(description="`credential.toJSON()` of the assertion")


class PasskeyOptionsView(View):
    """Give `options` to `PublicKeyCredential.parseCreationOptionsFromJSON` (register) or
    `parseRequestOptionsFromJSON` (sign-in, second factor, step-up); the challenge works once, for five
    minutes, for the request it was issued to."""

    options: dict[str, Any]


class PasskeyView(View):
    id: str = Field(description="The credential id, base64url")
    name: str
    createdAt: Instant
    lastUsedAt: Instant | None
    backedUp: bool = Field(description="Whether the authenticator syncs it (a multi-device passkey)")


class PasskeyListView(View):
    passkeys: list[PasskeyView]


class PasskeyRemovedView(View):
    removed: str

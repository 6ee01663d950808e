"""The use cases' way into the token key sets (`key_sets`): imported on first use, because the key sets
need cryptography, which only the functions that sign or verify tokens carry (a layer of their own).
A function that merely imports a use case able to mint tokens (logout, listings) starts without it."""

from __future__ import annotations

from latchkey.rules.tokens import TokenContext


def signing_context(purpose: str) -> TokenContext:
    """For a function that mints tokens of `purpose` (see `key_sets.signing_context`)."""
    from latchkey.store import key_sets

    return key_sets.signing_context(purpose)


def verifying_context(purpose: str) -> TokenContext:
    """For a function that only checks tokens of `purpose` (see `key_sets.verifying_context`)."""
    from latchkey.store import key_sets

    return key_sets.verifying_context(purpose)

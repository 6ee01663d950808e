"""Field types shared by request bodies: what an email, a name and a password may look like."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# No blanks or control characters anywhere; one @; a dot in the domain.
_EMAIL_PART = r"[^@\s\x00-\x1f\x7f]+"
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=rf"^{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}$"),
]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")
]
# Checked as sent (NIST 800-63B): no trimming, no composition rules, length in characters.
Password = Annotated[str, Field(min_length=8, max_length=128)]


# A 6-digit TOTP code, exactly: no blanks, no other lengths.
TotpCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
# ... or a recovery code (16 base32 characters, dashes optional, any case).
TwoFactorCode = Annotated[
    str, StringConstraints(pattern=r"^(?:[0-9]{6}|[A-Za-z2-7]{4}(?:-?[A-Za-z2-7]{4}){3})$")
]


class Body(BaseModel):
    """A request body: unknown fields are refused and nothing is coerced ("1" is not 1)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

"""Field types shared by request bodies: what an email, a name and a password may look like."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
# Checked as sent (NIST 800-63B): no trimming, no composition rules, length in characters.
Password = Annotated[str, Field(min_length=8, max_length=128)]


class Body(BaseModel):
    """A request body: unknown fields are refused and nothing is coerced ("1" is not 1)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

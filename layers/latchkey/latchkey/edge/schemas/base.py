"""What every wire shape shares: strict, closed bodies; closed views; the field types.

pydantic, for one way to validate and to describe. These models are the one declaration of every
body and every answer: the OpenAPI document is generated from them, and so are the compiled bodies
the functions validate with (`latchkey.edge.bodies`: pydantic's own engine, without importing
pydantic's model machinery at every cold start). Views describe what the code answers: every answer
a test receives is checked against the document (extra fields refused), so a field a record grows
cannot leak unmodelled; functions do not validate their answers again at run time. No function
imports this package at run time (docs/contract.md has the figures).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from latchkey.edge.bodies import EMAIL, TOTP, TWO_FACTOR, VISIBLE

# Surrounding blanks are tolerated (and stripped by the domain); none inside, one @, a dot after it.
Email = Annotated[str, Field(min_length=1, max_length=256, pattern=EMAIL)]
# Something visible, no control characters.
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=VISIBLE)]
# Checked as sent (NIST 800-63B): no trimming, no composition rules, length in characters.
Password = Annotated[str, Field(min_length=8, max_length=128)]
# What login accepts: any stored password, bounded so hashing stays cheap.
AnyPassword = Annotated[str, Field(min_length=1, max_length=1024)]
Token = Annotated[str, Field(min_length=1, max_length=4096)]
Title = Annotated[str, Field(min_length=1, max_length=200, pattern=VISIBLE)]
Text = Annotated[str, Field(max_length=2000)]
Timestamp = AwareDatetime  # RFC 3339 with an offset
# A 6-digit TOTP code, exactly: no blanks, no other lengths.
TotpCode = Annotated[str, Field(pattern=TOTP)]
# ... or a recovery code (16 base32 characters, dashes optional, any case).
TwoFactorCode = Annotated[str, Field(pattern=TWO_FACTOR)]


def _iso(value: str) -> str:
    datetime.fromisoformat(value)
    return value


# What views carry: RFC 3339 strings, as the records render them.
Instant = Annotated[str, AfterValidator(_iso), Field(json_schema_extra={"format": "date-time"})]


# Built on first use, not at import: a function validates two or three of its area's models, and
# building the others would cost it about 5 ms of CPU each at every cold start.
_CONFIG = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


class Body(BaseModel):
    """A request body: strict ("1" is not 1), unknown fields refused; subclasses declare its fields."""

    model_config = _CONFIG


class View(BaseModel):
    """A response's `data` (or a part of it): exactly the declared fields."""

    model_config = _CONFIG


class OneOf:
    """A `data` that is one of several disjoint views (unknown fields refused): `oneOf` in the document.
    Not a pydantic RootModel: importing that builds models at once."""

    def __init__(self, name: str, *views: type[View], description: str):
        self.__name__, self.views, self.description = name, views, description


class PageQuery(BaseModel):
    """`?limit=&cursor=` of a list endpoint, as `Request.page` reads it."""

    model_config = ConfigDict(defer_build=True)

    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = Field(None, description="data.nextCursor of the previous page")

"""Request bodies: msgspec Structs, decoded and validated in one pass, strictly ("1" is not 1) and
with unknown fields refused; and the field types they share.

msgspec, not pydantic: importing pydantic and building a model costs 90-130 ms of CPU at every cold
start (about half the `import boto3` baseline, see `make bench`), msgspec about 19 ms, for the same
strictness. What it gives up: it reports the first problem, not all of them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

_NO_CONTROL = r"[^\x00-\x1f\x7f]"
_EMAIL_PART = r"[^@\s\x00-\x1f\x7f]+"

# Surrounding blanks are tolerated (and stripped by the domain); none inside, one @, a dot after it.
Email = Annotated[str, msgspec.Meta(max_length=256, pattern=rf"^\s*{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}\s*$")]
# Something visible, no control characters.
Name = Annotated[str, msgspec.Meta(max_length=100, pattern=rf"^{_NO_CONTROL}*[^\s\x00-\x1f\x7f]{_NO_CONTROL}*$")]
# Checked as sent (NIST 800-63B): no trimming, no composition rules, length in characters.
Password = Annotated[str, msgspec.Meta(min_length=8, max_length=128)]
# What login accepts: any stored password, bounded so hashing stays cheap.
AnyPassword = Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]
Token = Annotated[str, msgspec.Meta(min_length=1, max_length=4096)]
Title = Annotated[str, msgspec.Meta(max_length=200, pattern=rf"^{_NO_CONTROL}*[^\s\x00-\x1f\x7f]{_NO_CONTROL}*$")]
Text = Annotated[str, msgspec.Meta(max_length=2000)]
Timestamp = Annotated[datetime, msgspec.Meta(tz=True)]  # RFC 3339 with an offset
# A 6-digit TOTP code, exactly: no blanks, no other lengths.
TotpCode = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{6}$")]
# ... or a recovery code (16 base32 characters, dashes optional, any case).
TwoFactorCode = Annotated[str, msgspec.Meta(pattern=r"^(?:[0-9]{6}|[A-Za-z2-7]{4}(?:-?[A-Za-z2-7]{4}){3})$")]


class Body(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """A request body; subclasses declare its fields."""


def decode(raw: bytes, model: type) -> object:
    return msgspec.json.decode(raw, type=model)


DecodeError = msgspec.DecodeError
ValidationError = msgspec.ValidationError

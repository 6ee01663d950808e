"""The admin API's shapes (/v1/admin/*): users as the service's operators see and manage them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from latchkey.edge.bodies import mailable
from latchkey.edge.schemas.base import Body, Email, Instant, Name, Password, View

Role = Literal["ADMIN", "MEMBER"]


class CreateUserBody(Body):
    email: Annotated[Email, AfterValidator(mailable)]
    name: Name
    password: Password | None = Field(None, description="none: the user signs in by link, code or passkey, or "
                                                        "sets one with forgot-password")
    emailVerified: bool = False
    organizationId: str | None = Field(None, description="an existing organization to join; none: a new "
                                                         "organization the user administers")
    role: Role | None = Field(None, description="in `organizationId` (MEMBER unless given); a new "
                                                "organization's first user is its ADMIN")


class FindUserQuery(BaseModel):
    """`?email=`: the user with this address (any case or Unicode form)."""

    model_config = ConfigDict(defer_build=True)

    email: Email


class AdminUserView(View):
    """A user as the operators see them: never a password hash, a TOTP secret or a token."""

    id: str
    name: str
    email: str
    role: Role
    plan: str
    organizationId: str
    twoFactorEnabled: bool
    emailVerified: bool
    disabled: bool
    createdAt: Instant


class EndedView(View):
    """What a disable or a sign-out ended: the user's sessions, and the API keys they created."""

    user: AdminUserView
    sessionsRevoked: int
    apiKeysRevoked: int


class ImportRefusalView(View):
    line: int = Field(description="the line's number in the request body or the file, from 1")
    reason: Literal["INVALID_JSON", "UNKNOWN_FIELD", "INVALID_EMAIL", "DUPLICATE_EMAIL", "INVALID_FIELD",
                    "UNKNOWN_HASH_FORMAT", "INVALID_TOTP_SECRET", "INVALID_PASSKEY", "INVALID_IDENTITY",
                    "IDENTITY_TAKEN", "ORGANIZATION_NOT_FOUND"]


class ImportSource(Body):
    """A JSON Lines file in the stack's imports bucket (its ImportBucket output), under imports/."""

    bucket: str = Field(min_length=3, max_length=63)
    key: str = Field(min_length=9, max_length=1024, description="under imports/")


class ImportFromS3Body(Body):
    """`Content-Type: application/json`: an import of a file in S3, as large as S3 keeps."""

    source: ImportSource


class ImportJobView(View):
    """An import: every line's user created, skipped (the address has an account) or refused (why). One
    from S3 is `queued`, then `running` (its counts grow as the worker reads), then `succeeded`, or `failed`
    with `error` (SOURCE_NOT_FOUND, LINE_TOO_LONG, INVALID_HASH_PARAMETERS)."""

    jobId: str
    status: Literal["succeeded", "queued", "running", "failed"]
    received: int
    created: int
    skipped: int
    refused: int
    refusals: list[ImportRefusalView] = Field(description="refused lines; from S3, the first 1,000 (all counted)")
    createdAt: Instant
    source: ImportSource | None = Field(None, description="an import from S3: its file")
    bytesRead: int | None = Field(None, description="an import from S3: how far the worker has read")
    linesRead: int | None = None
    error: str | None = Field(None, description="a failed import from S3: why")
    updatedAt: Instant | None = None


class RecipientPublicKey(Body):
    """A public P-256 key as a JWK: TOTP secrets are sealed to it (JWE, ECDH-ES + A256GCM)."""

    model_config = Body.model_config | {"extra": "allow"}

    kty: Literal["EC"]
    crv: Literal["P-256"]
    x: str = Field(max_length=64)
    y: str = Field(max_length=64)


class ExportBody(Body):
    recipientPublicKey: RecipientPublicKey | None = Field(
        None, description="TOTP secrets are in the export only sealed to this key; without one, they are left out")


class ExportJobView(View):
    """An export: every user in the import's format, in a file read through `downloadUrl`."""

    jobId: str
    status: Literal["succeeded"]
    users: int
    sealedTo: str = Field(description="`ECDH-ES+A256GCM` when TOTP secrets were sealed to a recipient; else empty")
    createdAt: Instant


class ExportDownloadView(ExportJobView):
    downloadUrl: str = Field(description="a presigned S3 GET of the JSON Lines file")
    expiresIn: int = Field(description="seconds the URL works; ask again for a new one (the file lives a day)")

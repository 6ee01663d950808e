"""Passwordless sign-in by email (a magic link or a six-digit code): bodies. The answers are login's."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from latchkey.edge.schemas.base import Body, Email
from latchkey.edge.schemas.recovery import OneTimeToken

SignInCode = Annotated[str, Field(pattern=r"^[0-9]{6}$", description="the six digits from the email")]


class SignInEmailBody(Body):
    email: Email


class VerifyMagicLinkBody(Body):
    token: OneTimeToken


class VerifyEmailCodeBody(Body):
    email: Email
    code: SignInCode

"""Verification, password reset and the signed-in account changes: bodies and views."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from latchkey.edge.schemas.base import AnyPassword, Body, Email, Password, TwoFactorCode, View

# A one-time token from an email's link (`?token=`): shape checked by the domain, which tells a
# forgery from a wrong purpose.
OneTimeToken = Annotated[str, Field(min_length=1, max_length=256)]


class VerifyEmailBody(Body):
    token: OneTimeToken


class ForgotPasswordBody(Body):
    email: Email


class ResetPasswordBody(Body):
    token: OneTimeToken
    password: Password
    code: TwoFactorCode | None = None  # required when two-factor sign-in is on


class ChangePasswordBody(Body):
    currentPassword: AnyPassword
    newPassword: Password


class ChangeEmailBody(Body):
    password: AnyPassword
    newEmail: Email


class DeleteAccountBody(Body):
    password: AnyPassword
    code: TwoFactorCode | None = None  # required when two-factor sign-in is on


class EmailVerifiedView(View):
    """The link came back. For an email change it takes both addresses' links: `emailVerified` is true
    once the account moved; until then `waitingFor` says which link is still out."""

    emailVerified: bool
    waitingFor: Literal["approval", "confirmation"] | None = Field(
        None, description="an email change's other link: the current address's approval or the new "
                          "address's confirmation (absent once done)")


class EmailChangeCancelledView(View):
    cancelled: Literal[True]


class AcceptedView(View):
    """The request was taken; mail follows if there is anyone to send it to (the answer never says)."""

    accepted: Literal[True]


class PasswordChangedView(View):
    passwordChanged: Literal[True]


class EmailChangePendingView(View):
    """The confirmation link went to `pendingEmail` and a link to approve or cancel to the current address;
    the account moves once both came back (a current address never verified approves with the password)."""

    pendingEmail: str


class AccountDeletedView(View):
    deleted: Literal[True]

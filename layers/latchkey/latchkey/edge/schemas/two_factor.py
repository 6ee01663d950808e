"""Turning TOTP two-factor sign-in on and off: bodies and views."""

from __future__ import annotations

from typing import Literal

from latchkey.edge.schemas.base import AnyPassword, Body, TotpCode, TwoFactorCode, View


class EnableTwoFactorBody(Body):
    password: AnyPassword
    code: TotpCode


class DisableTwoFactorBody(Body):
    password: AnyPassword
    code: TwoFactorCode


class TwoFactorSetupView(View):
    """A new secret, not active until enable confirms a code from it."""

    secret: str
    otpauthUrl: str
    qrSvg: str


class TwoFactorEnabledView(View):
    enabled: Literal[True]
    recoveryCodes: list[str]


class TwoFactorDisabledView(View):
    enabled: Literal[False]

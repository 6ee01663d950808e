"""OAuth apps an organization registers: the registration and update bodies, and the app as listed or
just created (with its secret, once)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from latchkey.edge.schemas.base import Body, Instant, Name, View

AppType = Literal["public", "confidential"]
RedirectUri = Annotated[str, Field(min_length=1, max_length=2048)]
RedirectUris = Annotated[list[RedirectUri], Field(min_length=1, max_length=10)]
PostLogoutRedirectUris = Annotated[list[RedirectUri], Field(max_length=10)]
Scopes = Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=16)]


class CreateAppBody(Body):
    name: Name
    redirectUris: RedirectUris
    postLogoutRedirectUris: PostLogoutRedirectUris = []
    type: AppType
    scopes: Scopes = []
    firstParty: bool = False


class UpdateAppBody(Body):
    """The fields to change; the type of an app never changes (register another)."""

    name: Name | None = None
    redirectUris: RedirectUris | None = None
    postLogoutRedirectUris: PostLogoutRedirectUris | None = None
    scopes: Scopes | None = None
    firstParty: bool | None = None


class AppView(View):
    """An app as listed: never its secret."""

    clientId: str
    name: str
    type: AppType
    redirectUris: list[str]
    postLogoutRedirectUris: list[str]
    scopes: list[str]
    firstParty: bool
    createdBy: str
    createdAt: Instant
    secretRotatedAt: Instant | None


class NewAppView(AppView):
    """An app just registered: a confidential app's `clientSecret` is in this response only."""

    clientSecret: str | None


class AppListView(View):
    apps: list[AppView]


class AppSecretView(View):
    """A confidential app's new secret, in this response only; the previous one is refused from now on."""

    clientId: str
    clientSecret: str

"""Federation (sign in with an upstream identity provider): queries and views. The start and callback
routes answer redirects (302), not JSON."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from latchkey.edge.schemas.base import Instant, View


class StartQuery(BaseModel):
    model_config = ConfigDict(defer_build=True)

    returnTo: str | None = Field(None, description="A path on the dashboard's origin to land on after the "
                                                   "sign-in (anything else is `/`)")


class CallbackQuery(BaseModel):
    model_config = ConfigDict(defer_build=True)

    state: str | None = Field(None, description="The state the provider sends back")
    code: str | None = Field(None, description="The provider's authorization code")
    error: str | None = Field(None, description="The provider's error, when the person refused")


class ProviderView(View):
    id: str = Field(description="google, github or oidc: the {provider} of the routes")
    name: str = Field(description="For its button: Sign in with <name>")


class ProviderListView(View):
    providers: list[ProviderView]


class IdentityView(View):
    id: str
    provider: str
    email: str = Field(description="The address the provider gave when it was linked")
    linkedAt: Instant


class IdentityListView(View):
    identities: list[IdentityView]


class IdentityRemovedView(View):
    removed: str


class LinkStartedView(View):
    """Send the browser to `url` (the provider's sign-in); it comes back to settings."""

    url: str

"""The caller's organization and its settings."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from latchkey.edge.schemas.base import Body, Instant, View


class UpdateOrganizationBody(Body):
    resultRedirectUrl: Annotated[str, Field(max_length=4096)] | None  # required; null clears it


class OrganizationView(View):
    id: str
    name: str
    createdAt: Instant
    resultRedirectUrl: str | None

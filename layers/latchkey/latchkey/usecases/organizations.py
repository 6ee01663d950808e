"""Organizations: their settings, read by members and changed by admins."""

from __future__ import annotations

from latchkey.errors import AdminOnly, OrganizationNotFound
from latchkey.rules import redirect_urls
from latchkey.rules.records import ADMIN, Organization, Principal, User
from latchkey.store import accounts_table
from latchkey.usecases import audit


def get(principal: Principal) -> Organization:
    organization = accounts_table.get_organization(principal.organization_id)
    if organization is None:
        raise OrganizationNotFound()
    return organization


def set_result_redirect_url(principal: Principal, url: str | None) -> Organization:
    if principal.role != ADMIN:
        raise AdminOnly("Only organization admins can change its settings")
    organization = accounts_table.set_result_redirect_url(
        principal.organization_id, redirect_urls.validate_redirect_url(url) if url is not None else None,
        also=[audit.item(audit.ORGANIZATION_SETTINGS_CHANGED, organization_id=principal.organization_id,
                         user_id=principal.user_id, subject=f"organization:{principal.organization_id}",
                         reason="resultRedirectUrl")])
    if organization is None:
        raise OrganizationNotFound()
    return organization


def other_members(user: User) -> list[User]:
    """The members of the user's organization other than them (from the ByOrganization index)."""
    return [member for member in accounts_table.list_members(user.organization_id) if member.id != user.id]

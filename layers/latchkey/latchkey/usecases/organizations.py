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
    """Sets (None: clears) where candidates and their result tokens are sent; audited. A step-up
    route (the route map). Every admin is told of a change, old and new value, before it is made: if
    the notices cannot be queued, 503 and nothing changed, and the same request sent again does both."""
    if principal.role != ADMIN:
        raise AdminOnly("Only organization admins can change its settings")
    url = redirect_urls.validate_redirect_url(url) if url is not None else None
    before = get(principal)
    if before.result_redirect_url != url:
        _tell_admins(before, url, principal)
    organization = accounts_table.set_result_redirect_url(
        principal.organization_id, url,
        also=[audit.item(audit.ORGANIZATION_SETTINGS_CHANGED, organization_id=principal.organization_id,
                         user_id=principal.user_id, subject=f"organization:{principal.organization_id}",
                         reason="resultRedirectUrl")])
    if organization is None:
        raise OrganizationNotFound()
    return organization


def _tell_admins(organization: Organization, url: str | None, principal: Principal) -> None:
    # Cold start: only this function of the organization use case sends mail, so reading the settings
    # (GET /v1/organization) loads neither the mail templates nor the queue's client module.
    from latchkey.usecases import mail

    members = accounts_table.list_members(organization.id)
    changed_by = next((m.name for m in members if m.id == principal.user_id), "An admin")
    for admin in (m for m in members if m.role == ADMIN):
        mail.send("notice.organization-redirect-changed", to=admin.email, name=admin.name, changedBy=changed_by,
                  organization=organization.name, oldUrl=organization.result_redirect_url or "(none)",
                  newUrl=url or "(none)")


def other_members(user: User) -> list[User]:
    """The members of the user's organization other than them (from the ByOrganization index)."""
    return [member for member in accounts_table.list_members(user.organization_id) if member.id != user.id]

"""What goes with an organization: the delete-account function calls `delete_organization` when the
organization's last member leaves (the module declares it: api/module.py, `on_organization_deleted`)."""

from __future__ import annotations

from assessments_example.store import assessments_table, candidates_table


def delete_organization(organization_id: str) -> None:
    """Its assessments, and its candidates with their answers."""
    assessments_table.delete_for_organization(organization_id)
    candidates_table.delete_for_organization(organization_id)

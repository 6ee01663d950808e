"""What the module stores: assessments and their candidates, and the prefixes of their ids."""

from __future__ import annotations

from typing import NamedTuple

from latchkey.rules.clock import iso

ASSESSMENT = "asm"  # ids: asm_…
CANDIDATE = "cand"  # ids, and the invitation token's first part: cand_…
RESULT = "result"  # the result token's purpose: its own key set (resources.yaml), kids `result-…`


class Assessment(NamedTuple):
    id: str
    organization_id: str
    title: str
    description: str
    created_by: str
    created_at: str

    def public(self) -> dict:
        return {
            "id": self.id,
            "organizationId": self.organization_id,
            "title": self.title,
            "description": self.description,
            "createdBy": self.created_by,
            "createdAt": self.created_at,
        }


class Candidate(NamedTuple):
    id: str
    organization_id: str
    assessment_id: str
    email: str
    name: str
    status: str  # "invited" or "completed"
    invited_at: int
    invitation_hash: str  # SHA-256 of the invitation token's secret part; the token is never stored
    completed_at: int = 0
    answers: str = ""  # the JSON object the candidate sent, as sent

    def public(self) -> dict:
        return {
            "id": self.id,
            "assessmentId": self.assessment_id,
            "email": self.email,
            "name": self.name,
            "status": self.status,
            "invitedAt": iso(self.invited_at),
            "completedAt": iso(self.completed_at) if self.completed_at else None,
        }

"""The domain's records. Plain data: no AWS, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass

ADMIN = "ADMIN"
MEMBER = "USER"  # the seed clients' name for a plain member
DEFAULT_PLAN = "STARTER"


@dataclass(frozen=True)
class Principal:
    """Who the authorizer let in, as it put it in `requestContext.authorizer`."""

    kind: str  # "user" (a JWT) or "api_key"
    user_id: str
    organization_id: str
    role: str
    session_id: str = ""
    token_id: str = ""
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    created_at: str


@dataclass(frozen=True)
class User:
    id: str
    email: str
    name: str
    role: str
    plan: str
    organization_id: str
    password_hash: str
    created_at: str

    def public(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "role": self.role,
            "plan": self.plan,
            "organizationId": self.organization_id,
        }


@dataclass(frozen=True)
class Assessment:
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


def normalize_email(email: str) -> str:
    """The key under which an email is unique: case-insensitive, surrounding blanks ignored."""
    return email.strip().lower()

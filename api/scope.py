"""What an API-key scope is: the shape api/scopes.py and a module's declaration (api/module.py) are
written in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    name: str
    description: str  # what a key with it may do, in a few words (the dashboard, the docs, OpenAPI)
    write: bool = False  # a write scope: only an organization admin can create a key holding it

"""What a Lambda function is, as the template has it: the shape api/functions.py and a module's
declaration (api/module.py) are written in."""

from __future__ import annotations

from dataclasses import dataclass, field

AUTHORIZER = "AuthorizerFunction"  # the REQUEST authorizer of every non-public route (the template's LatchkeyApi)
FALLBACK = "FallbackFunction"  # 404 and 405: an ANY event on every path of api/routes.py, and /{proxy+}


@dataclass(frozen=True)
class Function:
    logical_id: str
    folder: str  # <home>/functions/<folder>/ (its sample event: <home>/events/<folder>.json)
    # Behind the API: what follows its routes ("POST /v1/auth/refresh") in the Description, if anything.
    # Otherwise the whole Description.
    description: str = ""
    layers: tuple[str, ...] = ()  # logical ids, after the Globals' LatchkeyLayer
    # Beyond the Globals' variables, its rights' (api/access.py) and ReauthMaxAgeSeconds' (on a step-up route's).
    environment: dict[str, object] = field(default_factory=dict)
    timeout: int | None = None  # None: the Globals' Timeout
    memory: int | None = None  # None: the Globals' MemorySize
    events: dict[str, dict] = field(default_factory=dict)  # not API routes: as CloudFormation has them
    comment: str = ""  # the comment above the resource in template.yaml
    # Not behind the API: its sample event (events/<folder>.json) as its event source sends it. (A function
    # behind the API has its sample written from its first route; the authorizer's and the fallback's too.)
    sample_event: dict | None = None
    home: str = ""  # "" for Latchkey's own; a module's folder (examples/<name>) for its functions

    @property
    def code_uri(self) -> str:
        return f"{self.home}/functions/{self.folder}/".lstrip("/")

    @property
    def sample_path(self) -> str:
        """Its sample event, relative to the repository."""
        return f"{self.home}/events/{self.folder}.json".lstrip("/")

"""The one settings object: read from the environment once per container.

A frozen dataclass rather than pydantic-settings: the authorizer imports this module and pays
for every import on its cold start (see `make bench`), and there is nothing here to validate
beyond required names and integers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Settings:
    stage: str
    accounts_table: str
    assessments_table: str
    sessions_table: str
    revoked_tokens_table: str
    api_keys_table: str
    signing_key_secret_arn: str
    access_token_ttl: int = 900
    refresh_token_ttl: int = 7 * 24 * 3600
    refresh_grace: int = 10
    max_body_bytes: int = 16 * 1024

    @property
    def issuer(self) -> str:
        return f"latchkey:{self.stage}"

    @property
    def audience(self) -> str:
        return f"latchkey-api:{self.stage}"


@cache
def get_settings() -> Settings:
    env = os.environ
    return Settings(
        stage=env.get("STAGE", "dev"),
        accounts_table=env.get("ACCOUNTS_TABLE", ""),
        assessments_table=env.get("ASSESSMENTS_TABLE", ""),
        sessions_table=env.get("SESSIONS_TABLE", ""),
        revoked_tokens_table=env.get("REVOKED_TOKENS_TABLE", ""),
        api_keys_table=env.get("API_KEYS_TABLE", ""),
        signing_key_secret_arn=env.get("SIGNING_KEY_SECRET_ARN", ""),
        access_token_ttl=int(env.get("ACCESS_TOKEN_TTL_SECONDS", "900")),
        refresh_token_ttl=int(env.get("REFRESH_TOKEN_TTL_SECONDS", str(7 * 24 * 3600))),
        refresh_grace=int(env.get("REFRESH_GRACE_SECONDS", "10")),
    )

"""The one settings object: read from the environment once per container.

A NamedTuple rather than pydantic-settings: the authorizer imports this module and pays
for every import on its cold start (see `make bench`), and there is nothing here to validate
beyond required names and integers.
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import NamedTuple


class Settings(NamedTuple):
    stage: str
    accounts_table: str
    sessions_table: str
    api_keys_table: str
    rate_limits_table: str
    totp_key_secret_arn: str
    invitations_table: str = ""
    apps_table: str = ""
    oauth_grants_table: str = ""
    # Per token purpose: the private key set's secret (only where tokens of it are minted) and the
    # public set's (where they are only verified). A function knows only the ARNs it may read.
    signing_key_arns: tuple[tuple[str, str], ...] = ()
    public_key_arns: tuple[tuple[str, str], ...] = ()
    access_token_ttl: int = 900
    refresh_token_ttl: int = 7 * 24 * 3600
    refresh_grace: int = 10
    pending_2fa_ttl: int = 300
    other_token_ttls: tuple[tuple[str, int], ...] = ()  # a module's purposes (<VARIABLE>_TOKEN_TTL_SECONDS)
    pending_2fa_attempts: int = 5
    lockout_threshold: int = 5
    lockout_seconds: int = 1800
    rate_limit_window: int = 60
    rate_limits: tuple[tuple[str, int], ...] = ()  # (action, requests per window per source IP)
    totp_issuer: str = "Latchkey"
    max_body_bytes: int = 16 * 1024
    cors_allowed_origin: str = ""  # the one browser origin allowed across origins; "" allows none
    reauth_max_age: int = 600  # step-up: the oldest authentication a sensitive action accepts
    key_rotation_days: int = 30
    key_set_cache_seconds: int = 300  # how long a container trusts its copy of a key set
    jwks_max_age: int = 300  # how long a client may keep the JWKS (its Cache-Control max-age)
    audit_events_table: str = ""
    audit_retention_days: int = 400  # the audit trail's TTL
    idempotency_table: str = ""
    aws_read_timeout: int = 3  # seconds; see store/faults.py
    invitation_ttl: int = 7 * 24 * 3600  # an invitation to join an organization is good for 7 days
    invitation_emails_per_address: int = 5  # invitation mails one address may get a day, from any organization
    invitation_emails_per_organization: int = 200  # invitation mails one organization may send an hour
    export_bucket: str = ""  # where the admin API's exports are written (ExportBucket)
    import_bucket: str = ""  # where operators put the files an import from S3 reads (ImportBucket)
    import_queue_url: str = ""  # the import worker's queue: a job to start or go on with (ImportQueue)
    user_migration_function_arn: str = ""  # the team's legacy lookup for unknown addresses (lazy migration)
    mail_queue_url: str = ""  # where `usecases.mail.send` enqueues; the mailer sends what arrives there
    mail_from_address: str = ""  # the mailer's sender (MailFromAddress)
    ses_configuration_set: str = ""  # the mailer's SES configuration set; "" for none
    app_base_url: str = ""  # where the links in emails point (AppBaseUrl)
    # Dynamic client registration (RFC 7591; OAuthDynamicRegistration): on only when it names the
    # organization (OAuthRegistrationOrganizationId) whose users the clients registered so may sign in.
    oauth_registration_organization: str = ""
    oauth_issuer_url: str = ""  # the OAuth/OpenID issuer (OAuthIssuerUrl); "": the URL a request reached
    gateway_audiences: tuple[str, ...] = ()  # your own APIs that take RS256 access tokens (GatewayJwtAudiences)
    recovery_emails_per_address: int = 3  # forgot-password and resend-verification mails per address per hour
    sign_in_emails_per_address: int = 5  # magic-link and sign-in-code mails per address per hour
    passwordless_sign_up: bool = False  # a sign-in link or code to an address with no account creates one
    breached_password_check: bool = False  # also ask Have I Been Pwned's range API about a new password
    # Federation (docs: concepts, "Sign in with Google, GitHub or an OpenID provider"): a provider with
    # no client id is off. The client secrets are not here: Secrets Manager (FEDERATION_SECRETS_ARN).
    google_client_id: str = ""
    github_client_id: str = ""
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_name: str = ""
    federation_secrets_arn: str = ""
    passkey_rp_id: str = "localhost"  # the WebAuthn relying party: a host name (PasskeyRpId)
    passkey_origins: tuple[str, ...] = ()  # the origins a passkey ceremony may come from (PasskeyOrigins)
    organization_deleted_hooks: tuple[str, ...] = ()  # the modules' "package.module:function" (api/module.py)

    def signing_key_arn(self, purpose: str) -> str:
        return dict(self.signing_key_arns).get(purpose, "")

    def public_key_arn(self, purpose: str) -> str:
        return dict(self.public_key_arns).get(purpose, "")

    def token_lifetime(self, purpose: str) -> int:
        """The longest a token of `purpose` can live: how long its key verifies after it stops signing."""
        own = {"access": self.access_token_ttl, "refresh": self.refresh_token_ttl, "2fa_pending": self.pending_2fa_ttl,
               "id": self.access_token_ttl,  # an ID token lives as long as the access token beside it
               "gateway": self.access_token_ttl}  # your own API's access token: as long as Latchkey's
        return own[purpose] if purpose in own else dict(self.other_token_ttls)[purpose]

    @property
    def key_publication_lead(self) -> int:
        """How long before it signs a new key is published: twice the longest a verifier can hold a
        key set without it (a container's copy, then a client's JWKS served from that copy)."""
        return 2 * (self.key_set_cache_seconds + self.jwks_max_age)

    def publication_lead(self, purpose: str) -> int:
        """`key_publication_lead` for `purpose`; for your own API's keys, plus the two hours an API
        Gateway JWT authorizer may keep an issuer's keys (AWS docs) before it reads the JWKS again."""
        return self.key_publication_lead + (GATEWAY_KEY_CACHE_SECONDS if purpose == "gateway" else 0)

    def rate_limit(self, action: str) -> int:
        return dict(self.rate_limits)[action]

    @property
    def issuer(self) -> str:
        return f"latchkey:{self.stage}"

    @property
    def audience(self) -> str:
        return f"latchkey-api:{self.stage}"


GATEWAY_KEY_CACHE_SECONDS = 7200
_OWN_PURPOSES = {"ACCESS": "access", "REFRESH": "refresh", "PENDING_2FA": "2fa_pending"}
_KEY_SET_VARIABLE = re.compile(r"(SIGNING|PUBLIC)_KEYS_([A-Z0-9_]+)_ARN")


def _purposes(env) -> list[tuple[str, str]]:
    """(purpose, variable) of every key set this function is told of: Latchkey's own, and a module's
    (SIGNING_KEYS_RESULT_ARN: the purpose `result`)."""
    found = {m[2] for m in map(_KEY_SET_VARIABLE.fullmatch, env) if m and env[m[0]]}
    return [(_OWN_PURPOSES.get(v, v.lower()), v) for v in sorted(found)]


@cache
def get_settings() -> Settings:
    env = os.environ
    return Settings(
        stage=env.get("STAGE", "dev"),
        accounts_table=env.get("ACCOUNTS_TABLE", ""),
        sessions_table=env.get("SESSIONS_TABLE", ""),
        api_keys_table=env.get("API_KEYS_TABLE", ""),
        rate_limits_table=env.get("RATE_LIMITS_TABLE", ""),
        audit_events_table=env.get("AUDIT_EVENTS_TABLE", ""),
        audit_retention_days=int(env.get("AUDIT_RETENTION_DAYS", "400")),
        idempotency_table=env.get("IDEMPOTENCY_TABLE", ""),
        aws_read_timeout=int(env.get("AWS_READ_TIMEOUT_SECONDS", "3")),
        invitations_table=env.get("INVITATIONS_TABLE", ""),
        apps_table=env.get("APPS_TABLE", ""),
        oauth_grants_table=env.get("OAUTH_GRANTS_TABLE", ""),
        invitation_emails_per_address=int(env.get("INVITATION_EMAILS_PER_ADDRESS", "5")),
        invitation_emails_per_organization=int(env.get("INVITATION_EMAILS_PER_ORGANIZATION", "200")),
        signing_key_arns=tuple((p, env[f"SIGNING_KEYS_{v}_ARN"]) for p, v in _purposes(env)
                               if env.get(f"SIGNING_KEYS_{v}_ARN")),
        public_key_arns=tuple((p, env[f"PUBLIC_KEYS_{v}_ARN"]) for p, v in _purposes(env)
                              if env.get(f"PUBLIC_KEYS_{v}_ARN")),
        other_token_ttls=tuple((p, int(env[f"{v}_TOKEN_TTL_SECONDS"])) for p, v in _purposes(env)
                               if env.get(f"{v}_TOKEN_TTL_SECONDS")),
        reauth_max_age=int(env.get("REAUTH_MAX_AGE_SECONDS", "600")),
        key_rotation_days=int(env.get("SIGNING_KEY_ROTATION_DAYS", "30")),
        key_set_cache_seconds=int(env.get("KEY_SET_CACHE_SECONDS", "300")),
        jwks_max_age=int(env.get("JWKS_MAX_AGE_SECONDS", "300")),
        totp_key_secret_arn=env.get("TOTP_KEY_SECRET_ARN", ""),
        lockout_threshold=int(env.get("LOCKOUT_THRESHOLD", "5")),
        lockout_seconds=int(env.get("LOCKOUT_SECONDS", "1800")),
        rate_limit_window=int(env.get("RATE_LIMIT_WINDOW_SECONDS", "60")),
        rate_limits=(
            ("login", int(env.get("LOGIN_RATE_LIMIT", "20"))),
            ("verify-2fa", int(env.get("VERIFY_2FA_RATE_LIMIT", "10"))),
            ("register", int(env.get("REGISTER_RATE_LIMIT", "10"))),
            ("refresh", int(env.get("REFRESH_RATE_LIMIT", "60"))),
            ("forgot-password", int(env.get("FORGOT_PASSWORD_RATE_LIMIT", "5"))),
            ("reauthenticate", int(env.get("REAUTHENTICATE_RATE_LIMIT", "10"))),
            ("sign-in-email", int(env.get("SIGN_IN_EMAIL_RATE_LIMIT", "5"))),
            ("sign-in-code", int(env.get("SIGN_IN_CODE_RATE_LIMIT", "10"))),
        ),
        recovery_emails_per_address=int(env.get("RECOVERY_EMAILS_PER_ADDRESS", "3")),
        sign_in_emails_per_address=int(env.get("SIGN_IN_EMAILS_PER_ADDRESS", "5")),
        passwordless_sign_up=env.get("PASSWORDLESS_SIGN_UP", "false").lower() == "true",
        breached_password_check=env.get("BREACHED_PASSWORD_CHECK", "false").lower() == "true",
        totp_issuer=env.get("TOTP_ISSUER", "Latchkey"),
        access_token_ttl=int(env.get("ACCESS_TOKEN_TTL_SECONDS", "900")),
        refresh_token_ttl=int(env.get("REFRESH_TOKEN_TTL_SECONDS", str(7 * 24 * 3600))),
        refresh_grace=int(env.get("REFRESH_GRACE_SECONDS", "10")),
        cors_allowed_origin=env.get("CORS_ALLOWED_ORIGIN", ""),
        export_bucket=env.get("EXPORT_BUCKET", ""),
        import_bucket=env.get("IMPORT_BUCKET", ""),
        import_queue_url=env.get("IMPORT_QUEUE_URL", ""),
        user_migration_function_arn=env.get("USER_MIGRATION_FUNCTION_ARN", ""),
        mail_queue_url=env.get("MAIL_QUEUE_URL", ""),
        mail_from_address=env.get("MAIL_FROM_ADDRESS", ""),
        ses_configuration_set=env.get("SES_CONFIGURATION_SET", ""),
        app_base_url=env.get("APP_BASE_URL", "").rstrip("/"),
        google_client_id=env.get("GOOGLE_CLIENT_ID", ""),
        github_client_id=env.get("GITHUB_CLIENT_ID", ""),
        oidc_issuer=env.get("OIDC_ISSUER", "").rstrip("/"),
        oidc_client_id=env.get("OIDC_CLIENT_ID", ""),
        oidc_name=env.get("OIDC_NAME", ""),
        federation_secrets_arn=env.get("FEDERATION_SECRETS_ARN", ""),
        oauth_issuer_url=env.get("OAUTH_ISSUER_URL", "").rstrip("/"),
        gateway_audiences=tuple(a.strip() for a in env.get("GATEWAY_JWT_AUDIENCES", "").split(",") if a.strip()),
        oauth_registration_organization=env.get("OAUTH_REGISTRATION_ORGANIZATION_ID", "")
        if env.get("OAUTH_DYNAMIC_REGISTRATION", "Disabled") == "Enabled" else "",
        passkey_rp_id=env.get("PASSKEY_RP_ID", "localhost"),
        passkey_origins=tuple(o.strip().rstrip("/") for o in env.get("PASSKEY_ORIGINS", "").split(",") if o.strip()),
        organization_deleted_hooks=tuple(h for h in env.get("ORGANIZATION_DELETED_HOOKS", "").split(",") if h),
    )

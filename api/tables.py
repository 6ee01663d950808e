"""Each DynamoDB table, declared once: its keys, indexes, TTL and settings (the template's table
resources are generated from these), the kinds of item it holds (key prefixes and the attributes a
reader may see), and the NAMED ACCESS RIGHTS a function may hold on it (`AUDIT.append`,
`ACCOUNTS.read_profile`, ...): each right is the IAM statements it grants, with the reason it may.
api/access.py says which function holds which rights; the layer's stores read the prefixes and
projections from `latchkey.store.items`, which `python -m contract` writes from here."""

from __future__ import annotations

from api.table import Index, Item, Right, Rights, Table, right  # noqa: F401 - Right re-exported

# --- the accounts table ----------------------------------------------------------------------------

# A user item: what any reader may see of it (never the sealed TOTP secrets or the recovery-code
# hashes), the passkeys, and the one-time tokens and the pending email change.
USER_PUBLIC_ATTRIBUTES = ("pk", "userId", "email", "name", "role", "plan", "organizationId", "createdAt",
                          "totpEnabled", "signedOutAt", "emailVerified", "pendingEmail", "disabled")
PASSKEYS = ("passkeys",)
TOKEN_PREFIXES = ("verifyToken", "resetToken", "emailToken", "approveToken", "magicToken")
TOKEN_ATTRIBUTES = tuple(f"{p}{s}" for p in TOKEN_PREFIXES for s in ("Hash", "ExpiresAt", "Spent"))
EMAIL_CHANGE_FLAGS = ("emailChangeApproved", "emailChangeConfirmed")
# What voids a pending email change: its address, both of its live tokens and its progress.
PENDING_EMAIL_CHANGE = ("pendingEmail", "emailTokenHash", "emailTokenExpiresAt", "approveTokenHash",
                        "approveTokenExpiresAt", *EMAIL_CHANGE_FLAGS)
USER_SECRETS = ("totpSecret", "totpPending", "totpLastStep", "recoveryCodeHashes", "totpEnabledAt", "totpUnfinished",
                "resetCleanupHash", "resetCleanupAt", "resetCleanupReclaims")

IDENTITIES = ("identities",)
USER = Item("user", "USER#", (*USER_PUBLIC_ATTRIBUTES, *PASSKEYS, *IDENTITIES, *TOKEN_ATTRIBUTES, *EMAIL_CHANGE_FLAGS,
                              *USER_SECRETS),
            why="A user: profile, two-factor state, passkeys and one-time tokens.")
CREDENTIALS = Item("credentials", "EMAIL#",
                   ("pk", "userId", "passwordHash", "credentialsOrganizationId", "signInCodeHash",
                    "signInCodeExpiresAt"),
                   why="One per normalized email (what makes an email unique): the user id and password hash.")
IDENTITY = Item("identity", "IDP#", ("pk", "userId", "identityId", "identityOrganizationId"),
                why="One per (provider, subject) linked to a user: what a federated sign-in finds its user by.")
ORGANIZATION = Item("organization", "ORG#",
                    ("pk", "organizationId", "name", "createdAt", "adminCount", "resultRedirectUrl"),
                    why="An organization and its admin count.")

ORGANIZATION_KEY = Item("organization key", "ORGKEY#", ("pk", "organizationId"),
                        why="An imported organization's id in the service it came from, and its id here.")
EXPORT_JOB = Item("export job", "EXPORT#", ("pk", "jobId", "status", "users", "sealedTo", "createdAt"),
                  why="An export of users (the admin API): its file is in the exports bucket.")
IMPORT_JOB = Item("import job", "IMPORT#", ("pk", "jobId", "status", "received", "created", "skipped", "refused",
                                            "refusals", "createdAt", "actor", "source", "bytesRead", "linesRead",
                                            "error", "updatedAt"),
                  why="An import of users (the admin API): its counts and each refused line's reason.")

# What a credentials item is read with where the password hash must stay out of reach.
CREDENTIALS_READ_USER_ID = ("pk", "userId")
CREDENTIALS_READ_SIGN_IN_CODE = ("pk", "userId", "credentialsOrganizationId", "signInCodeHash", "signInCodeExpiresAt")

# Readable projections of a user item: a function gets exactly one of them (the store reads with it).
USER_READ_PUBLIC = USER_PUBLIC_ATTRIBUTES
USER_READ_WITH_PASSKEYS = (*USER_PUBLIC_ATTRIBUTES, *PASSKEYS)
USER_READ_WITH_TOKENS = (*USER_PUBLIC_ATTRIBUTES, *TOKEN_ATTRIBUTES, *EMAIL_CHANGE_FLAGS)
USER_READ_WITH_TOKENS_AND_PASSKEYS = (*USER_READ_WITH_TOKENS, *PASSKEYS)
# Federation: the user with their ways to sign in (passkeys and linked identities).
USER_READ_WITH_SIGN_IN_METHODS = (*USER_PUBLIC_ATTRIBUTES, *PASSKEYS, *IDENTITIES)
# CancelEmailChange's grant as the template has it: the tokens but the magic link's. The store reads
# USER_READ_WITH_TOKENS (magic link's too), which this grant refuses in AWS (reported; kept equal).

ACCOUNTS_TABLE = Table(
    "AccountsTable", "accounts",
    "Users, their email claims (one item per normalized email: uniqueness) and organizations. The\n"
    "organization index lists an organization's users (only user items carry both of its keys).",
    hash=("pk", "S"),
    indexes=(Index("ByOrganization", "organizationId", "userId",
                   ("email", "name", "role", "plan", "createdAt", "totpEnabled"),
                   why="what the member list shows: never a TOTP secret or a recovery code's hash"),),
    items=(USER, CREDENTIALS, ORGANIZATION, IDENTITY, IMPORT_JOB, EXPORT_JOB, ORGANIZATION_KEY),
)


class ACCOUNTS(Rights):
    table = t = ACCOUNTS_TABLE

    # users: reads through a projection (never the TOTP secrets), or of the whole item
    read_profile = right(
        "The user item through a projection: never the password hash or the TOTP secrets.",
        t.allow("GetItem", items=(USER,), attributes=USER_READ_PUBLIC, select=True))
    read_profile_and_passkeys = right(
        "The user and their passkeys, through a projection: never the password hash or TOTP secrets.",
        t.allow("GetItem", items=(USER,), attributes=USER_READ_WITH_PASSKEYS, select=True))
    read_profile_and_tokens = right(
        "The user item with its one-time tokens, never the TOTP secrets.",
        t.allow("GetItem", items=(USER,), attributes=USER_READ_WITH_TOKENS, select=True))
    read_profile_tokens_and_passkeys = right(
        "The user item with its one-time tokens and passkeys, never the TOTP secrets.",
        t.allow("GetItem", items=(USER,), attributes=USER_READ_WITH_TOKENS_AND_PASSKEYS, select=True))
    check_second_factor = right(
        "The whole user item, its sealed TOTP secret too (it checks a second factor), and changes to it.",
        t.allow("GetItem", "UpdateItem", items=(USER,)))
    update_user = right(
        "Changes to the user item: any of its attributes (tokens, passkeys, the verified mark, ...).",
        t.allow("UpdateItem", items=(USER,)))
    update_user_returning_nothing = right(
        "Changes to the user item that return none of it.",
        t.allow("UpdateItem", items=(USER,), returns_none=True))
    sign_out_everywhere = right(
        "The user's signed-out-at mark, nothing else of the item (it voids pending-2FA tokens), and a\n"
        "pending email change voided (accounts.void_email_change).",
        t.allow("UpdateItem", items=(USER,), attributes=("pk", "signedOutAt", *PENDING_EMAIL_CHANGE),
                returns_none=True))
    void_email_change = right(
        "A pending email change is void (accounts.void_email_change).",
        t.allow("UpdateItem", items=(USER,), attributes=("pk", *PENDING_EMAIL_CHANGE)))
    issue_emailed_link = right(
        "A new reset or magic-link token on the user item (`email` in its condition: stored only while\n"
        "the account still has the address the link is mailed to).",
        t.allow("UpdateItem", items=(USER,),
                attributes=("pk", "email", "resetTokenHash", "resetTokenExpiresAt", "magicTokenHash",
                            "magicTokenExpiresAt")))
    disable_user = right(
        "The user's disabled mark (the admin API), nothing else of the item.",
        t.allow("UpdateItem", items=(USER,), attributes=("pk", "disabled"), returns_none=True))
    record_import = right(
        "An import job's record (the admin API), written once.",
        t.allow("PutItem", items=(IMPORT_JOB,)))
    advance_import = right(
        "An import job's record, read and moved on (an import from S3: each user created with the checkpoint\n"
        "of the line after it, in one transaction).",
        t.allow("GetItem", "UpdateItem", items=(IMPORT_JOB,)))
    resolve_organization_key = right(
        "Which organization here an imported organization's key became (imports join it again).",
        t.allow("GetItem", items=(ORGANIZATION_KEY,)))
    read_import = right(
        "An import job's record.",
        t.allow("GetItem", items=(IMPORT_JOB,)))
    export_all = right(
        "Every item of the table, read once: the export (users, their hashes and sealed TOTP secrets), and\n"
        "its job's record.",
        t.allow("Scan"), t.allow("PutItem", items=(EXPORT_JOB,)))
    read_export = right(
        "An export job's record.",
        t.allow("GetItem", items=(EXPORT_JOB,)))
    check_user = right(
        "A condition on the user item in a transaction (it still holds the role it carries).",
        t.allow("ConditionCheckItem", items=(USER,)))
    change_role = right(
        "The user's role and the organization's admin count, in one transaction.",
        t.allow("UpdateItem", items=(USER, ORGANIZATION)))
    remove_user = right(
        "A user and their credentials, deleted.",
        t.allow("DeleteItem", items=(USER, CREDENTIALS)))
    delete_user = right(
        "The user item: read whole, changed, deleted.",
        t.allow("GetItem", "UpdateItem", "DeleteItem", items=(USER,)))
    create_member = right(
        "The new credentials and user; the organization's admin count (or that it still exists).",
        t.allow("PutItem", items=(USER, CREDENTIALS)))
    create_account = right(
        "A new account: its user, credentials and organization items, at once.",
        t.allow("PutItem"))

    read_sign_in_methods = right(
        "The user with their passkeys and linked identities, through a projection: never the password hash\n"
        "or the TOTP secrets.",
        t.allow("GetItem", items=(USER,), attributes=USER_READ_WITH_SIGN_IN_METHODS, select=True))
    find_identity = right(
        "Whose user a provider's identity is (IDP# items).",
        t.allow("GetItem", items=(IDENTITY,)))
    link_identity = right(
        "A provider's identity linked to the user: its IDP# item and the user item's entry, at once.",
        t.allow("PutItem", items=(IDENTITY,)),
        t.allow("UpdateItem", items=(USER,), why="The user item's entry of the linked identity."))
    forget_identities = right(
        "A gone user's linked identities: their IDP# items, deleted with the account (or after it).",
        t.allow("DeleteItem", items=(IDENTITY,)))
    unlink_identity = right(
        "A linked identity removed: its IDP# item and the user item's entry, at once.",
        t.allow("DeleteItem", items=(IDENTITY,)),
        t.allow("UpdateItem", items=(USER,), why="The user item's entry of the unlinked identity."))

    # credentials (EMAIL#)
    check_passwords = right(
        "It checks passwords: the credentials items; of a user item, never the TOTP secrets.",
        t.allow("GetItem", items=(CREDENTIALS,)))
    change_password = right(
        "The credentials item: the password checked and changed.",
        t.allow("GetItem", "UpdateItem", items=(CREDENTIALS,)))
    set_password = right(
        "The credentials item's new password.",
        t.allow("UpdateItem", items=(CREDENTIALS,)))
    delete_credentials = right(
        "The credentials item: the password checked, then deleted.",
        t.allow("GetItem", "DeleteItem", items=(CREDENTIALS,)))
    move_credentials = right(
        "An email change moves the credentials item to the new address (one transaction).",
        t.allow("GetItem", "PutItem", "DeleteItem", items=(CREDENTIALS,)))
    check_email_unclaimed = right(
        "Whether the address has an account (one organization per user), checked in the write.",
        t.allow("ConditionCheckItem", items=(CREDENTIALS,)))
    find_user_id = right(
        "Whose account an email is, never the password hash.",
        t.allow("GetItem", items=(CREDENTIALS,), attributes=CREDENTIALS_READ_USER_ID, select=True))
    issue_sign_in_code = right(
        "A new sign-in code on the email's credentials item, for that email's user only.",
        t.allow("UpdateItem", items=(CREDENTIALS,), attributes=("pk", "userId", "signInCodeHash",
                                                                  "signInCodeExpiresAt")))
    spend_sign_in_code = right(
        "The email's sign-in code (never the password hash), spent on it.",
        t.allow("GetItem", "UpdateItem", items=(CREDENTIALS,), attributes=CREDENTIALS_READ_SIGN_IN_CODE))

    # organizations (ORG#) and the member index
    read_organization = right(
        "The organization item.",
        t.allow("GetItem", items=(ORGANIZATION,)))
    update_organization = right(
        "The organization: before, the change, after.",
        t.allow("GetItem", "UpdateItem", items=(ORGANIZATION,)))
    count_admins = right(
        "The organization's admin count.",
        t.allow("UpdateItem", items=(ORGANIZATION,)))
    join_organization = right(
        "The organization's admin count (or that it still exists), in the joining transaction.",
        t.allow("UpdateItem", "ConditionCheckItem", items=(ORGANIZATION,)))
    delete_organization = right(
        "Its organization, when the user was its last member; else an admin's count.",
        t.allow("DeleteItem", "UpdateItem", items=(ORGANIZATION,)))
    list_members = right(
        "An organization's members, through the member index (no secrets).",
        t.allow("Query", indexes=("ByOrganization",)))

    del t


# --- the other tables ------------------------------------------------------------------------------

SESSION = Item("session", attributes=("userId", "sessionId", "organizationId", "role", "generation", "tokenId",
                                      "issuedAt", "previousTokenId", "rotatedAt", "createdAt", "lastUsedAt",
                                      "expiresAt", "userAgent", "revokedAt", "revokedReason", "clientId", "scope",
                                      "browserSessionId"))
SESSIONS_TABLE = Table(
    "SessionsTable", "sessions",
    "Sessions (refresh-token families) of a user, keyed (userId, sessionId): the authorizer reads one\n"
    "item to know whether an access token's session is still live, and a user's sessions are one\n"
    "strongly consistent Query away (listing, logout-all). Items expire at the session's absolute end.",
    hash=("userId", "S"), range=("sessionId", "S"), ttl="expiresAt", items=(SESSION,),
)


class SESSIONS(Rights):
    table = t = SESSIONS_TABLE
    check = right("Whether a session is still live.", t.allow("GetItem"))
    start = right("A new session.", t.allow("PutItem"))
    update = right("One session it knows: rotated, marked or revoked.", t.allow("UpdateItem"))
    list = right("A user's sessions.", t.allow("Query"))
    end_all = right("A user's sessions, listed and revoked.", t.allow("Query", "UpdateItem"))
    del t


API_KEY = Item("api key", attributes=("keyHash", "keyId", "organizationId", "name", "scopes", "role", "createdBy",
                                      "createdAt", "prefix", "lastUsedAt", "expiresAt", "revokedAt", "purgeAt"))
API_KEYS_TABLE = Table(
    "ApiKeysTable", "api-keys",
    "API keys / personal access tokens, keyed by the SHA-256 of the key (the key itself is never\n"
    "stored). The organization index lists and finds an organization's keys by id.",
    hash=("keyHash", "S"), indexes=(Index("ByOrganization", "organizationId", "keyId"),), ttl="purgeAt",
    items=(API_KEY,),
)


class API_KEYS(Rights):
    table = t = API_KEYS_TABLE
    check = right("A key, by its hash.", t.allow("GetItem"))
    record_use = right(
        "It records a key's last use, and can change nothing else: not whether it is revoked.",
        t.allow("UpdateItem", attributes=("keyHash", "lastUsedAt"), returns_none=True))
    create = right("A new key.", t.allow("PutItem"))
    list = right("An organization's keys, through its index.", t.allow("Query", indexes=("ByOrganization",)))
    revoke = right("An organization's keys, found through its index and revoked.",
                   t.allow("Query", indexes=("ByOrganization",)), t.allow("UpdateItem"))
    del t


INVITATION = Item("invitation", attributes=("invitationId", "organizationId", "email", "role", "tokenHash",
                                            "status", "invitedBy", "createdAt", "expiresAt", "purgeAt"))
INVITATION_POINTER = Item("pending invitation of an address", "EMAIL#", ("invitationId", "current", "purgeAt"))
INVITATIONS_TABLE = Table(
    "InvitationsTable", "invitations",
    "Invitations to join an organization, keyed by invitation id (an accept finds its invitation with\n"
    "one strongly consistent read), listed through the organization index; plus one pointer item per\n"
    "organization and address naming its pending invitation (a new one replaces it). Spent and expired\n"
    "invitations stay until purgeAt, so a used token is told apart from a forged one.",
    hash=("invitationId", "S"),
    indexes=(Index("ByOrganization", "organizationId", "invitationId",
                   ("email", "role", "status", "invitedBy", "createdAt", "expiresAt"),
                   why="what a listing shows: never the token's hash"),),
    ttl="purgeAt", items=(INVITATION, INVITATION_POINTER),
)


class INVITATIONS(Rights):
    table = t = INVITATIONS_TABLE
    list = right("An organization's invitations.", t.allow("Query", indexes=("ByOrganization",)))
    send = right("A new invitation and its address's pointer (replacing the one before).",
                 t.allow("GetItem", "PutItem", "UpdateItem"))
    resolve = right("One invitation: read, then accepted or revoked, and its pointer deleted.",
                    t.allow("GetItem", "UpdateItem", "DeleteItem"))
    revoke_all = right("The invitations the member sent: revoked with them.",
                       t.allow("Query", indexes=("ByOrganization",)), t.allow("UpdateItem", "DeleteItem"))
    del t


APP = Item("OAuth app", attributes=("clientId", "organizationId", "name", "type", "redirectUris",
                                   "postLogoutRedirectUris", "scopes", "firstParty", "createdBy", "createdAt",
                                   "secretHash", "secretRotatedAt"))
APPS_TABLE = Table(
    "AppsTable", "apps",
    "The OAuth apps organizations register, keyed by client id (the token endpoint finds its client\n"
    "with one strongly consistent read), listed through the organization index. A confidential app's\n"
    "secret is kept as its SHA-256 only.",
    hash=("clientId", "S"),
    indexes=(Index("ByOrganization", "organizationId", "clientId",
                   ("name", "type", "redirectUris", "postLogoutRedirectUris", "scopes", "firstParty", "createdBy",
                    "createdAt", "secretRotatedAt"),
                   why="what a listing shows: never the secret's hash"),),
    items=(APP,),
)


class APPS(Rights):
    table = t = APPS_TABLE
    register = right("A new app.", t.allow("PutItem"))
    list = right("An organization's apps, through its index.", t.allow("Query", indexes=("ByOrganization",)))
    read = right("One app, by its client id: the OAuth client it is.", t.allow("GetItem"))
    manage = right("One app of the organization: read, then changed (its secret too) or deleted.",
                   t.allow("GetItem", "UpdateItem", "DeleteItem"))
    end = right("The apps a person registered, as their access ends: listed through the index, then their\n"
                "secrets voided, or, with their organization (or a squatter's setup), the apps deleted.",
                t.allow("Query", indexes=("ByOrganization",)), t.allow("UpdateItem", "DeleteItem"))
    del t


AUTHORIZATION_REQUEST = Item("OAuth authorization request, until the user decides", "request#",
                             ("grantId", "clientId", "query", "createdAt", "expiresAt"))
AUTHORIZATION_CODE = Item("OAuth authorization code, by its SHA-256", "code#",
                          ("grantId", "clientId", "organizationId", "userId", "redirectUri", "scope", "nonce",
                           "codeChallenge", "codeChallengeMethod", "authTime", "amr", "browserSessionId", "createdAt",
                           "expiresAt", "usedAt"))
CONSENT = Item("a user's consent to an app's scopes", "consent#",
               ("grantId", "clientId", "userId", "scopes", "createdAt"))
OAUTH_GRANTS_TABLE = Table(
    "OAuthGrantsTable", "oauth-grants",
    "The OAuth provider's short-lived state: authorization requests while the user signs in and decides\n"
    "(10 minutes), authorization codes by their SHA-256 (60 seconds, spent once), and each user's consent\n"
    "to an app's scopes. Items expire by TTL; every read checks the time itself.",
    hash=("grantId", "S"), ttl="expiresAt", items=(AUTHORIZATION_REQUEST, AUTHORIZATION_CODE, CONSENT),
)


class OAUTH_GRANTS(Rights):
    table = t = OAUTH_GRANTS_TABLE
    open_request = right("A new authorization request, while the user signs in.",
                         t.allow("PutItem", items=(AUTHORIZATION_REQUEST,)))
    decide = right("An authorization request read, then spent; the code it grants and the user's consent written.",
                   t.allow("GetItem", items=(AUTHORIZATION_REQUEST, CONSENT)),
                   t.allow("PutItem", items=(AUTHORIZATION_CODE, CONSENT)),
                   t.allow("DeleteItem", items=(AUTHORIZATION_REQUEST,)))
    give_up = right("An authorization request read, then spent with no code.",
                    t.allow("GetItem", "DeleteItem", items=(AUTHORIZATION_REQUEST,)))
    redeem = right("An authorization code: read, then spent once.",
                   t.allow("GetItem", "UpdateItem", items=(AUTHORIZATION_CODE,)))
    del t


RATE = Item("per-IP counter", "rate#", ("counterId", "hits", "expiresAt"))
LOCKOUT = Item("failed sign-ins of an email", "lockout#", ("counterId", "failures", "lockedUntil", "expiresAt"))
PENDING = Item("code attempts on a pending two-factor token", "pending#",
               ("counterId", "attempts", "usedAt", "expiresAt"))
CHALLENGE = Item("passkey challenge", "challenge#", ("counterId", "purpose", "boundTo", "expiresAt"))
OAUTH_STATE = Item("federated sign-in state", "oauth#",
                   ("counterId", "provider", "browser", "nonce", "verifier", "returnTo", "linkUserId", "expiresAt"),
                   why="A started federated sign-in, keyed by its state's hash: single use, 10 minutes.")
RATE_LIMITS_TABLE = Table(
    "RateLimitsTable", "rate-limits",
    "Counters with a TTL: per-IP request counts per window, and failed sign-ins per normalized email\n"
    "(the lockout), which exists whether or not the email has an account.",
    hash=("counterId", "S"), ttl="expiresAt", items=(RATE, LOCKOUT, PENDING, CHALLENGE, OAUTH_STATE),
)


class RATE_LIMITS(Rights):
    table = t = RATE_LIMITS_TABLE
    count = right("Its counters: per-IP requests and mail budgets, counted.", t.allow("UpdateItem"))
    count_and_clear = right("Its counters (rate limits, the lockout, a pending token's attempts): counted and cleared.",
                            t.allow("UpdateItem", "DeleteItem"))
    count_requests_from_ip = right("Its per-IP rate limit's counter.", t.allow("UpdateItem", items=(RATE,)))
    issue_challenge = right("A new passkey challenge.", t.allow("PutItem", items=(CHALLENGE,)))
    read_challenge = right("Passkey challenges: read, then spent (deleted) with the sign-in or step-up.",
                           t.allow("GetItem", items=(CHALLENGE,)))
    spend_challenge = right("Passkey challenges: read, then spent (deleted).",
                            t.allow("GetItem", "DeleteItem", items=(CHALLENGE,)))
    start_federated_sign_in = right("A started federated sign-in's state (single use, 10 minutes).",
                                    t.allow("PutItem", items=(OAUTH_STATE,)))
    spend_federated_sign_in = right("A federated sign-in's state, spent (deleted, its values returned) once.",
                                    t.allow("DeleteItem", items=(OAUTH_STATE,)))
    del t


AUDIT_EVENT = Item("audit event", attributes=("organizationId", "eventId", "userId", "type", "expiresAt"))
AUDIT_EVENTS_TABLE = Table(
    "AuditEventsTable", "audit-events",
    "The audit trail: one append-only item per security event, keyed (organizationId, eventId), event\n"
    "ids time-first so a partition read backwards is newest first; ByUser lists one user's events.\n"
    "Items expire after AuditRetentionDays (TTL).",
    hash=("organizationId", "S"), range=("eventId", "S"), indexes=(Index("ByUser", "userId", "eventId"),),
    ttl="expiresAt", items=(AUDIT_EVENT,),
)


class AUDIT(Rights):
    table = t = AUDIT_EVENTS_TABLE
    append = right("Its audit events: appended, never read, changed or deleted.", t.allow("PutItem"))
    read = right("An organization's or a user's audit events.", t.allow("Query", indexes=("ByUser",), table=True))
    del t


IDEMPOTENCY_TABLE = Table(
    "IdempotencyTable", "idempotency",
    "Powertools Idempotency's records: a retried create (same Idempotency-Key) answers what the first\n"
    "one did. Keyed by the key (scoped to the caller: its organization, user or API key, and route);\n"
    "expire after 24 hours.",
    hash=("id", "S"), ttl="expiration", items=(Item("idempotency record", attributes=("id", "expiration")),),
)


class IDEMPOTENCY(Rights):
    table = t = IDEMPOTENCY_TABLE
    records = right("Powertools Idempotency's records of this function's creates.",
                    t.allow("GetItem", "PutItem", "UpdateItem", "DeleteItem"),
                    environment={"IDEMPOTENCY_TABLE": {"Ref": "IdempotencyTable"}})
    del t


# In the template's order (the modules' follow: api/modules.py, `tables`).
TABLES = (ACCOUNTS_TABLE, SESSIONS_TABLE, API_KEYS_TABLE, INVITATIONS_TABLE, APPS_TABLE, OAUTH_GRANTS_TABLE,
          RATE_LIMITS_TABLE, AUDIT_EVENTS_TABLE, IDEMPOTENCY_TABLE)
TABLE_RIGHTS = (ACCOUNTS, SESSIONS, API_KEYS, INVITATIONS, APPS, OAUTH_GRANTS, RATE_LIMITS, AUDIT, IDEMPOTENCY)

"""Each DynamoDB table, declared once: its keys, indexes, TTL and settings (the template's table
resources are generated from these), the kinds of item it holds (key prefixes and the attributes a
reader may see), and the NAMED ACCESS RIGHTS a function may hold on it (`AUDIT.append`,
`ACCOUNTS.read_profile`, ...): each right is the IAM statements it grants, with the reason it may.
api/access.py says which function holds which rights; the layer's stores read the prefixes and
projections from `latchkey.store.items`, which `python -m contract` writes from here."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from api.iam import Statement, get_att

# --- what a table is -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Index:
    name: str
    hash: str
    range: str | None = None
    projection: tuple[str, ...] | None = None  # INCLUDE these non-key attributes; None: ALL
    why: str = ""  # the comment beside the index's projection


@dataclass(frozen=True)
class Item:
    """A kind of item the table holds: its key starts with `prefix` (`USER#`), and `attributes` are
    what a reader of it may see (the IAM `dynamodb:Attributes` lists are made of them)."""

    name: str
    prefix: str = ""
    attributes: tuple[str, ...] = ()
    why: str = ""

    @property
    def leading_key(self) -> str:
        """The IAM `dynamodb:LeadingKeys` pattern of this kind's items."""
        return f"{self.prefix}*"


@dataclass(frozen=True)
class Table:
    logical_id: str
    name: str  # the physical name is latchkey-<stage>-<name>
    why: str  # the comment above the resource, one line of the template per line here
    hash: tuple[str, str]  # (attribute, type)
    range: tuple[str, str] | None = None
    indexes: tuple[Index, ...] = ()
    index_types: dict[str, str] = field(default_factory=dict)  # index key attributes' types (default S)
    ttl: str | None = None  # the TimeToLiveSpecification attribute
    stream: str | None = None  # a StreamViewType, if the table has a stream
    point_in_time_recovery: bool = True
    billing: str = "PAY_PER_REQUEST"
    retain_in_prod: bool = True  # DeletionPolicy / UpdateReplacePolicy: Retain in prod, Delete in dev
    items: tuple[Item, ...] = ()

    @property
    def arn(self) -> dict:
        return get_att(self.logical_id)

    def index_arn(self, name: str) -> dict:
        assert name in {i.name for i in self.indexes}, f"{self.logical_id} has no index {name}"
        return {"Fn::Sub": f"${{{self.logical_id}.Arn}}/index/{name}"}

    def attribute_definitions(self) -> list[tuple[str, str]]:
        """Every key attribute of the table and its indexes, once, the table's first."""
        seen: dict[str, str] = {}
        for name, kind in (self.hash, self.range or (None, None)):
            if name is not None:
                seen.setdefault(name, kind)
        for index in self.indexes:
            for name in (index.hash, index.range):
                if name is not None:
                    seen.setdefault(name, self.index_types.get(name, "S"))
        return list(seen.items())

    def allow(self, *actions: str, items: tuple[Item, ...] = (), attributes: tuple[str, ...] | None = None,
              select: bool = False, returns_none: bool = False, indexes: tuple[str, ...] = (),
              table: bool | None = None, why: str = "") -> Statement:
        """A statement granting `actions` (DynamoDB's, without the `dynamodb:` prefix) on this table
        (and/or the named `indexes`), limited to items of the given kinds, to reading or writing only
        `attributes`, to projected reads (`select`) and to writes that return nothing (`returns_none`)."""
        if items:
            assert all(i in self.items for i in items), f"not items of {self.logical_id}"
        resources: list[object] = [self.arn] if (table if table is not None else not indexes) else []
        resources += [self.index_arn(name) for name in indexes]
        condition: dict = {}
        if items:
            condition["ForAllValues:StringLike"] = {"dynamodb:LeadingKeys": [i.leading_key for i in items]}
        if attributes is not None:
            condition["ForAllValues:StringEquals"] = {"dynamodb:Attributes": list(attributes)}
        if select:
            condition.setdefault("StringEqualsIfExists", {})["dynamodb:Select"] = "SPECIFIC_ATTRIBUTES"
        if returns_none:
            condition.setdefault("StringEqualsIfExists", {})["dynamodb:ReturnValues"] = "NONE"
        return Statement(tuple(f"dynamodb:{a}" for a in actions), tuple(resources), condition or None, why)


# --- what a right is -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Right:
    """A named access right: the statements it grants and why a function may hold it. Its first
    statement carries `why` unless it has its own (a why may span lines: one comment line each, none
    over 100 characters); `environment` is what a function holding it is told (the ARN of a secret it
    reads, ...)."""

    why: str
    statements: tuple[Statement, ...]
    environment: dict[str, object] = field(default_factory=dict)
    name: str = ""

    def __set_name__(self, owner: type, attribute: str) -> None:
        object.__setattr__(self, "name", f"{owner.__name__}.{attribute}")

    def because(self, why: str) -> Right:
        """The same right, held for a reason of the function's own (the comment it renders with)."""
        first, *rest = self.statements
        return replace(self, why=why, statements=(replace(first, why=why), *rest))

    def expand(self) -> list[Statement]:
        first, *rest = self.statements
        return [first if first.why else replace(first, why=self.why), *rest]


def right(why: str, *statements: Statement, environment: dict[str, object] | None = None) -> Right:
    return Right(why, statements, dict(environment or {}))


class Rights:
    """A namespace of rights: `class AUDIT(Rights): append = right(...)` names it `AUDIT.append`."""

    table: Table | None = None

    @classmethod
    def all(cls) -> dict[str, Right]:
        return {value.name: value for value in vars(cls).values() if isinstance(value, Right)}


# --- the accounts table ----------------------------------------------------------------------------

# A user item: what any reader may see of it (never the sealed TOTP secrets or the recovery-code
# hashes), the passkeys, and the one-time tokens and the pending email change.
USER_PUBLIC_ATTRIBUTES = ("pk", "userId", "email", "name", "role", "plan", "organizationId", "createdAt",
                          "totpEnabled", "signedOutAt", "emailVerified", "pendingEmail")
PASSKEYS = ("passkeys",)
TOKEN_PREFIXES = ("verifyToken", "resetToken", "emailToken", "approveToken", "magicToken")
TOKEN_ATTRIBUTES = tuple(f"{p}{s}" for p in TOKEN_PREFIXES for s in ("Hash", "ExpiresAt", "Spent"))
EMAIL_CHANGE_FLAGS = ("emailChangeApproved", "emailChangeConfirmed")
# What voids a pending email change: its address, both of its live tokens and its progress.
PENDING_EMAIL_CHANGE = ("pendingEmail", "emailTokenHash", "emailTokenExpiresAt", "approveTokenHash",
                        "approveTokenExpiresAt", *EMAIL_CHANGE_FLAGS)
USER_SECRETS = ("totpSecret", "totpPending", "totpLastStep", "recoveryCodeHashes", "totpEnabledAt", "totpUnfinished",
                "resetCleanupHash", "resetCleanupAt", "resetCleanupReclaims")

USER = Item("user", "USER#", (*USER_PUBLIC_ATTRIBUTES, *PASSKEYS, *TOKEN_ATTRIBUTES, *EMAIL_CHANGE_FLAGS,
                              *USER_SECRETS),
            why="A user: profile, two-factor state, passkeys and one-time tokens.")
CREDENTIALS = Item("credentials", "EMAIL#",
                   ("pk", "userId", "passwordHash", "credentialsOrganizationId", "signInCodeHash",
                    "signInCodeExpiresAt"),
                   why="One per normalized email (what makes an email unique): the user id and password hash.")
ORGANIZATION = Item("organization", "ORG#",
                    ("pk", "organizationId", "name", "createdAt", "adminCount", "resultRedirectUrl"),
                    why="An organization and its admin count.")

# What a credentials item is read with where the password hash must stay out of reach.
CREDENTIALS_READ_USER_ID = ("pk", "userId")
CREDENTIALS_READ_SIGN_IN_CODE = ("pk", "userId", "credentialsOrganizationId", "signInCodeHash", "signInCodeExpiresAt")

# Readable projections of a user item: a function gets exactly one of them (the store reads with it).
USER_READ_PUBLIC = USER_PUBLIC_ATTRIBUTES
USER_READ_WITH_PASSKEYS = (*USER_PUBLIC_ATTRIBUTES, *PASSKEYS)
USER_READ_WITH_TOKENS = (*USER_PUBLIC_ATTRIBUTES, *TOKEN_ATTRIBUTES, *EMAIL_CHANGE_FLAGS)
USER_READ_WITH_TOKENS_AND_PASSKEYS = (*USER_READ_WITH_TOKENS, *PASSKEYS)
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
    items=(USER, CREDENTIALS, ORGANIZATION),
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

ASSESSMENTS_TABLE = Table(
    "AssessmentsTable", "assessments",
    "Assessments of an organization, listed by organization.",
    hash=("organizationId", "S"), range=("assessmentId", "S"),
    items=(Item("assessment", attributes=("organizationId", "assessmentId")),),
)


class ASSESSMENTS(Rights):
    table = t = ASSESSMENTS_TABLE
    list = right("An organization's assessments.", t.allow("Query"))
    read = right("One assessment.", t.allow("GetItem"))
    create = right("A new assessment.", t.allow("PutItem"))
    delete_all = right("An organization's assessments, listed and deleted.", t.allow("Query", "BatchWriteItem"))
    del t


SESSION = Item("session", attributes=("userId", "sessionId", "organizationId", "role", "generation", "tokenId",
                                      "issuedAt", "previousTokenId", "rotatedAt", "createdAt", "lastUsedAt",
                                      "expiresAt", "userAgent", "revokedAt", "revokedReason", "clientId", "scope"))
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


APP = Item("OAuth app", attributes=("clientId", "organizationId", "name", "type", "redirectUris", "scopes",
                                   "firstParty", "createdBy", "createdAt", "secretHash", "secretRotatedAt"))
APPS_TABLE = Table(
    "AppsTable", "apps",
    "The OAuth apps organizations register, keyed by client id (the token endpoint finds its client\n"
    "with one strongly consistent read), listed through the organization index. A confidential app's\n"
    "secret is kept as its SHA-256 only.",
    hash=("clientId", "S"),
    indexes=(Index("ByOrganization", "organizationId", "clientId",
                   ("name", "type", "redirectUris", "scopes", "firstParty", "createdBy", "createdAt",
                    "secretRotatedAt"),
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
    del t


AUTHORIZATION_REQUEST = Item("OAuth authorization request, until the user decides", "request#",
                             ("grantId", "clientId", "query", "createdAt", "expiresAt"))
AUTHORIZATION_CODE = Item("OAuth authorization code, by its SHA-256", "code#",
                          ("grantId", "clientId", "organizationId", "userId", "redirectUri", "scope", "nonce",
                           "codeChallenge", "codeChallengeMethod", "authTime", "createdAt", "expiresAt", "usedAt"))
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
    redeem = right("An authorization code: read, then spent once.",
                   t.allow("GetItem", "UpdateItem", items=(AUTHORIZATION_CODE,)))
    del t


RATE = Item("per-IP counter", "rate#", ("counterId", "hits", "expiresAt"))
LOCKOUT = Item("failed sign-ins of an email", "lockout#", ("counterId", "failures", "lockedUntil", "expiresAt"))
PENDING = Item("code attempts on a pending two-factor token", "pending#",
               ("counterId", "attempts", "usedAt", "expiresAt"))
CHALLENGE = Item("passkey challenge", "challenge#", ("counterId", "purpose", "boundTo", "expiresAt"))
RATE_LIMITS_TABLE = Table(
    "RateLimitsTable", "rate-limits",
    "Counters with a TTL: per-IP request counts per window, and failed sign-ins per normalized email\n"
    "(the lockout), which exists whether or not the email has an account.",
    hash=("counterId", "S"), ttl="expiresAt", items=(RATE, LOCKOUT, PENDING, CHALLENGE),
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
    del t


CANDIDATE = Item("candidate", attributes=("candidateId", "organizationId", "assessmentId", "organizationAssessment",
                                          "email", "name", "status", "invitedAt", "completedAt", "invitationHash",
                                          "answers"))
_CANDIDATE_LISTING = "what a listing shows: never the invitation hash, never the answers"
CANDIDATES_TABLE = Table(
    "CandidatesTable", "candidates",
    "Candidates invited to an organization's assessments, keyed by candidate id (a completion finds\n"
    "its candidate with one strongly consistent read); listed through the organization and\n"
    "organization#assessment indexes. The result lives on the candidate once completed.",
    hash=("candidateId", "S"),
    indexes=(Index("ByOrganization", "organizationId", "candidateId",
                   ("assessmentId", "email", "name", "status", "invitedAt", "completedAt"), why=_CANDIDATE_LISTING),
             Index("ByAssessment", "organizationAssessment", "candidateId",
                   ("organizationId", "assessmentId", "email", "name", "status", "invitedAt", "completedAt"),
                   why=_CANDIDATE_LISTING)),
    items=(CANDIDATE,),
)


class CANDIDATES(Rights):
    table = t = CANDIDATES_TABLE
    invite = right("A new candidate.", t.allow("PutItem"))
    list = right("An organization's candidates, of all or of one assessment.",
                 t.allow("Query", indexes=("ByOrganization", "ByAssessment")))
    read = right("One candidate.", t.allow("GetItem"))
    complete = right("A candidate's result.", t.allow("UpdateItem"))
    delete_all = right("An organization's candidates, listed and deleted.",
                       t.allow("Query", indexes=("ByOrganization",)), t.allow("BatchWriteItem"))
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


# In the template's order.
TABLES = (ACCOUNTS_TABLE, ASSESSMENTS_TABLE, SESSIONS_TABLE, API_KEYS_TABLE, INVITATIONS_TABLE, APPS_TABLE,
          OAUTH_GRANTS_TABLE, RATE_LIMITS_TABLE, CANDIDATES_TABLE, AUDIT_EVENTS_TABLE, IDEMPOTENCY_TABLE)
TABLE_RIGHTS = (ACCOUNTS, ASSESSMENTS, SESSIONS, API_KEYS, INVITATIONS, APPS, OAUTH_GRANTS, RATE_LIMITS, CANDIDATES,
                AUDIT, IDEMPOTENCY)

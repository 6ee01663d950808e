"""The tables' key prefixes, the projections a user item is read with and what voids an email change:
written by
`python -m contract` from api/tables.py (edit that, not this). The IAM grants (api/tables.py's
rights) name the same prefixes and attribute lists, so a store's read and its grant cannot drift.
"""

USER = "USER#"
CREDENTIALS = "EMAIL#"
IDENTITY = "IDP#"
ORGANIZATION = "ORG#"
ORGANIZATION_KEY = "ORGKEY#"
EXPORT_JOB = "EXPORT#"
IMPORT_JOB = "IMPORT#"
INVITATION_POINTER = "EMAIL#"
AUTHORIZATION_REQUEST = "request#"
AUTHORIZATION_CODE = "code#"
CONSENT = "consent#"
RATE = "rate#"
LOCKOUT = "lockout#"
PENDING = "pending#"
CHALLENGE = "challenge#"
OAUTH_STATE = "oauth#"

USER_READ_PUBLIC = (
    "pk", "userId", "email", "name", "role", "plan", "organizationId", "createdAt", "totpEnabled", "signedOutAt",
    "emailVerified", "pendingEmail", "disabled",
)
USER_READ_WITH_PASSKEYS = (
    "pk", "userId", "email", "name", "role", "plan", "organizationId", "createdAt", "totpEnabled", "signedOutAt",
    "emailVerified", "pendingEmail", "disabled", "passkeys",
)
USER_READ_WITH_TOKENS = (
    "pk", "userId", "email", "name", "role", "plan", "organizationId", "createdAt", "totpEnabled", "signedOutAt",
    "emailVerified", "pendingEmail", "disabled", "verifyTokenHash", "verifyTokenExpiresAt", "verifyTokenSpent",
    "resetTokenHash", "resetTokenExpiresAt", "resetTokenSpent", "emailTokenHash", "emailTokenExpiresAt",
    "emailTokenSpent", "approveTokenHash", "approveTokenExpiresAt", "approveTokenSpent", "magicTokenHash",
    "magicTokenExpiresAt", "magicTokenSpent", "emailChangeApproved", "emailChangeConfirmed",
)
USER_READ_WITH_TOKENS_AND_PASSKEYS = (
    "pk", "userId", "email", "name", "role", "plan", "organizationId", "createdAt", "totpEnabled", "signedOutAt",
    "emailVerified", "pendingEmail", "disabled", "verifyTokenHash", "verifyTokenExpiresAt", "verifyTokenSpent",
    "resetTokenHash", "resetTokenExpiresAt", "resetTokenSpent", "emailTokenHash", "emailTokenExpiresAt",
    "emailTokenSpent", "approveTokenHash", "approveTokenExpiresAt", "approveTokenSpent", "magicTokenHash",
    "magicTokenExpiresAt", "magicTokenSpent", "emailChangeApproved", "emailChangeConfirmed", "passkeys",
)
USER_READ_WITH_SIGN_IN_METHODS = (
    "pk", "userId", "email", "name", "role", "plan", "organizationId", "createdAt", "totpEnabled", "signedOutAt",
    "emailVerified", "pendingEmail", "disabled", "passkeys", "identities",
)
PENDING_EMAIL_CHANGE = (
    "pendingEmail", "emailTokenHash", "emailTokenExpiresAt", "approveTokenHash", "approveTokenExpiresAt",
    "emailChangeApproved", "emailChangeConfirmed",
)
CREDENTIALS_READ_USER_ID = (
    "pk", "userId",
)
CREDENTIALS_READ_SIGN_IN_CODE = (
    "pk", "userId", "credentialsOrganizationId", "signInCodeHash", "signInCodeExpiresAt",
)

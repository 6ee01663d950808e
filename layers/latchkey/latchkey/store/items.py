"""The tables' key prefixes, the projections a user item is read with and what voids an email change:
written by
`python -m contract` from api/tables.py (edit that, not this). The IAM grants (api/tables.py's
rights) name the same prefixes and attribute lists, so a store's read and its grant cannot drift.
"""

USER = "USER#"
CREDENTIALS = "EMAIL#"
ORGANIZATION = "ORG#"
INVITATION_POINTER = "EMAIL#"
AUTHORIZATION_REQUEST = "request#"
AUTHORIZATION_CODE = "code#"
CONSENT = "consent#"
RATE = "rate#"
LOCKOUT = "lockout#"
PENDING = "pending#"
CHALLENGE = "challenge#"

USER_READ_PUBLIC = (
    "pk", "userId", "email", "name", "role", "plan", "organizationId", "createdAt", "totpEnabled", "signedOutAt",
    "emailVerified", "pendingEmail",
)
USER_READ_WITH_PASSKEYS = (
    "pk", "userId", "email", "name", "role", "plan", "organizationId", "createdAt", "totpEnabled", "signedOutAt",
    "emailVerified", "pendingEmail", "passkeys",
)
USER_READ_WITH_TOKENS = (
    "pk", "userId", "email", "name", "role", "plan", "organizationId", "createdAt", "totpEnabled", "signedOutAt",
    "emailVerified", "pendingEmail", "verifyTokenHash", "verifyTokenExpiresAt", "verifyTokenSpent",
    "resetTokenHash", "resetTokenExpiresAt", "resetTokenSpent", "emailTokenHash", "emailTokenExpiresAt",
    "emailTokenSpent", "approveTokenHash", "approveTokenExpiresAt", "approveTokenSpent", "magicTokenHash",
    "magicTokenExpiresAt", "magicTokenSpent", "emailChangeApproved", "emailChangeConfirmed",
)
USER_READ_WITH_TOKENS_AND_PASSKEYS = (
    "pk", "userId", "email", "name", "role", "plan", "organizationId", "createdAt", "totpEnabled", "signedOutAt",
    "emailVerified", "pendingEmail", "verifyTokenHash", "verifyTokenExpiresAt", "verifyTokenSpent",
    "resetTokenHash", "resetTokenExpiresAt", "resetTokenSpent", "emailTokenHash", "emailTokenExpiresAt",
    "emailTokenSpent", "approveTokenHash", "approveTokenExpiresAt", "approveTokenSpent", "magicTokenHash",
    "magicTokenExpiresAt", "magicTokenSpent", "emailChangeApproved", "emailChangeConfirmed", "passkeys",
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

"""A legacy service's user migration function, to try lazy migration locally:
`make dev USER_MIGRATION=local/sample_user_migration/app.py`.

It answers Cognito's user migration trigger as a team's own function would, for the two users its old
service knows (and their passwords, kept there as salted PBKDF2):

    ada@legacy.example    legacy password 1
    alan@legacy.example   legacy password 2

Copy it, and replace `LEGACY_USERS` with a call to your old service (its database, or its sign-in API).
"""

import hashlib
import hmac

# address -> (name, whether the old service verified it, salt, PBKDF2-SHA256 of the password, 1,000 rounds)
LEGACY_USERS = {
    "ada@legacy.example": ("Ada Lovelace", True, b"legacy-salt",
                           "548b2b357d4889fee9cb895e15d160f2d6978038a3b8efcea6809ee74770a7ea"),
    "alan@legacy.example": ("Alan Turing", False, b"legacy-salt",
                            "af76deb7e711f9436bb0f282a0f5c701dfb912a37668da1c7cd53c67724f75dd"),
}


def handler(event, context):
    email = event["userName"].strip().lower()
    user = LEGACY_USERS.get(email)
    if user is None:
        raise Exception("Bad user or password")  # Latchkey creates no account, as Cognito would not
    name, verified, salt, digest = user
    if event["triggerSource"] == "UserMigration_Authentication":
        given = hashlib.pbkdf2_hmac("sha256", event["request"]["password"].encode(), salt, 1000).hex()
        if not hmac.compare_digest(given, digest):
            raise Exception("Bad user or password")
    # UserMigration_ForgotPassword comes without a password: the user sets a new one from the mail.
    event["response"] = {"userAttributes": {"email": email, "name": name,
                                            "email_verified": "true" if verified else "false"}}
    return event

"""The admin API: what the service's operators (AWS IAM principals: the team's own servers and people,
granted by IAM policy, never a Latchkey token or key) do to any user: create, find, disable and enable,
sign out everywhere, delete; and users in bulk: import (with their password hashes, TOTP secrets,
organizations and passkeys) and export (in the import's format). Every change is audited with the IAM
principal as its actor (the edge's `audit.begin`).

Disabling marks the user item (`disabled`), then ends every live session and revokes every API key the
user created: the authorizer reads a session or a key on every request (its one DynamoDB read), so
both stop on the next request, and it needs no read of its own for the mark. Sign-in (`sessions.start`,
whose transaction requires the user item unmarked, so a sign-in racing the disable loses) and refresh
read the mark and refuse. Each step may be repeated: a disable that failed half-way (503) finishes when
sent again."""

from __future__ import annotations

import json
import re
from typing import NamedTuple

from latchkey.errors import (
    EmailTaken,
    ExportNotFound,
    IdentityLinkedElsewhere,
    ImportNotFound,
    OrganizationNotFound,
    UserNotFound,
    ValidationFailed,
)
from latchkey.rules import clock, ids, imported_hashes, passwords
from latchkey.rules.records import ADMIN, DEFAULT_PLAN, MEMBER, ROLES, Organization, Principal, User, normalize_email
from latchkey.rules.scopes import USER
from latchkey.store import accounts_table, dynamodb
from latchkey.usecases import accounts, api_keys, apps, audit, sessions, sign_out


class Ended(NamedTuple):
    """What a disable or a sign-out ended."""

    user: User
    sessions_revoked: int
    api_keys_revoked: int

    def body(self) -> dict:
        return {"user": self.user.as_operators_see(), "sessionsRevoked": self.sessions_revoked,
                "apiKeysRevoked": self.api_keys_revoked}


def create(email: str, name: str, password: str | None, *, email_verified: bool = False,
           organization_id: str | None = None, role: str | None = None, password_hash: str = "",
           totp_secret: str = "", organization_key: str = "", organization_name: str = "",
           passkeys: dict | None = None, identities: tuple = (), also: list | tuple = ()) -> User:
    """A new user: in an organization of their own (they administer it), or in `organization_id` with
    `role` (MEMBER unless told). No password: they sign in by link, code or passkey, or reset one; or an
    imported `password_hash` (rules/imported_hashes.py, checked by the caller), kept until their first
    sign-in replaces it; and, imported, the TOTP secret (base32) they had, sealed as any other (two-factor
    sign-in on). An imported `organization_key` (the organization's id where it came from) joins the
    organization it became here, or, for an admin, makes it (named `organization_name`). 409 EMAIL_TAKEN;
    404 ORGANIZATION_NOT_FOUND (a member's key that no admin brought yet). Imported `passkeys` (the
    user item's map, by credential id) are kept as they were registered, and imported `identities`
    (accounts_table.Identity) linked again (409 IDENTITY_LINKED_ELSEWHERE: another user has one). `also`:
    transaction items written with the user (an import's checkpoint)."""
    key_op = []
    if organization_key and organization_id is None:
        organization_id = accounts_table.organization_for_key(organization_key)
        if organization_id is None and role not in (None, ADMIN):
            raise OrganizationNotFound()
    if password is not None:
        accounts.check_new_password(password)
    email, name = email.strip(), name.strip()
    now_iso = clock.iso()
    role = ADMIN if organization_id is None else role or MEMBER
    user = User(id=ids.new_id(ids.USER), email=email, name=name, role=role, plan=DEFAULT_PLAN,
                organization_id=organization_id or ids.new_id(ids.ORGANIZATION),
                created_at=now_iso, email_verified=email_verified)
    password_hash = passwords.hash_password(password) if password is not None else password_hash
    sealed = _sealed_totp(totp_secret, user.id) if totp_secret else ""
    user = user._replace(two_factor_enabled=bool(sealed))
    created = audit.item(audit.ACCOUNT_CREATED, organization_id=user.organization_id, user_id=user.id)
    if organization_id is None:
        organization = Organization(id=user.organization_id, name=organization_name or f"{name}'s organization",
                                    created_at=now_iso)
        if organization_key:
            key_op = [accounts_table.organization_key_op(organization_key, organization.id)]
        accounts_table.create_user_with_organization(user, password_hash, organization, None,
                                                     also=[created, *key_op, *also], sealed_totp=sealed,
                                                     now=clock.now(), passkeys=passkeys, identities=identities)
        return user
    try:
        dynamodb.transact([*accounts_table.add_member_ops(user, password_hash, sealed, clock.now(), passkeys,
                                                          identities), created, *also])
    except dynamodb.TransactionCancelled as cancelled:
        if cancelled.refused(accounts_table.CREDENTIALS):
            raise EmailTaken() from None
        if cancelled.refused(accounts_table.IDENTITY):
            raise IdentityLinkedElsewhere() from None
        if cancelled.refused(accounts_table.ORGANIZATION):
            raise OrganizationNotFound() from None
        raise
    return user


def _sealed_totp(secret: str, user_id: str) -> str:
    # Here, not at the top: only the import's function carries the two-factor layer.
    from latchkey.rules import totp
    from latchkey.store.secrets import totp_key_material

    return totp.seal(totp_key_material(), secret, user_id)


def get(user_id: str) -> User:
    """404 USER_NOT_FOUND for an id that is no user's (or of no id's shape: no read)."""
    user = accounts_table.get_user(user_id) if ids.is_id(user_id, ids.USER) else None
    if user is None:
        raise UserNotFound("No user has this id")
    return user


def find(email: str) -> User:
    """The user whose address is `email` (any case or Unicode form); 404 USER_NOT_FOUND."""
    user_id = accounts_table.find_user_id(normalize_email(email))
    if user_id is None:
        raise UserNotFound("No user has this address")
    return get(user_id)


def disable(user_id: str) -> Ended:
    """Marks the user disabled, then ends their sessions, revokes the keys they created and voids the
    secrets of the apps they registered."""
    user = get(user_id)
    marked = audit.item(audit.ACCOUNT_DISABLED, organization_id=user.organization_id, user_id=user.id)
    if not accounts_table.set_disabled(user.id, True, also=[marked]):
        raise UserNotFound("No user has this id")
    ended = sessions.end_sessions(user.id, "disabled by an operator", clock.now())
    keys = api_keys.revoke_keys_of(user.organization_id, user.id)
    apps.end_apps_of(user.organization_id, user.id)
    return Ended(user._replace(disabled=True), ended, keys)


def enable(user_id: str) -> User:
    """Lifts the mark: the user may sign in again (their old sessions and keys stay ended)."""
    user = get(user_id)
    enabled = audit.item(audit.ACCOUNT_ENABLED, organization_id=user.organization_id, user_id=user.id)
    if not accounts_table.set_disabled(user.id, False, also=[enabled]):
        raise UserNotFound("No user has this id")
    return user._replace(disabled=False)


def sign_out_everywhere(user_id: str) -> Ended:
    """Signs the user out everywhere, as their own logout-all with `revokeApiKeys` would."""
    user = get(user_id)
    as_user = Principal(kind=USER, user_id=user.id, organization_id=user.organization_id, role=user.role)
    done = sign_out.everywhere(as_user, revoke_api_keys=True)
    return Ended(user, done.sessions_revoked, done.api_keys_revoked or 0)


def delete(user_id: str) -> None:
    """Deletes the account as its owner's delete-account would (409 SOLE_ADMIN for the only admin of an
    organization with other members), audited."""
    from latchkey.usecases import account_changes  # here: only the delete function carries two-factor's layer

    user = get(user_id)
    deleted = audit.item(audit.ACCOUNT_DELETED, organization_id=user.organization_id, user_id=user.id)
    account_changes.remove_account(user, clock.now(), events=[deleted])


# --- import: users from another service, with their password hashes --------------------------------------

MAX_IMPORT_LINES = 200  # one request's users, one transaction each (10-30 ms in DynamoDB): far within 29 s
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_FIELDS = frozenset({"email", "name", "passwordHash", "salt", "emailVerified", "organizationId", "role",
                     "totpSecret", "organization", "organizationName", "passkeys", "identities"})
_BASE64URL = re.compile(r"[A-Za-z0-9_-]{16,2048}")
_BASE32 = re.compile(r"[A-Z2-7]{16,128}")


class Refused(Exception):
    """One line of an import refused: its reason, a stable code."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def import_users(text: str) -> dict:
    """Creates the users of `text` (JSON Lines: one user a line, docs/guides/migration.md; the first line
    may be `{"hashParameters": {"firebaseScrypt": {...}}}`), each as `create` would. Idempotent by email:
    a user whose address has an account is skipped, so a re-run after a failure creates only the rest.
    A bad line is refused with its reason and the others go on. The job's record (what GET
    /v1/admin/imports/{id} answers)."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    if len(lines) > MAX_IMPORT_LINES:
        raise ValidationFailed(f"At most {MAX_IMPORT_LINES} users per import request; split the file")
    firebase = hash_parameters(lines[0][1]) if lines else None
    if firebase is not None:
        lines = lines[1:]
    counts = {"created": 0, "skipped": 0}
    refusals: list[dict] = []
    seen: set[str] = set()
    for number, line in sorted(lines, key=_admins_first):  # an organization's admin brings it, then its members
        try:
            counts[import_line(line, firebase, seen)] += 1
        except Refused as refused:
            refusals.append({"line": number, "reason": refused.reason})
    refusals.sort(key=lambda refusal: refusal["line"])
    job = {"jobId": ids.new_id(ids.IMPORT), "status": "succeeded", "received": len(lines), **counts,
           "refused": len(refusals), "refusals": refusals, "createdAt": clock.iso()}
    accounts_table.put_import_job(job)
    return job


def hash_parameters(first_line: str) -> dict | None:
    """The Firebase scrypt parameters of an import's first line, if it is `{"hashParameters": ...}`; 400."""
    if '"hashParameters"' not in first_line:
        return None
    try:
        firebase = json.loads(first_line)["hashParameters"]["firebaseScrypt"]
        return {k: firebase[k] for k in ("signerKey", "saltSeparator", "rounds", "memCost")}
    except (ValueError, KeyError, TypeError):
        raise ValidationFailed("hashParameters.firebaseScrypt needs signerKey, saltSeparator, rounds and "
                               "memCost") from None


def _admins_first(numbered: tuple[int, str]) -> int:
    try:
        return 0 if json.loads(numbered[1]).get("role") == ADMIN else 1
    except (ValueError, AttributeError):
        return 1


def import_line(line: str, firebase: dict | None, seen: set[str], also: list | tuple = ()) -> str:
    """One line's user created ("created", with `also` in its transaction) or found ("skipped");
    Refused with the reason."""
    try:
        record = json.loads(line)
    except ValueError:
        raise Refused("INVALID_JSON") from None
    if not isinstance(record, dict) or not set(record) <= _FIELDS:
        raise Refused("UNKNOWN_FIELD" if isinstance(record, dict) else "INVALID_JSON")
    email = record.get("email")
    if not isinstance(email, str) or len(email) > 256 or not _EMAIL.fullmatch(email.strip()):
        raise Refused("INVALID_EMAIL")
    if normalize_email(email) in seen:
        raise Refused("DUPLICATE_EMAIL")
    seen.add(normalize_email(email))
    name = record.get("name") or email.split("@")[0]
    role = record.get("role")
    organization_key, organization_name = record.get("organization") or "", record.get("organizationName") or ""
    if not isinstance(name, str) or len(name.strip()) == 0 or len(name) > 100 or role not in (None, *ROLES) \
            or not isinstance(record.get("emailVerified", False), bool) \
            or not isinstance(organization_key, str) or len(organization_key) > 100 \
            or not isinstance(organization_name, str) or len(organization_name) > 100:
        raise Refused("INVALID_FIELD")
    passkeys = _passkeys(record.get("passkeys") or [])
    identities = _identities(record.get("identities") or [])
    totp_secret = record.get("totpSecret") or ""
    if not isinstance(totp_secret, str) or totp_secret and not _BASE32.fullmatch(totp_secret.upper().rstrip("=")):
        raise Refused("INVALID_TOTP_SECRET")
    password_hash = record.get("passwordHash") or ""
    try:
        if password_hash and record.get("salt") and firebase:
            password_hash = imported_hashes.firebase_hash(password_hash, record["salt"], firebase["signerKey"],
                                                          firebase["saltSeparator"], int(firebase["rounds"]),
                                                          int(firebase["memCost"]))
        if password_hash:
            imported_hashes.recognize(password_hash)
    except (imported_hashes.UnknownHashFormat, TypeError, ValueError):
        raise Refused("UNKNOWN_HASH_FORMAT") from None
    try:
        create(email, name, None, email_verified=record.get("emailVerified", False),
               organization_id=record.get("organizationId"), role=role, password_hash=password_hash,
               totp_secret=totp_secret.upper().rstrip("="), organization_key=organization_key,
               organization_name=organization_name.strip(), passkeys=passkeys, identities=identities, also=also)
    except EmailTaken:
        return "skipped"
    except OrganizationNotFound:
        raise Refused("ORGANIZATION_NOT_FOUND") from None
    except IdentityLinkedElsewhere:
        raise Refused("IDENTITY_TAKEN") from None
    return "created"


def _identities(listed: object) -> tuple[accounts_table.Identity, ...]:
    """An imported user's linked identities (`[{"provider", "subject", "email"?, "linkedAt"?}]`), each
    linked again: the same provider's sign-in with the same subject finds this user; INVALID_IDENTITY."""
    from latchkey.rules.federation import PROVIDER_NAMES

    if not isinstance(listed, list) or len(listed) > 20:
        raise Refused("INVALID_IDENTITY")
    kept = []
    for i in listed:
        if not isinstance(i, dict) or i.get("provider") not in PROVIDER_NAMES \
                or not isinstance(i.get("subject"), str) or not 0 < len(i["subject"]) <= 255 \
                or not isinstance(i.get("email", ""), str) or len(i.get("email", "")) > 256 \
                or not isinstance(i.get("linkedAt", ""), str) or len(i.get("linkedAt", "")) > 40 \
                or (i["provider"], i["subject"]) in {(k.provider, k.subject) for k in kept}:
            raise Refused("INVALID_IDENTITY")
        kept.append(accounts_table.Identity(ids.new_id(ids.IDENTITY), i["provider"], i["subject"],
                                            normalize_email(i["email"]) if i.get("email") else "",
                                            i.get("linkedAt") or clock.iso()))
    return tuple(kept)


def _passkeys(listed: object) -> dict:
    """An imported user's passkeys as the user item keeps them (by credential id); INVALID_PASSKEY."""
    if not isinstance(listed, list) or len(listed) > 20:
        raise Refused("INVALID_PASSKEY")
    kept = {}
    for p in listed:
        if not isinstance(p, dict) or not isinstance(p.get("id"), str) or not _BASE64URL.fullmatch(p["id"]) \
                or not isinstance(p.get("publicKey"), str) or not _BASE64URL.fullmatch(p["publicKey"]) \
                or not isinstance(p.get("name", ""), str) or len(p.get("name", "")) > 100 \
                or type(p.get("signCount", 0)) is not int or p.get("signCount", 0) < 0 \
                or not isinstance(p.get("backedUp", False), bool):
            raise Refused("INVALID_PASSKEY")
        kept[p["id"]] = {"name": p.get("name") or "Imported passkey", "publicKey": p["publicKey"],
                         "signCount": p.get("signCount", 0), "createdAt": str(p.get("createdAt") or clock.iso()),
                         "backedUp": p.get("backedUp", False)}
    return kept


def import_job(job_id: str) -> dict:
    job = accounts_table.get_import_job(job_id) if ids.is_id(job_id, ids.IMPORT) else None
    if job is None:
        raise ImportNotFound()
    return job


# --- export: every user, in the import's format -----------------------------------------------------------

DOWNLOAD_SECONDS = 15 * 60  # how long an export's download URL works (asked again, a new one)


def export_users(recipient_public_key: dict | None) -> dict:
    """Writes every user as a line of the import's format (docs/guides/migration.md): their hash as
    stored (argon2id, or an imported one not yet replaced), verified flag and name; a TOTP secret only
    sealed to `recipient_public_key` (a P-256 JWK: a compact JWE, ECDH-ES + A256GCM), never in clear,
    and left out without one. The job's record (GET /v1/admin/exports/{id} adds the download URL)."""
    from latchkey.rules import jwe, totp
    from latchkey.store import exports
    from latchkey.store.secrets import totp_key_material

    if recipient_public_key is not None:
        try:
            jwe.recipient(recipient_public_key)
        except jwe.InvalidRecipientKey as error:
            raise ValidationFailed(str(error)) from None
    lines = []
    for exported in accounts_table.export_all():
        user = exported.user
        line = {"email": user.email, "name": user.name, "emailVerified": user.email_verified,
                "organization": user.organization_id, "organizationName": exported.organization_name,
                "role": user.role}
        if exported.passkeys:
            line["passkeys"] = exported.passkeys
        if exported.identities:
            line["identities"] = exported.identities
        if exported.password_hash:
            line["passwordHash"] = exported.password_hash
        if exported.sealed_totp and recipient_public_key is not None:
            secret = totp.unseal(totp_key_material(), exported.sealed_totp, user.id)
            line["totpSecretJwe"] = jwe.seal(recipient_public_key, secret.encode())
        lines.append(json.dumps(line, ensure_ascii=False))
    job = {"jobId": ids.new_id(ids.EXPORT), "status": "succeeded", "users": len(lines),
           "sealedTo": "ECDH-ES+A256GCM" if recipient_public_key is not None else "", "createdAt": clock.iso()}
    exports.put(job["jobId"], ("\n".join(lines) + "\n").encode() if lines else b"")
    accounts_table.put_export_job(job)
    return job


def export_job(job_id: str) -> dict:
    """The export's record and a download URL good for DOWNLOAD_SECONDS."""
    from latchkey.store import exports

    job = accounts_table.get_export_job(job_id) if ids.is_id(job_id, ids.EXPORT) else None
    if job is None:
        raise ExportNotFound()
    return {**job, "downloadUrl": exports.download_url(job_id, DOWNLOAD_SECONDS), "expiresIn": DOWNLOAD_SECONDS}

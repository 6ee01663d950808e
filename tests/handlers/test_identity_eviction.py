"""A linked identity ends with its account. Deleting an account (by its owner or an operator) or
removing a member deletes their providers' IDP# items with them: the person signing in with that
provider again starts afresh, in an organization of their own, never back in the one they left. An
IDP# item already left behind by an older version (its user gone) is the same: forgotten at the next
sign-in, which then signs up."""

from __future__ import annotations

import json

from tests.handlers.conftest import call, invoke, join, register, signed_in_event
from tests.handlers.test_exports import delete as operator_delete
from tests.handlers.test_federation import (  # noqa: F401 - issuer, oidc: fixtures
    fresh_subject,
    issuer,
    oidc,
    refresh_cookie,
    sign_in,
    user_of,
    verify_address,
)
from tests.handlers.test_teams import admin  # noqa: F401 - a fixture
from tests.support import PASSWORD


def identity_item(provider: str, subject: str) -> dict | None:
    import boto3

    from latchkey.settings import get_settings

    return boto3.client("dynamodb").get_item(TableName=get_settings().accounts_table, ConsistentRead=True,
                                             Key={"pk": {"S": f"IDP#{provider}#{subject}"}}).get("Item")


def signs_up_afresh(local_api, oidc,  # noqa: F811 - the fixture's value
                     subject: str, email: str, gone: str, organization: str) -> None:
    """The provider's sign-in after the account went: a new account in a new organization."""
    assert refresh_cookie(sign_in(local_api, oidc, subject))
    fresh = user_of(email)
    assert fresh.id != gone and fresh.organization_id != organization
    assert identity_item("oidc", subject)["userId"]["S"] == fresh.id


def test_deleting_ones_account_deletes_its_linked_identities(local_api, oidc):  # noqa: F811
    email, data = register(local_api, "idp-delete")
    verify_address(email)
    subject, _ = fresh_subject(oidc, email=email)
    assert refresh_cookie(sign_in(local_api, oidc, subject))  # linked by the verified address
    assert identity_item("oidc", subject)["userId"]["S"] == data["user"]["id"]
    event = signed_in_event("delete_account", data["user"], access_token=data["accessToken"])
    event["body"] = json.dumps({"password": PASSWORD})
    deleted = invoke(local_api, "DeleteAccountFunction", event)
    assert deleted["statusCode"] == 200, deleted["body"]
    assert identity_item("oidc", subject) is None
    signs_up_afresh(local_api, oidc, subject, email, data["user"]["id"], data["user"]["organizationId"])


def test_an_operators_delete_deletes_the_linked_identities(local_api, oidc):  # noqa: F811
    subject, email = fresh_subject(oidc)
    assert refresh_cookie(sign_in(local_api, oidc, subject))  # an account the provider made
    gone = user_of(email)
    operator_delete(local_api, email)
    assert identity_item("oidc", subject) is None
    signs_up_afresh(local_api, oidc, subject, email, gone.id, gone.organization_id)


def test_a_removed_member_signing_in_with_their_provider_never_comes_back_in(local_api, outbox, oidc, admin):  # noqa: F811
    member = join(local_api, outbox, admin)["user"]
    verify_address(member["email"])
    subject, _ = fresh_subject(oidc, email=member["email"])
    assert refresh_cookie(sign_in(local_api, oidc, subject))  # the member linked their provider
    assert identity_item("oidc", subject)["userId"]["S"] == member["id"]
    removed = call(local_api, "RemoveMemberFunction", "remove_member", admin, params={"userId": member["id"]})
    assert removed["statusCode"] == 200, removed["body"]
    assert identity_item("oidc", subject) is None
    signs_up_afresh(local_api, oidc, subject, member["email"], member["id"], admin["organizationId"])


def test_an_identity_left_behind_by_a_gone_user_is_forgotten_at_the_next_sign_in(local_api, oidc):  # noqa: F811
    import boto3

    from latchkey.settings import get_settings

    subject, email = fresh_subject(oidc)
    boto3.client("dynamodb").put_item(TableName=get_settings().accounts_table, Item={
        "pk": {"S": f"IDP#oidc#{subject}"}, "userId": {"S": "usr_" + "0" * 24},
        "identityId": {"S": "idn_" + "0" * 24}, "identityOrganizationId": {"S": "org_" + "0" * 24}})
    signs_up_afresh(local_api, oidc, subject, email, "usr_" + "0" * 24, "org_" + "0" * 24)


# --- a squatter's ways in do not survive the owner's reclaim --------------------------------------------


def link_from_settings(local_api, data: dict, subject: str) -> None:
    """The signed-in user links the provider's `subject` from their settings."""
    from tests.handlers.test_federation import _viewed, callback, federation_mock

    started = invoke(local_api, "LinkIdentityFunction", _viewed(signed_in_event("link_identity", data["user"])))
    assert started["statusCode"] == 200, started["body"]
    cookie = started["headers"]["Set-Cookie"].split(";")[0]
    callback(local_api, federation_mock.authorize(json.loads(started["body"])["data"]["url"], subject), cookie)


def test_a_squatters_linked_provider_and_passkey_end_with_the_owners_reclaim(local_api, oidc):  # noqa: F811
    from tests.handlers.test_passkeys import enrol, login_options, passkey_login
    from tests.handlers.test_reset_faults import NEW, _reset_event
    from tests.passkey_authenticator import SoftAuthenticator

    email, squatter = register(local_api, "squatted")  # an address nobody proved
    subject, _ = fresh_subject(oidc)  # the squatter's own account at the provider
    link_from_settings(local_api, squatter, subject)
    assert identity_item("oidc", subject)["userId"]["S"] == squatter["user"]["id"]
    authenticator = SoftAuthenticator()
    enrol(local_api, squatter, authenticator)

    assert invoke(local_api, "ResetPasswordFunction", _reset_event(local_api, email))["statusCode"] == 200

    assert identity_item("oidc", subject) is None
    from latchkey.store import accounts_table

    methods = accounts_table.get_user_and_sign_in_methods(squatter["user"]["id"])
    assert (methods.passkeys, methods.identities) == (0, [])
    refused = passkey_login(local_api, authenticator.get(login_options(local_api)))
    assert refused["statusCode"] == 401
    assert refresh_cookie(sign_in(local_api, oidc, subject))  # the provider's sign-in: an account of its own
    assert user_of(email).id == squatter["user"]["id"]  # the owner's account, theirs alone
    from tests.handlers.conftest import sign_in as password_sign_in

    assert password_sign_in(local_api, email, NEW)["accessToken"]


def test_an_identity_linked_while_the_account_is_deleted_fails_the_deletion_and_the_retry_takes_it(
        local_api, oidc, monkeypatch):  # noqa: F811
    """The deletion read the identities, then one was linked: the user item's condition refuses the
    transaction (503, nothing deleted) and the same request sent again deletes the account and both."""
    from latchkey.store import accounts_table

    email, data = register(local_api, "idp-race")
    verify_address(email)
    subject, _ = fresh_subject(oidc, email=email)
    assert refresh_cookie(sign_in(local_api, oidc, subject))
    read = accounts_table.get_user_and_sign_in_methods
    calls = []

    def read_before_the_link(user_id):  # the first read saw no identity yet
        calls.append(user_id)
        found = read(user_id)
        return found._replace(identities=[]) if len(calls) == 1 else found

    monkeypatch.setattr(accounts_table, "get_user_and_sign_in_methods", read_before_the_link)
    event = signed_in_event("delete_account", data["user"], access_token=data["accessToken"])
    event["body"] = json.dumps({"password": PASSWORD})
    first = invoke(local_api, "DeleteAccountFunction", event)
    assert first["statusCode"] == 503, first["body"]
    assert user_of(email) is not None and identity_item("oidc", subject) is not None  # nothing deleted
    again = invoke(local_api, "DeleteAccountFunction", event)
    assert again["statusCode"] == 200, again["body"]
    assert user_of(email) is None and identity_item("oidc", subject) is None

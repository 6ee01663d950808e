"""One-time tokens: 256 random bits, the user and the purpose in the clear, only the hash stored,
expired, used, replaced, forged and wrong-purpose tokens told apart, before any read where possible."""

import pytest

from latchkey.errors import InvalidOneTimeToken, OneTimeTokenExpired, OneTimeTokenUsed, WrongTokenPurpose
from latchkey.rules import one_time_tokens as ott

USER = "user_0123456789abcdef01234567"
NOW = 1_900_000_000


def test_tokens_carry_256_random_bits_and_are_stored_as_their_hash_only():
    issued = {ott.issue(ott.RESET_PASSWORD, USER, NOW) for _ in range(50)}
    assert len({i.token for i in issued}) == 50
    one = next(iter(issued))
    tag, user, secret = one.token.split(".")
    assert (tag, user, len(secret)) == ("reset", USER, 43)  # token_urlsafe(32): 32 bytes
    assert one.token_hash == ott.hash_token(one.token) and one.token not in one.token_hash


def test_lifetimes_are_24_hours_for_verification_and_30_minutes_for_a_reset():
    assert ott.issue(ott.VERIFY_EMAIL, USER, NOW).expires_at == NOW + 24 * 3600
    assert ott.issue(ott.CHANGE_EMAIL, USER, NOW).expires_at == NOW + 24 * 3600
    assert ott.issue(ott.RESET_PASSWORD, USER, NOW).expires_at == NOW + 30 * 60


def test_the_stored_token_works_until_it_expires_and_a_spent_one_is_told_apart():
    issued = ott.issue(ott.VERIFY_EMAIL, USER, NOW)
    assert ott.check(issued.token, ott.Stored(issued.token_hash, issued.expires_at), NOW) == issued.token_hash
    with pytest.raises(OneTimeTokenExpired):
        ott.check(issued.token, ott.Stored(issued.token_hash, issued.expires_at), issued.expires_at)
    with pytest.raises(OneTimeTokenUsed):
        ott.check(issued.token, ott.Stored(spent_hash=issued.token_hash), NOW)
    newer = ott.issue(ott.VERIFY_EMAIL, USER, NOW + 1)
    with pytest.raises(InvalidOneTimeToken):  # replaced by a newer one
        ott.check(issued.token, ott.Stored(newer.token_hash, newer.expires_at), NOW)


@pytest.mark.parametrize("token", ["", "x", "reset.user_1.abc", f"nope.{USER}.{'A' * 43}", f"reset.{USER}.{'A' * 42}",
                                   f"reset.{USER}.{'A' * 43}.extra", "r" * 500])
def test_malformed_tokens_are_refused_before_any_read(token):
    with pytest.raises(InvalidOneTimeToken):
        ott.user_of(token, (ott.RESET_PASSWORD,))


def test_a_token_of_another_purpose_is_told_apart_from_a_forgery():
    reset = ott.issue(ott.RESET_PASSWORD, USER, NOW).token
    with pytest.raises(WrongTokenPurpose):
        ott.user_of(reset, (ott.VERIFY_EMAIL, ott.CHANGE_EMAIL))
    assert ott.user_of(reset, (ott.RESET_PASSWORD,)) == (ott.RESET_PASSWORD, USER)

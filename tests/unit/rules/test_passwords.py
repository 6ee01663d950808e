"""Password hashing: argon2id at OWASP's minimum, and the unknown-account path costs the same."""

from argon2 import extract_parameters

from latchkey.rules import passwords


def test_hash_is_argon2id_at_owasp_minimum():
    hashed = passwords.hash_password("correct horse battery staple")
    params = extract_parameters(hashed)
    assert hashed.startswith("$argon2id$")
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19 * 1024, 2, 1)


def test_right_password_verifies_and_wrong_one_does_not():
    hashed = passwords.hash_password("correct horse battery staple")
    assert passwords.verify_password(hashed, "correct horse battery staple")
    assert not passwords.verify_password(hashed, "correct horse battery stapl")
    assert not passwords.verify_password(hashed, "Correct horse battery staple")


def test_password_is_checked_as_sent_without_trimming():
    hashed = passwords.hash_password(" spaced password ")
    assert passwords.verify_password(hashed, " spaced password ")
    assert not passwords.verify_password(hashed, "spaced password")


def test_unknown_account_runs_a_full_verification_against_the_decoy(monkeypatch):
    seen = []
    real = passwords._hasher()

    class Spy:
        def verify(self, hashed, password):
            seen.append(hashed)
            return real.verify(hashed, password)

    monkeypatch.setattr(passwords, "_hasher", lambda: Spy())
    assert passwords.verify_password(None, "anything at all") is False
    assert seen == [passwords._DECOY_HASH]


def test_decoy_hash_costs_what_a_real_hash_costs():
    real = extract_parameters(passwords.hash_password("x" * 12))
    decoy = extract_parameters(passwords._DECOY_HASH)
    assert (decoy.memory_cost, decoy.time_cost, decoy.parallelism, decoy.type) == (
        real.memory_cost, real.time_cost, real.parallelism, real.type)


def test_an_account_with_no_password_matches_no_password_not_even_the_decoys(monkeypatch):
    """A passwordless or federated account's hash is "": it must not fall back to the decoy hash and
    then match the decoy's own password."""
    decoy = passwords.hash_password("the decoy's own password")
    monkeypatch.setattr(passwords, "_DECOY_HASH", decoy)
    assert passwords.verify_password(decoy, "the decoy's own password")
    assert not passwords.verify_password("", "the decoy's own password")
    assert not passwords.verify_password(None, "the decoy's own password")

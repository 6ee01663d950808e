"""Key set rules, without AWS: generation 0 from the stack's seed, the stored forms, and one rotation
step at a time."""

import json

import pytest

from latchkey.rules import signing_keys as keys

SEED = "generated-by-cloudformation-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO"
T0 = 1_900_000_000
LEAD = 1200


def test_generation_zero_is_the_same_in_every_container_and_differs_per_purpose():
    access = keys.parse_private("access", SEED)
    assert access[1] is True and len(access[0]) == 1
    assert access[0][0].kid == keys.from_seed("access", SEED).kid
    assert keys.from_seed("refresh", SEED).kid.startswith("refresh-")
    assert keys.from_seed("refresh", SEED).public.public_numbers() != access[0][0].public.public_numbers()


def test_a_private_set_round_trips_and_its_public_form_holds_no_private_part():
    forced = keys.advance("access", [keys.from_seed("access", SEED)], T0, lifetime=900, rotate_after=86400, lead=LEAD,
                          force=True)
    parsed, is_seed = keys.parse_private("access", keys.dump_private(forced))
    assert not is_seed
    assert [(k.kid, k.active_from, k.retire_at) for k in parsed] == [(k.kid, k.active_from, k.retire_at)
                                                                     for k in forced]
    public = json.loads(keys.dump_public(forced))["keys"]
    assert all("d" not in entry for entry in public)
    assert [k.kid for k in keys.parse_public(keys.dump_public(forced))] == [k.kid for k in forced]


def test_a_public_set_keeps_only_es256_p256_entries():
    good = json.loads(keys.dump_public([keys.from_seed("access", SEED)]))["keys"][0]
    tampered = json.dumps({"keys": [good, {**good, "kid": "access-hs", "alg": "HS256"},
                                    {**good, "kid": "access-rsa", "kty": "RSA"}]})
    assert [k.kid for k in keys.parse_public(tampered)] == [good["kid"]]
    assert keys.parse_public("a CloudFormation placeholder") == []


def test_one_rotation_step_publishes_first_switches_later_and_retires_after_the_longest_token():
    current = keys.generate("access", T0 - 3600)
    assert keys.advance("access", [current], T0, lifetime=900, rotate_after=86400, lead=LEAD) == [current], "not due"
    seed = keys.from_seed("access", SEED)
    due = keys.advance("access", [seed], T0, lifetime=900, rotate_after=86400, lead=LEAD)
    assert len(due) == 2, "generation 0 is due"
    rotated = keys.advance("access", [current], T0, lifetime=900, rotate_after=86400, lead=LEAD, force=True)
    old, new = rotated
    assert new.active_from == T0 + LEAD
    assert old.retire_at == new.active_from + 900 + keys.RETIRE_MARGIN
    assert keys.signing_key(rotated, T0 + LEAD - 1).kid == old.kid
    assert keys.signing_key(rotated, T0 + LEAD).kid == new.kid
    assert set(keys.verifying(rotated, T0)) == {old.kid, new.kid}
    again = keys.advance("access", rotated, T0 + 1, lifetime=900, rotate_after=86400, lead=LEAD, force=True)
    assert again == rotated, "never two successors at once"
    later = keys.advance("access", rotated, old.retire_at, lifetime=900, rotate_after=86400, lead=LEAD)
    assert [k.kid for k in later] == [new.kid]
    assert set(keys.verifying(rotated, old.retire_at)) == {new.kid}


def test_a_key_still_being_published_never_signs():
    upcoming = keys.generate("access", T0 + 100)
    with pytest.raises(LookupError):
        keys.signing_key([upcoming], T0)


def test_a_new_key_is_published_twice_the_longest_key_set_cache_before_it_signs():
    """A container keeps its copy of a set `key_set_cache_seconds`; a client keeps the JWKS it got
    from such a copy `jwks_max_age` more. A key must be known to both, with room to spare."""
    from latchkey.settings import Settings

    settings = Settings(*[""] * 8)
    longest = settings.key_set_cache_seconds + settings.jwks_max_age
    assert settings.key_publication_lead >= 2 * longest
    assert settings._replace(jwks_max_age=3600).key_publication_lead >= 2 * (settings.key_set_cache_seconds + 3600)
    old, new = keys.advance("access", [keys.generate("access", T0 - 3600)], T0, lifetime=900, rotate_after=86400,
                            lead=settings.key_publication_lead, force=True)
    assert new.active_from - T0 >= 2 * longest
    assert keys.signing_key([old, new], T0 + 2 * longest - 1).kid == old.kid


def test_each_set_keeps_only_its_own_algorithm_and_kids():
    """RS256 for ID tokens and your own API's access tokens, ES256 for every other purpose: a key of
    the other kind, or of another purpose, in a set is not a key of it."""
    assert (keys.algorithm("access"), keys.algorithm("id"), keys.algorithm("gateway")) == ("ES256", "RS256", "RS256")
    ec_key, rsa_key = keys.from_seed("access", SEED), keys.from_seed("gateway", SEED)
    assert rsa_key.kid.startswith("gateway-") and rsa_key.kid != keys.from_seed("id", SEED).kid
    mixed = keys.dump_public([ec_key, rsa_key])
    assert [k.kid for k in keys.parse_public(mixed, "access")] == [ec_key.kid]
    assert [k.kid for k in keys.parse_public(mixed, "gateway")] == [rsa_key.kid]
    assert keys.parse_public(mixed, "id") == []  # an RS256 key of another purpose
    stored = keys.dump_private([ec_key._replace(active_from=1), rsa_key._replace(active_from=1)])
    assert [k.kid for k in keys.parse_private("access", stored)[0]] == [ec_key.kid]
    assert [k.kid for k in keys.parse_private("gateway", stored)[0]] == [rsa_key.kid]

"""The lockout counter itself, under moto: atomic under racing threads, and forgotten after the lock."""

from concurrent.futures import ThreadPoolExecutor

from tests.support import unique_email


def test_twenty_racing_attempts_leave_a_count_of_twenty(local_api):
    from latchkey.store import rate_limits_table

    email, now = unique_email("race"), 1_900_000_000
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: rate_limits_table.begin_attempt(email, now, 100, 1800), range(20)))
    assert sorted(r.count for r in results) == list(range(1, 21))
    assert rate_limits_table.attempts(email, now) == (20, 0)


def test_racing_attempts_past_the_threshold_are_refused_unchecked(local_api):
    from latchkey.store import rate_limits_table

    email, now = unique_email("burst"), 1_900_000_000
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: rate_limits_table.begin_attempt(email, now, 5, 1800), range(20)))
    assert sum(r.allowed for r in results) == 5
    assert rate_limits_table.attempts(email, now)[1] == now + 1800


def test_a_lock_ends_with_a_fresh_count(local_api):
    from latchkey.store import rate_limits_table

    email, now = unique_email("lock"), 1_900_000_000
    rate_limits_table.lock(email, now, 1800)
    assert not rate_limits_table.begin_attempt(email, now + 1799, 5, 1800).allowed
    after = rate_limits_table.begin_attempt(email, now + 1800, 5, 1800)
    assert after.allowed and after.count == 1

"""The lockout counter itself, under moto: atomic under racing threads, and forgotten after the lock."""

from concurrent.futures import ThreadPoolExecutor

from tests.conftest import unique_email


def test_twenty_racing_failures_leave_a_count_of_twenty(local_api):
    from latchkey.store import rate_limits

    email, now = unique_email("race"), 1_900_000_000
    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(lambda _: rate_limits.record_failure(email, now, 100, 1800), range(20)))
    assert rate_limits.get_lockout(email, now).failures == 20


def test_the_threshold_locks_and_the_lock_ends_with_a_fresh_count(local_api):
    from latchkey.store import rate_limits

    email, now = unique_email("lock"), 1_900_000_000
    states = [rate_limits.record_failure(email, now + i, 5, 1800) for i in range(5)]
    assert [s.locked(now + 4) for s in states] == [False] * 4 + [True]
    assert rate_limits.get_lockout(email, now + 1803).locked(now + 1803)
    after = now + 4 + 1800
    assert not rate_limits.get_lockout(email, after).locked(after)
    assert rate_limits.record_failure(email, after, 5, 1800).failures == 1

"""Account lockout (423) and per-IP rate limits (429) over HTTP, as a client sees them."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support import PASSWORD, Client, random_ip, unique_email

WINDOW = 60  # RateLimitWindowSeconds' default: windows start at multiples of it


@pytest.fixture
def one_window():
    """A test that counts requests up to a per-IP limit needs them in one fixed window: one that turns
    mid-test starts the count again (a burst may straddle a boundary, as the README says). Start early
    in a window."""
    left = WINDOW - time.time() % WINDOW
    if left < 25:
        time.sleep(left + 0.5)


def login(client, email, password=PASSWORD, **kwargs):
    return client.post("/v1/auth/login", json={"email": email, "password": password}, **kwargs)


def test_five_failures_lock_the_email_even_for_the_right_password(client: Client):
    email = client.register()["user"]["email"]
    assert [login(client, email, "wrong password").status_code for _ in range(5)] == [401] * 5
    locked = login(client, email)
    assert locked.status_code == 423
    assert locked.json()["error"] == {"code": "ACCOUNT_LOCKED",
                                      "message": "Account locked \u2014 too many failed attempts"}
    assert 1700 < int(locked.headers["Retry-After"]) <= 1800
    other_ip = login(client, email, source_ip=random_ip())
    assert other_ip.status_code == 423, "the lock is the email's, not the address's"


def test_a_successful_login_resets_the_count(client: Client):
    email = client.register()["user"]["email"]
    for _ in range(2):
        assert [login(client, email, "wrong password").status_code for _ in range(4)] == [401] * 4
        assert login(client, email).status_code == 200
    assert login(client, email).status_code == 200


def _timed_logins(client: Client, email: str, count: int) -> list[tuple[int, object, int]]:
    """`count` wrong guesses at `email`: (whole second before, answer, whole second after) of each."""
    return [(int(time.time()), login(client, email, "wrong password"), int(time.time())) for _ in range(count)]


def test_an_email_without_an_account_locks_exactly_the_same(client: Client):
    """Same statuses, same body, and the same Retry-After rule: the seconds until the email's own lock
    ends, for a lock of the full period. (Comparing the two Retry-After values with each other was a
    timed assert: each is the lock period less the time between the locking guess and the next, and
    on two busy cores one login can take over a second longer than another.)"""
    ghost, real = unique_email("ghost"), client.register()["user"]["email"]
    answers = {email: _timed_logins(client, email, 6) for email in (ghost, real)}
    locks = {i["counterId"]["S"]: int(i["lockedUntil"]["N"]) for i in client.table_items("rate-limits")
             if "lockedUntil" in i}
    for email in (ghost, real):
        statuses = [answer.status_code for _, answer, _ in answers[email]]
        assert statuses == [401] * 5 + [423], email
        locked_until = locks[f"lockout#{email}"]
        (locking_before, _, locking_after), (before, locked, after) = answers[email][4:]
        assert locking_before <= locked_until - 1800 <= locking_after, "the fifth guess locks for the full period"
        assert locked_until - after <= int(locked.headers["Retry-After"]) <= locked_until - before
    assert answers[ghost][-1][1].json() == answers[real][-1][1].json()


def test_twenty_parallel_guesses_get_five_checked_at_most(client: Client):
    email = client.register()["user"]["email"]
    # All wrong: a right password among them could land early (the workers run them in any order), and a
    # success starts the count again, by design; the lock must then hold against the right one too.
    guesses = [f"wrong password {i}" for i in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda p: login(client, email, p, source_ip=random_ip()).status_code, guesses))
    assert answers.count(401) <= 5, answers
    assert set(answers) <= {401, 423}
    assert login(client, email, source_ip=random_ip()).status_code == 423
    counter = [i for i in client.table_items("rate-limits") if i["counterId"]["S"] == f"lockout#{email}"]
    assert int(counter[0]["failures"]["N"]) >= 5


@pytest.mark.usefixtures("one_window")
def test_more_than_twenty_logins_a_minute_from_one_address_are_429_while_others_still_log_in(client: Client):
    email = client.register()["user"]["email"]
    noisy = random_ip()
    answers = [login(client, unique_email("spray"), "whatever1", source_ip=noisy) for _ in range(21)]
    assert [a.status_code for a in answers[:20]] == [401] * 20
    limited = answers[20]
    assert limited.status_code == 429
    assert limited.json()["error"] == {"code": "RATE_LIMITED", "message": "Too many login attempts"}
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert login(client, email, source_ip=noisy).status_code == 429, "any outcome counts; the right password too"
    assert login(client, email, source_ip=random_ip()).status_code == 200


@pytest.mark.usefixtures("one_window")
def test_x_forwarded_for_changes_nothing(client: Client):
    noisy = random_ip()
    for _ in range(20):
        login(client, unique_email("spray"), "whatever1", source_ip=noisy)
    for forged in ("10.9.8.7", "127.0.0.1", f"{random_ip()}, {random_ip()}"):
        response = login(client, unique_email("spray"), "whatever1", source_ip=noisy,
                         headers={"X-Forwarded-For": forged, "X-Real-IP": forged, "Forwarded": f"for={forged}"})
        assert response.status_code == 429


def test_each_endpoint_has_its_own_counter(client: Client):
    noisy = random_ip()
    for _ in range(21):
        login(client, unique_email("spray"), "whatever1", source_ip=noisy)
    registered = client.post("/v1/auth/register", json={"email": unique_email(), "password": PASSWORD,
                                                        "name": "Still welcome"}, source_ip=noisy)
    assert registered.status_code == 201
    refreshed = client.post("/v1/auth/refresh", json={"refreshToken": registered.json()["data"]["refreshToken"]},
                            source_ip=noisy)
    assert refreshed.status_code == 200


@pytest.mark.usefixtures("one_window")
def test_registration_is_limited_to_ten_a_minute_per_address(client: Client):
    noisy = random_ip()
    statuses = [client.post("/v1/auth/register", json={"email": unique_email(), "password": PASSWORD, "name": "N"},
                            source_ip=noisy).status_code for _ in range(11)]
    assert statuses == [201] * 10 + [429]


def test_api_keys_are_never_rate_limited(client: Client):
    owner = client.register()
    key = client.post("/v1/api-keys", headers=client.bearer(owner["accessToken"]),
                      json={"name": "busy", "scopes": ["organization:read"]}).json()["data"]["key"]
    noisy = random_ip()
    for _ in range(21):
        login(client, unique_email("spray"), "whatever1", source_ip=noisy)
    statuses = {client.get("/v1/organization", headers={"X-API-Key": key}, source_ip=noisy).status_code
                for _ in range(30)}
    assert statuses == {200}

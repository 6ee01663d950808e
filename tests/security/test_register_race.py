"""Racing sign-ups: the email claim is a DynamoDB transaction, so exactly one of them wins."""

from concurrent.futures import ThreadPoolExecutor

from tests.support import PASSWORD, Client, random_ip, unique_email


def test_parallel_registrations_of_one_email_create_exactly_one_account(client: Client):
    email = unique_email("race")
    bodies = [{"email": email if i % 2 else email.upper(), "password": f"{PASSWORD} {i}", "name": f"Racer {i}"}
              for i in range(12)]
    with ThreadPoolExecutor(max_workers=12) as pool:  # twelve clients, twelve addresses
        statuses = list(pool.map(lambda b: client.post("/v1/auth/register", json=b, source_ip=random_ip()).status_code,
                                 bodies))
    assert sorted(statuses) == [201] + [409] * 11
    winners = [b for b, s in zip(bodies, statuses, strict=True) if s == 201]
    # The winner first: the losers' passwords are wrong ones, and five of them lock the email.
    ordered = winners + [b for b in bodies if b not in winners]
    logins = [client.post("/v1/auth/login", json={"email": email, "password": b["password"]}).status_code
              for b in ordered]
    assert logins[0] == 200 and logins.count(200) == 1

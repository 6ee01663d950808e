"""The optional Have I Been Pwned check: off unless BreachedPasswordCheck is on; when on, only the
first 5 hex digits of the password's SHA-1 leave the function, and a failure counts as not found.
No test reaches the network: the HTTP call is replaced."""

import hashlib
import io

import pytest

PASSWORD = "a rather unusual passphrase"
DIGEST = hashlib.sha1(PASSWORD.encode()).hexdigest().upper()


@pytest.fixture
def modules(local_api):
    from latchkey.store import pwned_passwords
    from latchkey.usecases import accounts

    return accounts, pwned_passwords


@pytest.fixture
def sent(modules, monkeypatch):
    _, pwned_passwords = modules
    requests = []

    def urlopen(request, timeout):
        requests.append(request)
        return io.BytesIO(f"{DIGEST[5:]}:42\r\n{'0' * 35}:0\r\n".encode())

    monkeypatch.setattr(pwned_passwords.urllib.request, "urlopen", urlopen)
    return requests


def test_it_is_off_by_default_and_asks_nothing(modules, sent):
    from latchkey.settings import get_settings

    accounts, _ = modules
    assert get_settings().breached_password_check is False
    accounts.check_new_password(PASSWORD)
    assert sent == []


def test_when_on_only_a_five_digit_prefix_is_sent_and_a_listed_suffix_is_refused(modules, sent, monkeypatch):
    from latchkey.errors import PasswordTooCommon

    accounts, pwned_passwords = modules
    monkeypatch.setattr(accounts, "get_settings", lambda: type("S", (), {"breached_password_check": True})())
    with pytest.raises(PasswordTooCommon):
        accounts.check_new_password(PASSWORD)
    (request,) = sent
    assert request.full_url == pwned_passwords.RANGE_URL + DIGEST[:5] and request.headers["Add-padding"] == "true"
    assert PASSWORD not in request.full_url and DIGEST[5:] not in request.full_url


def test_a_padding_entry_and_an_unreachable_service_count_as_not_found(modules, monkeypatch):
    _, pwned_passwords = modules
    monkeypatch.setattr(pwned_passwords.urllib.request, "urlopen",
                        lambda request, timeout: io.BytesIO(f"{DIGEST[5:]}:0\r\n".encode()))
    assert pwned_passwords.is_breached(PASSWORD) is False

    def down(request, timeout):
        raise OSError("no route")

    monkeypatch.setattr(pwned_passwords.urllib.request, "urlopen", down)
    assert pwned_passwords.is_breached(PASSWORD) is False

"""What the tests share that is not a fixture (conftest.py, at the root, holds those): the pinned clock,
the local API as a process and its HTTP client, sample events, unique addresses."""

from __future__ import annotations

import copy
import ctypes
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests import openapi_check

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"
PASSWORD = "correct horse battery staple"


def random_ip(first: int = 127) -> str:
    """A caller of its own: the per-IP rate limits count each test's requests apart."""
    return f"{first}.{secrets.randbelow(254) + 1}.{secrets.randbelow(254) + 1}.{secrets.randbelow(254) + 1}"


def load_event(name: str) -> dict:
    """A function's sample event (events/<name>.json, or a module's examples/<module>/events/), from an
    address of its own."""
    path = next((p for p in (EVENTS, *sorted(ROOT.glob("examples/*/events"))) if (p / f"{name}.json").exists()), EVENTS)
    event = copy.deepcopy(json.loads((path / f"{name}.json").read_text()))
    event["requestContext"]["identity"]["sourceIp"] = random_ip(198)
    return event


def sample_event_path(code_dir: Path, name: str) -> Path:
    """A built function's sample event: events/<name>.json beside the functions/ folder it is in (a
    module's own: examples/<module>/events/)."""
    return code_dir.parent.parent / "events" / f"{name}.json"


def unique_email(tag: str = "user") -> str:
    return f"{tag}-{uuid.uuid4().hex[:12]}@example.com"


# --- the clock the code reads, pinned: no test may depend on when it runs ------------------------------

# 10:00:00 UTC on 2030-03-17: inside a day, a month and a year with hours to spare on both sides, so a
# test that moves the clock by a lock period or two never crosses a midnight (where the day windows of
# the rate limits, such as the per-source sign-in count, start again) whatever the wall clock says.
PINNED_NOW = 1_899_972_000


class MovingClock:
    """`latchkey.rules.clock.now` while a test holds it: `PINNED_NOW` until the test moves it."""

    def __init__(self, start: int = PINNED_NOW):
        self.now = start

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: int) -> None:
        self.now += seconds


# --- in process: moto server + tables/secrets from template.yaml + every handler loaded --------------


# --- out of process: `python -m local`, as `make dev` runs it, and a real HTTP client --------------


class _SourceAddressAdapter(HTTPAdapter):
    def __init__(self, source_ip: str):
        self.source_ip = source_ip
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source_ip, 0)
        super().init_poolmanager(*args, **kwargs)


class OperatorSignature(requests.auth.AuthBase):
    """Signs a request with AWS SigV4 (botocore, service execute-api) as an operator's SDK would: the admin
    API's credential (its routes are AWS_IAM)."""

    def __init__(self, key_id: str, secret: str):
        self.key_id, self.secret = key_id, secret

    def __call__(self, prepared: requests.PreparedRequest) -> requests.PreparedRequest:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        body = prepared.body or b""
        request = AWSRequest(method=prepared.method, url=prepared.url,
                             data=body.encode() if isinstance(body, str) else body)
        SigV4Auth(Credentials(self.key_id, self.secret), "execute-api", "us-east-1").add_auth(request)
        prepared.headers.update(dict(request.headers))
        return prepared


class Client:
    """A user's HTTP client; `source_ip` binds the socket so the server sees that peer address."""

    aws_endpoint = ""  # the server's moto, for tests that play an attacker who holds the signing key
    operator: tuple[str, str] = ("", "")  # the admin API's SigV4 credentials the server printed (key id, secret)

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.source_ip = "127.0.0.1"  # each test gets its own (see `_own_source_ip`)
        self._sessions: dict[str, requests.Session] = {}

    def request(self, method: str, path: str, *, source_ip: str | None = None, **kwargs) -> requests.Response:
        response = self.session(source_ip).request(method, self.base_url + path, timeout=30, **kwargs)
        # Every answer a test receives is held to the committed OpenAPI document.
        openapi_check.check(method, path, response.status_code, response.headers.get("Content-Type", ""),
                            response.content)
        return response

    def session(self, source_ip: str | None = None) -> requests.Session:
        """The HTTP session whose socket binds `source_ip` (this test's own address by default)."""
        source_ip = source_ip or self.source_ip
        session = self._sessions.get(source_ip)
        if session is None:
            session = self._sessions[source_ip] = requests.Session()
            session.mount("http://", _SourceAddressAdapter(source_ip))
        return session

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def operator_auth(self, secret: str | None = None) -> OperatorSignature:
        """`auth=` that signs as the operator the server printed (with `secret`: a wrong signature)."""
        return OperatorSignature(self.operator[0], secret or self.operator[1])

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def register(self, email: str | None = None, password: str = PASSWORD, **extra) -> dict:
        body = {"email": email or unique_email(), "password": password, "name": "Test User", **extra}
        response = self.post("/v1/auth/register", json=body)
        assert response.status_code == 201, response.text
        return response.json()["data"]

    @staticmethod
    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def enable_two_factor(self, access_token: str, password: str = PASSWORD) -> dict:
        """Two-factor on for the token's user (set up, then enabled with the password and the previous
        step's code, so the current and the next step's codes are still unused): the set-up's data
        (`secret`, `otpauthUrl`, `qrSvg`) and the `recoveryCodes`."""
        import pyotp

        if time.time() % 30 > 22:  # leave the caller room before the steps move on
            time.sleep(30.5 - time.time() % 30)
        auth = self.bearer(access_token)
        setup = self.post("/v1/auth/2fa/setup", headers=auth)
        assert setup.status_code == 200, setup.text
        data = setup.json()["data"]
        enabled = self.post("/v1/auth/2fa/enable", headers=auth,
                            json={"password": password, "code": pyotp.TOTP(data["secret"]).at(time.time() - 30)})
        assert enabled.status_code == 200, enabled.text
        return {**data, "recoveryCodes": enabled.json()["data"]["recoveryCodes"]}

    def aws(self, service: str):
        """A boto3 client on the server's moto: to look at stored state, or to play an attacker."""
        import boto3

        return boto3.client(service, endpoint_url=self.aws_endpoint, region_name="us-east-1",
                            aws_access_key_id="local", aws_secret_access_key="local")

    def secret(self, name: str) -> str:
        """A secret of the stage by the end of its name (`signing-keys/access`)."""
        manager = self.aws("secretsmanager")
        (secret,) = [s for s in manager.list_secrets()["SecretList"] if s["Name"].endswith(f"/{name}")]
        return manager.get_secret_value(SecretId=secret["ARN"])["SecretString"]

    def token_context(self, purpose: str = "access", stage: str = "dev"):
        """The stage's own signing key for `purpose`: for tests that play an attacker who stole it."""
        from tests.keys import from_private_set

        folder = {"2fa_pending": "pending-2fa"}.get(purpose, purpose)
        return from_private_set(purpose, self.secret(f"signing-keys/{folder}"), int(time.time()),
                                f"latchkey:{stage}", f"latchkey-api:{stage}")

    def mail(self, to: str, count: int = 1, seconds: float = 20.0) -> list[dict]:
        """The local mailbox's messages to `to`, newest first, once at least `count` have arrived (the
        mailer sends asynchronously, as in AWS)."""
        deadline = time.monotonic() + seconds
        while True:
            messages = self.get("/_local/mail", params={"to": to}).json()["data"]["messages"]
            if len(messages) >= count or time.monotonic() > deadline:
                return messages
            time.sleep(0.2)

    def mailed_token(self, to: str, subject: str, count: int = 1) -> str:
        """The one-time token in the newest message to `to` with `subject`: its text part's link."""
        from urllib.parse import parse_qs, urlsplit

        found = [m for m in self.mail(to, count) if m["subject"] == subject]
        assert found, f"no '{subject}' message to {to}"
        link = next(word for word in found[0]["text"].split() if "token=" in word)
        return parse_qs(urlsplit(link).query)["token"][0]

    def table_items(self, table: str) -> list[dict]:
        return self.aws("dynamodb").scan(TableName=f"latchkey-dev-{table}", ConsistentRead=True)["Items"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalApiProcess:
    """`python -m local`, as `make dev` runs it, on a free port, its output in `log`; from `cwd`, the
    checkout it serves (this one unless a test works on a copy)."""

    def __init__(self, log: Path, *args: str, cwd: Path = ROOT):
        self.log = log
        self.port = _free_port()
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "local", "--port", str(self.port), *args], cwd=cwd, stdout=out,
                stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=_ends_with_us,
            )
        try:
            deadline = time.monotonic() + 300  # a fresh machine's first sam build installs the layers
            while "Ctrl-C to stop" not in log.read_text():
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"local API did not start:\n{log.read_text()}")
                time.sleep(0.1)
            self.base_url = f"http://127.0.0.1:{self.port}"
            assert self.base_url in log.read_text()
            self.aws_endpoint = re.search(r"moto at (http://\S+)", log.read_text())[1]
            signer = re.search(r"AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)", log.read_text())
            self.operator = signer.groups() if signer else ("", "")
        except BaseException:  # a start that fails, however (even Ctrl-C), leaves no process behind
            self.process.kill()
            self.process.wait()
            raise

    def stop(self) -> str:
        """Stops it as Ctrl-C would (state is saved); its whole output. Bounded: a process still there
        after `STOP_WAIT` seconds (it gives itself `local.__main__.STOP_SECONDS`) is killed, and the
        test fails saying so, rather than the teardown hanging or leaving it behind."""
        if not stop_process(self.process, STOP_WAIT):
            pytest.fail(f"the local API did not stop within {STOP_WAIT:.0f} s of SIGTERM; killed it:\n"
                        + self.log.read_text()[-3000:])
        return self.log.read_text()


STOP_WAIT = 30.0


# Looked up here, not in the child: between fork and exec the child may only call what is loaded.
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None


def _ends_with_us() -> None:
    """In the child, before it runs: on Linux it gets SIGTERM (and stops as on Ctrl-C) if the test run
    dies without its teardown (killed by a CI timeout, say) instead of serving on, orphaned."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def stop_process(process: subprocess.Popen, seconds: float) -> bool:
    """terminate(), then wait at most `seconds`, then kill(): whether it ended by itself."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
        return True
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return False

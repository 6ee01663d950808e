"""The tests that read the clock, run with the clock moved to the worst moments: 30 s before midnight
UTC on a year's last day and on a month's last day (`make test-any-hour`; CI runs it after `make test`).

Every process of the run reads the moved clock: the tests, the local API and its functions' sandboxes
(libfaketime's `faketime -f +<offset>s`, the same offset everywhere). Installs faketime with apt-get
where it can (root on Debian, as CI is), else says how.

    python -m tests.any_hour            # both moments
    python -m tests.any_hour '2027-06-30 23:59:30'
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOMENTS = ("2026-12-31 23:59:30", "2027-02-28 23:59:30")
# Each test file that reads the wall clock or moves the one the code reads (tests/test_first_run.py holds
# the list to the files; the browser tests' one use, TOTP codes typed in, runs in `make test` only).
CLOCK_TESTS = (
    "tests/unit/rules/test_tokens.py",
    "tests/handlers/test_api_keys.py",
    "tests/handlers/test_audit_events.py",
    "tests/handlers/test_busy_writes.py",
    "tests/handlers/test_dependency_faults.py",
    "tests/handlers/test_eviction.py",
    "tests/handlers/test_idempotency.py",
    "tests/handlers/test_key_rotation.py",
    "tests/handlers/test_oauth_authorize.py",
    "tests/handlers/test_oauth_token.py",
    "tests/handlers/test_gateway_tokens.py",
    "tests/handlers/test_oauth_logout.py",
    "tests/handlers/test_oauth_registration.py",
    "tests/handlers/test_lockout_counter.py",
    "tests/handlers/test_passkeys.py",
    "tests/handlers/test_passwordless.py",
    "tests/handlers/test_federation.py",
    "tests/handlers/test_reset_faults.py",
    "tests/handlers/test_session_clock.py",
    "tests/handlers/test_teams.py",
    "tests/e2e/test_admin_api.py",
    "tests/handlers/test_imports.py",
    "tests/handlers/test_exports.py",  # botocore signs with the wall clock; the local gateway checks it
    "tests/security/test_lockout_abuse.py",
    "tests/security/test_refresh_attacks.py",
    "tests/security/test_stolen_tokens.py",
    "tests/security/test_team_races.py",
    "tests/security/test_token_attacks.py",
    "tests/security/test_gateway_token_attacks.py",
    "tests/security/test_two_factor_takeover.py",
    "tests/e2e/test_account_takeback.py",
    "tests/e2e/test_login_protection.py",
    "tests/e2e/test_passwordless.py",
    "tests/e2e/test_recovery.py",
    "tests/e2e/test_two_factor.py",
    "tests/e2e/test_gateway_verification.py",  # exp, checked as a gateway checks it: against the wall clock
)
READS_THE_CLOCK = r"time\.time\(\)|clock\.now|rules import clock|\bclock\b\)|MovingClock|\.at\(time"
# A module's own (examples/<name>/tests/) that read the clock: found, so removing a module takes them along.
CLOCK_TESTS += tuple(sorted(str(path.relative_to(ROOT)) for path in ROOT.glob("examples/*/tests/test_*.py")
                            if re.search(READS_THE_CLOCK, path.read_text())))


def faketime() -> str:
    found = shutil.which("faketime")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0 and Path("/etc/debian_version").exists():
        print("any-hour tests: installing faketime (apt-get, once) ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if subprocess.run(["apt-get", "install", "-y", "-q", "faketime"], env=env).returncode != 0:
            # A machine whose package lists were never read: read them, then install.
            subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
            subprocess.run(["apt-get", "install", "-y", "-q", "faketime"], check=True, env=env)
        if found := shutil.which("faketime"):
            return found
    sys.exit("any-hour tests: no faketime here; install it (Debian/Ubuntu: apt-get install faketime; "
             "macOS: brew install libfaketime) and run again")


def run_at(moment: str, files: tuple[str, ...] = CLOCK_TESTS) -> int:
    target = datetime.strptime(moment, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()
    offset = int(target - time.time())
    print(f"any-hour tests: {len(files)} files with the clock at {moment} UTC ...", flush=True)
    return subprocess.run([faketime(), "-f", f"{offset:+d}s", sys.executable, "-m", "pytest", *files],
                          cwd=ROOT).returncode


def main() -> None:
    failed = [moment for moment in (sys.argv[1:] or MOMENTS) if run_at(moment) != 0]
    if failed:
        sys.exit(f"any-hour tests: failed with the clock at {', '.join(failed)} UTC")
    print("any-hour tests: passed at every moment", flush=True)


if __name__ == "__main__":
    main()

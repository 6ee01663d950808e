"""`make dev`: the whole API and the dashboard on http://127.0.0.1:3000 (PORT overrides) until Ctrl-C,
from the built functions, with state kept under .local/ between runs."""

from __future__ import annotations

import argparse
import errno
import json
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

from local.build import BuildError
from local.constants import REGION
from local.runtime import LocalStack
from local.server import make_server
from local.template import ROOT, ParameterError, Template, parse_overrides

# How long stopping (Ctrl-C, or a test's terminate()) may take: the state's last save and the stack's stop.
STOP_SECONDS = 20.0
_KEPT: list = []  # what must live as long as the process (the upstream provider of --federation-mock)
DEMO = {"email": "demo@latchkey.dev", "password": "correct horse battery staple", "name": "Demo Admin",
        "organizationName": "Demo Org"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="also serves [::1] when this is 127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    parser.add_argument("--params", default="",
                        help='template parameter overrides, "Name=Value Name2=Value2" (make dev PARAMS=...)')
    parser.add_argument("--state-dir", default=str(ROOT / ".local"), help="where tables and secrets persist")
    parser.add_argument("--ephemeral", action="store_true", help="keep no state: start empty, save nothing")
    parser.add_argument("--function-logs", action="store_true",
                        default=os.environ.get("FUNCTION_LOGS", "").lower() in ("1", "true", "yes"),
                        help="print the functions' own (JSON) log lines too (or FUNCTION_LOGS=1)")
    parser.add_argument("--no-demo", action="store_true", help="do not seed the demo account")
    parser.add_argument("--federation-mock", action="store_true",
                        default=os.environ.get("FEDERATION_MOCK", "").lower() in ("1", "true", "yes"),
                        help="start an upstream OpenID provider (oidc-provider-mock) and turn the OpenID "
                             "provider on against it (or FEDERATION_MOCK=1)")
    parser.add_argument("--user-migration", default=os.environ.get("USER_MIGRATION") or None, type=Path,
                        help="a legacy service's user migration function (its handler file, or a folder with "
                             "app.py), run locally as UserMigrationFunctionArn (or USER_MIGRATION=; a sample: "
                             "local/sample_user_migration/app.py)")
    args = parser.parse_args()

    if not _port_free(args.host, args.port):  # before minutes of building, not after
        sys.exit(f"make dev: port {args.port} is in use; stop what holds it, or choose another: PORT=3001 make dev")
    try:
        overrides = parse_overrides(args.params)
        if "AppBaseUrl" in Template.load().parameters:  # the links in emails open this dashboard
            overrides.setdefault("AppBaseUrl", f"http://{args.host}:{args.port}")
        if "PasskeyOrigins" in Template.load().parameters:  # WebAuthn wants a host name: localhost, this port
            overrides.setdefault("PasskeyOrigins", f"http://localhost:{args.port}")
        if args.federation_mock:  # its thread lives as long as this process
            from local import federation_mock

            running = federation_mock.upstream()
            _KEPT.append(running)  # held: a collected context manager would stop the provider
            for name, value in federation_mock.parameters(running.__enter__()).items():
                overrides.setdefault(name, value)
        stack = LocalStack(overrides=overrides, state_dir=None if args.ephemeral else Path(args.state_dir),
                           sink=_function_log if args.function_logs else None, user_migration=args.user_migration)
    except (ParameterError, FileNotFoundError) as error:
        sys.exit(f"make dev: {error}")
    except BuildError as error:
        sys.exit(f"make dev: {error}")
    try:
        servers = [make_server(stack, args.host, args.port, access_log=_access_log)]
        port = servers[0].server_address[1]
        if args.host == "127.0.0.1":
            servers += _ipv6_loopback(stack, port)
    except OSError as error:
        stack.stop()
        if error.errno == errno.EADDRINUSE:
            sys.exit(f"make dev: port {args.port} is in use; stop what holds it, or choose another: PORT=3001 make dev")
        raise
    base = f"http://{args.host}:{port}"
    if not args.no_demo:
        answer = stack.handle("POST", "/v1/auth/register", [("Content-Type", "application/json")],
                              json.dumps(DEMO).encode(), "127.0.0.1")
        if answer.status not in (201, 409):  # 409: kept from an earlier run
            print(f"could not seed the demo account: {answer.status} {answer.body[:200]!r}")
    print(f"Latchkey local API on {base}" + (f" and http://[::1]:{port}" if len(servers) > 1 else ""))
    print(f"  the dashboard: {base}/ (API docs: {base}/docs); passkeys: http://localhost:{port}/")
    print(f"  DynamoDB and Secrets Manager: moto at {stack.aws.endpoint}")
    print(f"  state: {'none (--ephemeral)' if args.ephemeral else args.state_dir} (make reset wipes it)")
    print(f"  mail the functions send: {base}/_local/mail/ (JSON: {base}/_local/mail)")
    print(f"  tables and items, read-only, secrets masked: {base}/_local/data/ (JSON: {base}/_local/data)")
    operator = stack.operator
    print(f"  admin API (/v1/admin/*, AWS SigV4, service execute-api, region {REGION}): "
          f"AWS_ACCESS_KEY_ID={operator.access_key_id} AWS_SECRET_ACCESS_KEY={operator.secret_access_key}")
    if args.user_migration:
        print(f"  lazy migration: {args.user_migration} answers for addresses Latchkey does not know "
              f"(UserMigrationFunctionArn, Lambda's Invoke at {stack.lambda_api.endpoint})")
    if args.federation_mock:
        print(f"  upstream OpenID provider (oidc-provider-mock): {overrides['OidcIssuer']} "
              "(the sign-in page's button; type any address as the subject)")
    if overrides:
        print(f"  parameters: {' '.join(f'{k}={v}' for k, v in overrides.items())}")
    if not args.no_demo:
        print(f"Demo account: {DEMO['email']} / {DEMO['password']}")
        print("Try:")
        print(f"  curl -s {base}/v1/auth/login -H 'Content-Type: application/json' "
              f"-d '{{\"email\": \"{DEMO['email']}\", \"password\": \"{DEMO['password']}\"}}'")
    print("Ctrl-C to stop.", flush=True)
    for extra in servers[1:]:
        threading.Thread(target=extra.serve_forever, daemon=True).start()
    signal.signal(signal.SIGTERM, _interrupt)  # a test's terminate() saves state like Ctrl-C
    try:
        servers[0].serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        leave_within(STOP_SECONDS)
        for server in servers[1:]:
            server.shutdown()  # its serve_forever thread
        for server in servers:
            server.server_close()
        stack.stop()
        print("stopped; state saved." if not args.ephemeral else "stopped.", flush=True)
    # Everything is saved and said. Leave now: tearing down the interpreter would free moto's tables
    # object by object (after a long test run, tens of seconds of CPU for nothing) and wait on the
    # threads of requests still in flight.
    sys.stdout.flush()
    os._exit(0)


def leave_within(seconds: float) -> threading.Thread:
    """Stopping is bounded: if the process is still here after `seconds` (a dependency that does not
    answer), it says so in one line and exits with status 1. A plain sleep, not a timed wait on a
    condition, so it keeps its word under a faked clock too (libfaketime)."""

    def leave() -> None:
        time.sleep(seconds)
        print(f"make dev: stopping took more than {seconds:.0f} s; leaving without waiting further", flush=True)
        os._exit(1)

    watchdog = threading.Thread(target=leave, name="leave-within", daemon=True)
    watchdog.start()
    return watchdog


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _ipv6_loopback(stack: LocalStack, port: int) -> list:
    try:
        return [make_server(stack, "::1", port, access_log=_access_log)]
    except OSError:
        return []  # no IPv6 on this machine: 127.0.0.1 only


_print_lock = threading.Lock()


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _access_log(method: str, path: str, response, ms: float) -> None:
    cold = "".join(f"  cold {name} {init:.0f} ms" for name, init in response.cold_starts.items())
    with _print_lock:
        print(f"{method} {path} {response.status} {ms:.0f} ms {response.function or '-'}{cold}", flush=True)


def _function_log(function: str, line: str) -> None:
    with _print_lock:
        print(f"  [{function}] {line}", flush=True)


if __name__ == "__main__":
    main()

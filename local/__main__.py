"""`make dev`: the whole API on http://127.0.0.1:3000 (PORT overrides) until Ctrl-C."""

from __future__ import annotations

import argparse
import json
import os
import sys

from local.runtime import start_local_api
from local.server import make_server

DEMO = {"email": "demo@latchkey.dev", "password": "correct horse battery staple", "name": "Demo Admin",
        "organizationName": "Demo Org"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    parser.add_argument("--no-demo", action="store_true", help="do not seed the demo account")
    args = parser.parse_args()

    aws, api = start_local_api()
    server = make_server(api, args.host, args.port)
    port = server.server_address[1]
    base = f"http://{args.host}:{port}"
    if not args.no_demo:
        api.handle("POST", "/v1/auth/register", [("Content-Type", "application/json")],
                   json.dumps(DEMO).encode(), "127.0.0.1")
    print(f"Latchkey local API on {base}  (DynamoDB and Secrets Manager: moto at {aws.endpoint})")
    if not args.no_demo:
        print(f"Demo account: {DEMO['email']} / {DEMO['password']}")
        print("Try:")
        print(f"  curl -s {base}/v1/auth/login -H 'Content-Type: application/json' "
              f"-d '{{\"email\": \"{DEMO['email']}\", \"password\": \"{DEMO['password']}\"}}'")
        print(f"  curl -s {base}/v1/auth/me -H \"Authorization: Bearer $TOKEN\"   # TOKEN = data.accessToken above")
    print("Ctrl-C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        aws.stop()
        sys.stdout.flush()


if __name__ == "__main__":
    main()

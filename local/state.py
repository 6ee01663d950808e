"""Local state that survives a restart: every table's items and every secret's value, kept under
`.local/` (ignored by git; `make reset` wipes it).

moto keeps everything in memory. The stack's state is small, so a snapshot is simple and exact: a
Scan of each table and the secrets' values, written atomically whenever something was written and
at shutdown, and loaded into the fresh moto at start. Secrets matter most: the signing and TOTP
keys are generated once, and every token and sealed TOTP secret depends on them.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

from local.template import Template

# Requests that change nothing: everything else marks the state dirty.
_READS = frozenset({
    "GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems", "DescribeTable", "ListTables",
    "DescribeTimeToLive", "GetSecretValue", "DescribeSecret", "ListSecrets",
})


class LocalState:
    def __init__(self, folder: Path):
        self.folder = folder
        self._dirty = threading.Event()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._saver: threading.Thread | None = None

    # --- loading ----------------------------------------------------------------------------

    def secret(self, name: str) -> str | None:
        return self.read("secrets.json", {}).get(name)

    def items(self, table: str) -> list[dict]:
        return self.read(f"dynamodb/{table}.json", [])

    # --- saving -----------------------------------------------------------------------------

    def observe(self, app):
        """Wraps moto's WSGI app: any write marks the state dirty."""

        def observed(environ, start_response):
            service, _, operation = environ.get("HTTP_X_AMZ_TARGET", "").partition(".")
            # Only what is saved counts: DynamoDB and Secrets Manager writes (not queues, not mail).
            if (service.startswith("DynamoDB_") or service == "secretsmanager") and operation not in _READS:
                self._dirty.set()
            return app(environ, start_response)

        return observed

    def autosave(self, aws, template: Callable[[], Template], every: float = 1.0) -> None:
        """Saves in the background whenever something changed (at most once per `every` seconds), with
        the template in force at that moment."""

        def loop() -> None:
            while not self._stopped.wait(every):
                if self._dirty.is_set():
                    self.save(aws, template())

        self._saver = threading.Thread(target=loop, daemon=True, name="local-state")
        self._saver.start()

    def save(self, aws, template: Template) -> None:
        with self._lock:
            self._dirty.clear()
            dynamodb = aws.client("dynamodb")
            for props in template.tables().values():
                items, start = [], {}
                while True:
                    page = dynamodb.scan(TableName=props["TableName"], ConsistentRead=True, **start)
                    items += page["Items"]
                    if "LastEvaluatedKey" not in page:
                        break
                    start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}
                self.write(f"dynamodb/{props['TableName']}.json", items)
            manager = aws.client("secretsmanager")
            values = {props["Name"]: manager.get_secret_value(SecretId=props["Name"])["SecretString"]
                      for props in template.secrets().values()}
            self.write("secrets.json", values)

    def stop(self) -> None:
        """Stops autosaving (after a save in progress): the caller then saves one last time."""
        self._stopped.set()
        if self._saver is not None:
            self._saver.join(timeout=30)

    def read(self, name: str, default):
        path = self.folder / name
        return json.loads(path.read_text()) if path.exists() else default

    def write(self, name: str, value) -> None:
        """Atomically, and for the owner only: the files hold the local keys and password hashes."""
        path = self.folder / name
        for folder in (self.folder, path.parent):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        descriptor = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(json.dumps(value))
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)

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

    # --- loading ----------------------------------------------------------------------------

    def secret(self, name: str) -> str | None:
        return self._read("secrets.json", {}).get(name)

    def items(self, table: str) -> list[dict]:
        return self._read(f"dynamodb/{table}.json", [])

    # --- saving -----------------------------------------------------------------------------

    def observe(self, app):
        """Wraps moto's WSGI app: any write marks the state dirty."""

        def observed(environ, start_response):
            target = environ.get("HTTP_X_AMZ_TARGET", "")
            if target.rpartition(".")[2] not in _READS:
                self._dirty.set()
            return app(environ, start_response)

        return observed

    def autosave(self, aws, template: Template, every: float = 1.0) -> None:
        """Saves in the background whenever something changed (at most once per `every` seconds)."""

        def loop() -> None:
            while not self._stopped.wait(every):
                if self._dirty.is_set():
                    self.save(aws, template)

        threading.Thread(target=loop, daemon=True, name="local-state").start()

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
                self._write(f"dynamodb/{props['TableName']}.json", items)
            manager = aws.client("secretsmanager")
            values = {props["Name"]: manager.get_secret_value(SecretId=props["Name"])["SecretString"]
                      for props in template.secrets().values()}
            self._write("secrets.json", values)

    def stop(self) -> None:
        self._stopped.set()

    def _read(self, name: str, default):
        path = self.folder / name
        return json.loads(path.read_text()) if path.exists() else default

    def _write(self, name: str, value) -> None:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(value))
        os.chmod(partial, 0o600)  # secrets and password hashes: the owner only
        partial.replace(path)

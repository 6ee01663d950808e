"""The local data page: every table's items and every secret's name, read-only, at `GET /_local/data`
(JSON) and `/_local/data/` (a page), so that a developer can see the users, sessions and keys `make dev`
holds without reaching for moto's port. What could sign anyone in is masked: password hashes, TOTP
secrets, token and key hashes, recovery codes, cached answers, secrets' values, and any value shaped
like a token or a hash wherever it sits. Local runtime only: never in the template or the layer."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING

from boto3.dynamodb.types import Binary, TypeDeserializer

from local import local_pages
from local.gateway import HttpResponse

if TYPE_CHECKING:
    from local.aws import LocalAws

PATH = f"{local_pages.PREFIX}/data"
MASK = "****"
# Attributes masked whole, by name: hashes, sealed TOTP secrets (set up or on), one-time tokens
# (live and spent), passwords, recovery codes, and the idempotency records' cached answers.
_SECRET_NAMES = re.compile(r"hash|secret|password|token|spent|seal|recovery|totpPending|^data$|^validation$",
                           re.IGNORECASE)
# Values masked wherever they are (a key attribute, a list): JWTs, API keys, argon2 hashes, sealed
# blobs, hex digests.
_SECRET_VALUES = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*|pk_live_\w+|\$argon2[^\s\"']*|\bv1\.[A-Za-z0-9+/=]{16,}"
                            r"|\b[0-9a-fA-F]{40,}\b")


def serve(aws: LocalAws, method: str, target: str) -> HttpResponse | None:
    """The data page's answer for `/_local/data...` (`aws`: the stack's `LocalAws`), or None."""
    path = target.split("?", 1)[0]
    if path not in (PATH, f"{PATH}/"):
        return None
    if method not in ("GET", "HEAD"):
        return local_pages.read_only()
    tables, secrets = snapshot(aws)
    if path == PATH:
        return local_pages.json_answer({"success": True, "data": {"tables": tables, "secrets": secrets}})
    return local_pages.html_page("Local tables", _page(tables, secrets))


def snapshot(aws: LocalAws) -> tuple[list[dict], list[dict]]:
    """[{name, items}] per table (items as plain JSON, masked) and [{name, value: ****}] per secret."""
    dynamodb, plain = aws.client("dynamodb"), TypeDeserializer()
    tables = []
    for name in sorted(dynamodb.list_tables()["TableNames"]):
        items, start = [], {}
        while True:
            page = dynamodb.scan(TableName=name, ConsistentRead=True, **start)
            items += [_masked({k: plain.deserialize(v) for k, v in item.items()}) for item in page["Items"]]
            if "LastEvaluatedKey" not in page:
                break
            start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}
        tables.append({"name": name, "items": sorted(items, key=lambda i: json.dumps(i, sort_keys=True))})
    secrets = [{"name": s["Name"], "value": MASK}
               for s in aws.client("secretsmanager").list_secrets()["SecretList"]]
    return tables, sorted(secrets, key=lambda s: s["name"])


def _masked(value, name: str = ""):
    if name and _SECRET_NAMES.search(name):
        return MASK
    if isinstance(value, dict):
        return {k: _masked(v, k) for k, v in value.items()}
    if isinstance(value, list | set | frozenset | tuple):
        return [_masked(v) for v in (sorted(value, key=str) if isinstance(value, set | frozenset) else value)]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes | bytearray | Binary):
        return MASK
    if isinstance(value, str):
        return _SECRET_VALUES.sub(MASK, value)
    return value


def _page(tables: list[dict], secrets: list[dict]) -> str:
    def item_row(item: dict) -> str:
        key = " ".join(str(item[k]) for k in ("pk", "sk", "id") if k in item)
        rest = {k: v for k, v in item.items() if k not in ("pk", "sk")}
        shown = html.escape(json.dumps(rest, indent=1))
        return f"<tr><td><code>{html.escape(key)}</code></td><td><pre>{shown}</pre></td></tr>"

    contents = "".join(f'<li><a href="#{html.escape(t["name"])}">{html.escape(t["name"])}</a> ({len(t["items"])})</li>'
                       for t in tables)
    sections = "".join(
        f'<section id="{html.escape(t["name"])}"><h2>{html.escape(t["name"])} '
        f'<span class="muted">({len(t["items"])} items)</span></h2>'
        + (f'<table><thead><tr><th scope="col">Key</th><th scope="col">Item</th></tr></thead><tbody>'
           f'{"".join(item_row(i) for i in t["items"])}</tbody></table>' if t["items"] else "<p>No items.</p>")
        + "</section>"
        for t in tables)
    listed = "".join(f"<li><code>{html.escape(s['name'])}</code>: {MASK}</li>" for s in secrets)
    return (f'<p>Read-only; hashes, secrets and tokens are masked ({MASK}). JSON: <a href="{PATH}">{PATH}</a>.</p>'
            f'<nav aria-label="Tables"><ul>{contents}<li><a href="#secrets">Secrets</a></li></ul></nav>{sections}'
            f'<section id="secrets"><h2>Secrets</h2><ul>{listed}</ul></section>')

"""The tables, written from their declarations (api/tables.py): template.yaml's `tables` region (the
DynamoDB table resources) and the layer's `latchkey/store/items.py` (the key prefixes and user-item
projections the stores read with, the same lists the IAM grants name). Written by `python -m contract`;
tests hold both equal to what the declarations give."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from api import modules, tables
from contract import regions

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
ITEMS = ROOT / "layers" / "latchkey" / "latchkey" / "store" / "items.py"
REGION, SOURCE = "tables", "api/tables.py"
# Attribute names written quoted in flow lists, as the hand-written template did.
_QUOTED = {"name", "status"}


def _flow(names: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{n}"' if n in _QUOTED else n for n in names) + "]"


def _key_schema(hash_: str, range_: str | None, indent: str) -> list[str]:
    lines = [f"{indent}KeySchema:", f"{indent}  - AttributeName: {hash_}", f"{indent}    KeyType: HASH"]
    if range_ is not None:
        lines += [f"{indent}  - AttributeName: {range_}", f"{indent}    KeyType: RANGE"]
    return lines


def render_table(table: tables.Table) -> str:
    lines = [f"  # {line}" for line in table.why.splitlines()]
    lines += [f"  {table.logical_id}:", "    Type: AWS::DynamoDB::Table"]
    if table.retain_in_prod:
        lines += ["    # prod keeps its data when the stack is deleted or the resource replaced; dev may lose it.",
                  "    DeletionPolicy: !If [IsProd, Retain, Delete]",
                  "    UpdateReplacePolicy: !If [IsProd, Retain, Delete]"]
    lines += ["    Properties:", f"      TableName: !Sub latchkey-${{Stage}}-{table.name}",
              f"      BillingMode: {table.billing}", "      AttributeDefinitions:"]
    for name, kind in table.attribute_definitions():
        lines += [f"        - AttributeName: {name}", f"          AttributeType: {kind}"]
    lines += _key_schema(table.hash[0], table.range[0] if table.range else None, "      ")
    if table.indexes:
        lines.append("      GlobalSecondaryIndexes:")
        for index in table.indexes:
            lines.append(f"        - IndexName: {index.name}")
            lines += _key_schema(index.hash, index.range, "          ")
            lines.append("          Projection:" + (f"  # {index.why}" if index.why else ""))
            if index.projection is None:
                lines.append("            ProjectionType: ALL")
            else:
                lines += ["            ProjectionType: INCLUDE",
                          f"            NonKeyAttributes: {_flow(index.projection)}"]
    if table.ttl:
        lines += ["      TimeToLiveSpecification:", f"        AttributeName: {table.ttl}", "        Enabled: true"]
    if table.stream:
        lines += ["      StreamSpecification:", f"        StreamViewType: {table.stream}"]
    lines += ["      PointInTimeRecoverySpecification:",
              f"        PointInTimeRecoveryEnabled: {str(table.point_in_time_recovery).lower()}",
              "      SSESpecification:", "        SSEEnabled: true"]
    return "\n".join(lines)


def render_region() -> str:
    return "\n\n".join(render_table(t) for t in modules.tables())


def render_template(text: str) -> str:
    return regions.replace(text, REGION, SOURCE, render_region())


def render_items() -> str:
    prefixes = {name: item.prefix for name, item in vars(tables).items()
                if isinstance(item, tables.Item) and item.prefix}
    projections = {name: getattr(tables, name) for name in
                   ("USER_READ_PUBLIC", "USER_READ_WITH_PASSKEYS", "USER_READ_WITH_TOKENS",
                    "USER_READ_WITH_TOKENS_AND_PASSKEYS", "USER_READ_WITH_SIGN_IN_METHODS", "PENDING_EMAIL_CHANGE",
                    "CREDENTIALS_READ_USER_ID",
                    "CREDENTIALS_READ_SIGN_IN_CODE")}
    lines = ['"""The tables\' key prefixes, the projections a user item is read with and what voids an email change:',
             "written by",
             "`python -m contract` from api/tables.py (edit that, not this). The IAM grants (api/tables.py's",
             "rights) name the same prefixes and attribute lists, so a store's read and its grant cannot drift.",
             '"""', ""]
    lines += [f"{name} = {json.dumps(prefix)}" for name, prefix in prefixes.items()]
    lines.append("")
    for name, attributes in projections.items():
        lines.append(f"{name} = (")
        lines += textwrap.wrap(", ".join(json.dumps(a) for a in attributes) + ",", width=116,
                               initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False)
        lines.append(")")
    return "\n".join(lines) + "\n"

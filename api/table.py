"""What a table is (keys, indexes, TTL, the kinds of item it holds) and what a named access right on it
is: the shapes api/tables.py and a module's declaration (api/module.py) are written in."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from api.iam import Statement, get_att

# --- what a table is -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Index:
    name: str
    hash: str
    range: str | None = None
    projection: tuple[str, ...] | None = None  # INCLUDE these non-key attributes; None: ALL
    why: str = ""  # the comment beside the index's projection


@dataclass(frozen=True)
class Item:
    """A kind of item the table holds: its key starts with `prefix` (`USER#`), and `attributes` are
    what a reader of it may see (the IAM `dynamodb:Attributes` lists are made of them)."""

    name: str
    prefix: str = ""
    attributes: tuple[str, ...] = ()
    why: str = ""

    @property
    def leading_key(self) -> str:
        """The IAM `dynamodb:LeadingKeys` pattern of this kind's items."""
        return f"{self.prefix}*"


@dataclass(frozen=True)
class Table:
    logical_id: str
    name: str  # the physical name is latchkey-<stage>-<name>
    why: str  # the comment above the resource, one line of the template per line here
    hash: tuple[str, str]  # (attribute, type)
    range: tuple[str, str] | None = None
    indexes: tuple[Index, ...] = ()
    index_types: dict[str, str] = field(default_factory=dict)  # index key attributes' types (default S)
    ttl: str | None = None  # the TimeToLiveSpecification attribute
    stream: str | None = None  # a StreamViewType, if the table has a stream
    point_in_time_recovery: bool = True
    billing: str = "PAY_PER_REQUEST"
    retain_in_prod: bool = True  # DeletionPolicy / UpdateReplacePolicy: Retain in prod, Delete in dev
    items: tuple[Item, ...] = ()

    @property
    def arn(self) -> dict:
        return get_att(self.logical_id)

    def index_arn(self, name: str) -> dict:
        assert name in {i.name for i in self.indexes}, f"{self.logical_id} has no index {name}"
        return {"Fn::Sub": f"${{{self.logical_id}.Arn}}/index/{name}"}

    def attribute_definitions(self) -> list[tuple[str, str]]:
        """Every key attribute of the table and its indexes, once, the table's first."""
        seen: dict[str, str] = {}
        for name, kind in (self.hash, self.range or (None, None)):
            if name is not None:
                seen.setdefault(name, kind)
        for index in self.indexes:
            for name in (index.hash, index.range):
                if name is not None:
                    seen.setdefault(name, self.index_types.get(name, "S"))
        return list(seen.items())

    def allow(self, *actions: str, items: tuple[Item, ...] = (), attributes: tuple[str, ...] | None = None,
              select: bool = False, returns_none: bool = False, indexes: tuple[str, ...] = (),
              table: bool | None = None, why: str = "") -> Statement:
        """A statement granting `actions` (DynamoDB's, without the `dynamodb:` prefix) on this table
        (and/or the named `indexes`), limited to items of the given kinds, to reading or writing only
        `attributes`, to projected reads (`select`) and to writes that return nothing (`returns_none`)."""
        if items:
            assert all(i in self.items for i in items), f"not items of {self.logical_id}"
        resources: list[object] = [self.arn] if (table if table is not None else not indexes) else []
        resources += [self.index_arn(name) for name in indexes]
        condition: dict = {}
        if items:
            condition["ForAllValues:StringLike"] = {"dynamodb:LeadingKeys": [i.leading_key for i in items]}
        if attributes is not None:
            condition["ForAllValues:StringEquals"] = {"dynamodb:Attributes": list(attributes)}
        if select:
            condition.setdefault("StringEqualsIfExists", {})["dynamodb:Select"] = "SPECIFIC_ATTRIBUTES"
        if returns_none:
            condition.setdefault("StringEqualsIfExists", {})["dynamodb:ReturnValues"] = "NONE"
        return Statement(tuple(f"dynamodb:{a}" for a in actions), tuple(resources), condition or None, why)


# --- what a right is -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Right:
    """A named access right: the statements it grants and why a function may hold it. Its first
    statement carries `why` unless it has its own (a why may span lines: one comment line each, none
    over 100 characters); `environment` is what a function holding it is told (the ARN of a secret it
    reads, ...)."""

    why: str
    statements: tuple[Statement, ...]
    environment: dict[str, object] = field(default_factory=dict)
    name: str = ""

    def __set_name__(self, owner: type, attribute: str) -> None:
        object.__setattr__(self, "name", f"{owner.__name__}.{attribute}")

    def because(self, why: str) -> Right:
        """The same right, held for a reason of the function's own (the comment it renders with)."""
        first, *rest = self.statements
        return replace(self, why=why, statements=(replace(first, why=why), *rest))

    def expand(self) -> list[Statement]:
        first, *rest = self.statements
        return [first if first.why else replace(first, why=self.why), *rest]


def right(why: str, *statements: Statement, environment: dict[str, object] | None = None) -> Right:
    return Right(why, statements, dict(environment or {}))


class Rights:
    """A namespace of rights: `class AUDIT(Rights): append = right(...)` names it `AUDIT.append`."""

    table: Table | None = None

    @classmethod
    def all(cls) -> dict[str, Right]:
        return {value.name: value for value in vars(cls).values() if isinstance(value, Right)}

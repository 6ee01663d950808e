"""IAM policy evaluation, as far as the local runtime needs it: explicit Deny wins, otherwise an Allow
must match; actions match case-insensitively, resources case-sensitively, both with `*` and `?`; a
statement's `Condition` is evaluated against the request context as AWS does (IAM User Guide,
"Condition operators" and "Single-valued vs. multivalued context keys"):

- every operator in a `Condition` block, and every key under an operator, must hold (AND); the
  values listed for one key are alternatives (OR);
- a key absent from the request context makes an operator false (true for a negated one such as
  `StringNotEquals`); `...IfExists` makes it true; `ForAllValues:` is true for an absent key or an
  empty set, `ForAnyValue:` false;
- a key the local runtime does not model for this request, an operator it does not know, or a
  policy variable (`${...}`) cannot be decided locally: it fails closed (an Allow grants nothing, a
  Deny denies) and the answer says why.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

# Operators this module evaluates; `ForAllValues:`/`ForAnyValue:` and `IfExists` combine with them.
_STRING = {"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
           "StringLike", "StringNotLike"}
_NEGATED = {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike"}


class RequestContext:
    """The condition keys of one request: `values` holds the keys present (each a list: one value for a
    single-valued key); `known` the keys whose presence the local runtime decides (a key in `known`
    but not in `values` is absent, as in AWS). A key outside both is not modelled locally.
    (A plain class: a sandbox imports this before its function, and dataclasses would cost its start.)"""

    __slots__ = ("values", "known")

    def __init__(self, values: dict[str, list[str]] | None = None, known: frozenset[str] = frozenset()):
        self.values = values or {}
        self.known = frozenset(known) | frozenset(self.values)

    def lookup(self, key: str) -> list[str] | None:
        """The key's values; None if absent. KeyError if the local runtime does not model it."""
        if key in self.values:
            return self.values[key]
        if key in self.known:
            return None
        raise KeyError(key)

    def __repr__(self) -> str:
        return f"RequestContext({self.values!r}, known={sorted(self.known)!r})"


class Decision(NamedTuple):
    allowed: bool
    reason: str = ""  # why not, when a condition decided it


class _Undecidable(Exception):
    """A condition the local runtime cannot evaluate: it fails closed."""


def allows(statements: list[dict], action: str, resource: str, context: RequestContext | None = None) -> bool:
    return evaluate(statements, action, resource, context).allowed


def evaluate(statements: list[dict], action: str, resource: str,
             context: RequestContext | None = None) -> Decision:
    context = context or RequestContext()
    granted, reasons = False, []
    for statement in statements:
        if not any(_glob(a.lower(), action.lower()) for a in _as_list(statement.get("Action"))):
            continue
        if not any(_glob(r, resource) for r in _as_list(statement.get("Resource"))):
            continue
        deny = statement.get("Effect") == "Deny"
        try:
            holds, why = condition_holds(statement.get("Condition"), context)
        except _Undecidable as undecidable:
            holds, why = deny, f"{undecidable} (evaluated as {'denying' if deny else 'granting nothing'})"
        if deny and holds:
            return Decision(False, f"explicitly denied{': ' + why if why else ''}")
        if statement.get("Effect") == "Allow":
            if holds:
                granted = True
            elif why:
                reasons.append(why)
    return Decision(granted, "" if granted else "; ".join(dict.fromkeys(reasons)))


def condition_holds(condition: dict | None, context: RequestContext) -> tuple[bool, str]:
    """(whether the whole block holds, what failed). _Undecidable if it cannot be decided locally."""
    for operator, tests in (condition or {}).items():
        if not isinstance(tests, dict):
            raise _Undecidable(f"condition {operator} is not a map of keys to values")
        for key, expected in tests.items():
            expected = [str(v) for v in _as_list(expected)]
            if any("${" in v for v in expected):
                raise _Undecidable(f"policy variables are not evaluated locally ({operator} {key})")
            try:
                actual = context.lookup(key)
            except KeyError:
                raise _Undecidable(f"condition key {key} is not modelled locally for this request") from None
            if not _operator_holds(operator, key, actual, expected):
                return False, f"condition {operator} {key} not met by {_offending(operator, actual, expected)}"
    return True, ""


def _operator_holds(operator: str, key: str, actual: list[str] | None, expected: list[str]) -> bool:
    qualifier, _, name = operator.rpartition(":")
    if_exists = name.endswith("IfExists")
    base = name.removesuffix("IfExists")
    if qualifier not in ("", "ForAllValues", "ForAnyValue") or base not in _STRING | {"Bool", "Null"}:
        raise _Undecidable(f"condition operator {operator} is not supported locally")
    if base == "Null":  # "true": the key must be absent; "false": present
        if qualifier or if_exists:
            raise _Undecidable(f"condition operator {operator} is not supported locally")
        return any((actual is None) == (v.lower() == "true") for v in expected)
    if actual is None and if_exists:
        return True
    if qualifier == "ForAllValues":  # every value in the request matches; true for none at all
        return all(_matches(base, v, expected) for v in actual or [])
    if qualifier == "ForAnyValue":  # some value in the request matches; false for none at all
        return any(_matches(base, v, expected) for v in actual or [])
    if actual is None:
        return base in _NEGATED
    if len(actual) != 1:
        raise _Undecidable(f"{key} has {len(actual)} values in this request: {operator} needs "
                           "ForAllValues: or ForAnyValue:")
    return _matches(base, actual[0], expected)


def _offending(operator: str, actual: list[str] | None, expected: list[str]) -> str:
    """What of the request failed a condition: for ForAllValues, the values that match none."""
    if actual is None:
        return "an absent key"
    if operator.startswith("ForAllValues:"):
        base = operator.split(":", 1)[1].removesuffix("IfExists")
        return str(sorted(v for v in actual if not _matches(base, v, expected)))
    return str(sorted(actual))


def _matches(base: str, value: str, expected: list[str]) -> bool:
    if base == "Bool":
        return any(value.lower() == v.lower() for v in expected)
    positive = base.replace("Not", "", 1) if base in _NEGATED else base
    if positive == "StringEquals":
        hit = value in expected
    elif positive == "StringEqualsIgnoreCase":
        hit = value.lower() in {v.lower() for v in expected}
    else:  # StringLike: case-sensitive, `*` and `?`
        hit = any(_glob(pattern, value) for pattern in expected)
    return not hit if base in _NEGATED else hit


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, (str, bool, int, float)) else list(value)


def _glob(pattern: str, value: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.DOTALL) is not None

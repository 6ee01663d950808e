"""An IAM statement as the declarations state it: what a function may do to a resource, with the
reason it may, which the template shows as the comment above the statement."""

from __future__ import annotations

from dataclasses import dataclass


def get_att(logical_id: str, attribute: str = "Arn") -> dict:
    return {"Fn::GetAtt": [logical_id, attribute]}


def ref(logical_id: str) -> dict:
    return {"Ref": logical_id}


@dataclass(frozen=True)
class Statement:
    actions: tuple[str, ...]
    resources: tuple[object, ...]  # CloudFormation values: get_att("AccountsTable"), ref("MailQueue"), "*"
    condition: dict | None = None  # as IAM spells it: {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [...]}}
    why: str = ""  # the comment above the statement in template.yaml; "" for none
    effect: str = "Allow"

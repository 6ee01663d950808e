"""The public integration flow: invite candidates to an assessment, the candidate completes it with
their invitation token, and the organization exchanges the result token for the result.

The invitation token is `<candidate id>.<secret>`: the id finds the candidate with one strongly
consistent read, and only the SHA-256 of the 256-bit secret is stored. It works once. The result
token is a JWT of its own type (`typ: result`, 15 minutes) naming the organization and candidate.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from assessments_example.errors import (
    AnswersTooDeep,
    AnswersTooLarge,
    CandidateNotFound,
    InvalidAssessmentId,
    ResultNotFound,
    ResultTokenExpired,
)
from assessments_example.records import ASSESSMENT, CANDIDATE, RESULT, Candidate
from assessments_example.store import candidates_table
from assessments_example.usecases import assessments
from latchkey.errors import InvalidInvitation, InvitationUsed, TokenExpired
from latchkey.rules import clock, ids, record_tokens, redirect_urls, tokens
from latchkey.rules.records import Principal
from latchkey.settings import get_settings
from latchkey.store import accounts_table
from latchkey.store.token_keys import signing_context, verifying_context


def invite(principal: Principal, assessment_id: str, email: str, name: str) -> tuple[Candidate, str]:
    """The new candidate and their invitation token (returned here only)."""
    if not ids.is_id(assessment_id, ASSESSMENT):
        raise InvalidAssessmentId()
    assessments.get(principal, assessment_id)  # 404 unless it is this organization's
    candidate_id = ids.new_id(CANDIDATE)
    token, token_hash = record_tokens.mint(candidate_id)
    candidate = Candidate(
        id=candidate_id,
        organization_id=principal.organization_id,
        assessment_id=assessment_id,
        email=email.strip(),
        name=name.strip(),
        status=candidates_table.INVITED,
        invited_at=clock.now(),
        invitation_hash=token_hash,
    )
    candidates_table.create(candidate)
    return candidate, token


def list_page(principal: Principal, assessment_id: str | None, limit: int,
              cursor: str | None) -> tuple[list[Candidate], str | None]:
    if assessment_id is not None and not ids.is_id(assessment_id, ASSESSMENT):
        raise InvalidAssessmentId()
    return candidates_table.list_page(principal.organization_id, assessment_id, limit, cursor)


def get(principal: Principal, candidate_id: str) -> Candidate:
    """One of the organization's candidates; any other id, another organization's included, is 404."""
    found = candidates_table.get(candidate_id) if ids.is_id(candidate_id, CANDIDATE) else None
    if found is None or found.organization_id != principal.organization_id:
        raise CandidateNotFound()
    return found


class Completed(NamedTuple):
    result_token: str
    redirect_url: str | None

    def body(self) -> dict:
        return {"redirectUrl": self.redirect_url} if self.redirect_url else {"resultToken": self.result_token}


def complete(invitation_token: str, answers: dict) -> Completed:
    """Records the candidate's answers once and issues the result token, added to the organization's
    redirect URL as `result=` when it has one."""
    if _depth(answers) > MAX_ANSWERS_DEPTH:
        raise AnswersTooDeep(f"answers must nest at most {MAX_ANSWERS_DEPTH} levels deep")
    encoded = json.dumps(answers, separators=(",", ":"), ensure_ascii=False)
    limit = MAX_ANSWERS_BYTES
    if len(encoded.encode("utf-8")) > limit:
        raise AnswersTooLarge(f"answers must be at most {limit} bytes of JSON")
    parsed = record_tokens.parse(invitation_token, CANDIDATE)
    if parsed is None:
        raise _invalid_invitation()
    candidate_id, secret = parsed
    context = signing_context(RESULT)  # before the one-time write: nothing after it should be able to fail
    completion = candidates_table.complete(candidate_id, record_tokens.digest(secret), encoded, clock.now())
    if not completion.completed:
        stood = completion.candidate
        if stood is not None and record_tokens.matches(stood.invitation_hash, secret):
            raise InvitationUsed()
        raise _invalid_invitation()
    candidate = completion.candidate
    token, _ = tokens.issue(context, RESULT, get_settings().token_lifetime(RESULT), now=clock.now(),
                            sub=candidate.id, org=candidate.organization_id)
    organization = accounts_table.get_organization(candidate.organization_id)
    redirect = organization.result_redirect_url if organization else None
    return Completed(token, redirect_urls.with_query_param(redirect, "result", token) if redirect else None)


def exchange(principal: Principal, result_token: str) -> dict:
    """The full result behind a result token, for the organization it names only (else 404)."""
    try:
        claims = tokens.verify(verifying_context(RESULT), result_token, RESULT, clock.now())
    except TokenExpired:
        raise ResultTokenExpired() from None
    if claims.get("org") != principal.organization_id:
        raise ResultNotFound()
    candidate = candidates_table.get(claims["sub"])
    if candidate is None or candidate.organization_id != principal.organization_id or not candidate.completed_at:
        raise ResultNotFound()
    return {
        "candidateId": candidate.id,
        "assessmentId": candidate.assessment_id,
        "candidate": {"name": candidate.name, "email": candidate.email},
        "answers": json.loads(candidate.answers),
        "completedAt": clock.iso(candidate.completed_at),
    }


MAX_ANSWERS_BYTES = 8 * 1024  # of JSON: a form's answers, never a file
MAX_ANSWERS_DEPTH = 32  # deep enough for any form; shallow enough to always serialize back


def _depth(value: object, level: int = 0) -> int:
    if level > MAX_ANSWERS_DEPTH:
        return level
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return max((_depth(child, level + 1) for child in children), default=level)


def _invalid_invitation() -> InvalidInvitation:
    return InvalidInvitation()

"""The module's refusals: classes of Latchkey's error registry (latchkey.errors), so they answer in its one
envelope and the docs' error reference lists them (`python -m contract` imports this module)."""

from __future__ import annotations

from latchkey.errors import LatchkeyError, NotFound, TokenExpired


class InvalidAssessmentId(LatchkeyError):
    """An assessment id of the wrong shape."""
    code = "INVALID_ASSESSMENT_ID"
    message = "assessmentId is not an assessment id"


class AnswersTooLarge(LatchkeyError):
    """Answers over 8 KiB of JSON."""
    code = "ANSWERS_TOO_LARGE"
    message = "answers are too large"


class AnswersTooDeep(LatchkeyError):
    """Answers nested over 32 levels."""
    code = "ANSWERS_TOO_DEEP"
    message = "answers are nested too deeply"


class ResultTokenExpired(TokenExpired):
    """A result token past its 15 minutes."""
    code = "RESULT_TOKEN_EXPIRED"
    message = "Result token has expired"


class AssessmentNotFound(NotFound):
    """An assessment id that is not the organization's."""
    code = "ASSESSMENT_NOT_FOUND"
    message = "No such assessment"


class CandidateNotFound(NotFound):
    """A candidate id that is not the organization's."""
    code = "CANDIDATE_NOT_FOUND"
    message = "No such candidate"


class ResultNotFound(NotFound):
    """A result token of another organization, or for no result: nothing about the result is told."""
    code = "RESULT_NOT_FOUND"
    message = "No such result"

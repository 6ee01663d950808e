"""The assessment product, declared once: Latchkey's worked example of "your API behind Latchkey" (the
first clients' assessments, candidates and result tokens). An admin creates assessments; a key with
candidates:write invites candidates; a candidate completes one with their invitation token; the
organization exchanges the result token it is handed for the result. Dev-only, like api/: `python -m
contract` writes the template, the route index, the OpenAPI document and the docs from it."""

from __future__ import annotations

from api.function import Function
from api.iam import ref
from api.key_set import KeySet
from api.module import Module
from api.route import TOKEN_REFUSALS, Operation, Sample, route
from api.scope import Scope
from api.table import Index, Item, Rights, Table, right
from api.tables import ACCOUNTS, IDEMPOTENCY
from examples.assessments import schemas
from latchkey.edge.schemas.base import PageQuery
from latchkey.rules.records import ADMIN
from latchkey.rules.scopes import API_KEY, PUBLIC, USER

ROUTES = (
    route("GET", "/v1/assessments", USER, function="ListAssessmentsFunction", operation=Operation(
        "The organization's assessments, oldest first, paged",
        schemas.AssessmentPageView, query=PageQuery)),
    route("POST", "/v1/assessments", USER, function="CreateAssessmentFunction", role=ADMIN, operation=Operation(
        "Create an assessment", schemas.AssessmentView, 201, schemas.CreateAssessmentBody, idempotent=True,
        example={"title": "Backend screen", "description": "Python"},
        sample=Sample(body={"title": "Backend engineer screen", "description": "Python and AWS"}))),
    route("POST", "/v1/candidate/complete", PUBLIC, function="CompleteAssessmentFunction", operation=Operation(
        "Record a candidate's answers, once: where to send them next", schemas.CompletionView,
        body=schemas.CompleteAssessmentBody,
        errors={400: ("ANSWERS_TOO_LARGE", "ANSWERS_TOO_DEEP"), 401: ("INVALID_INVITATION",),
                409: ("INVITATION_USED",)},
        example={"invitationToken": "cand_….<secret>", "answers": {"q1": "B"}},
        sample=Sample(
            body={"invitationToken": "<invitation token>", "answers": {"q1": "B", "q2": ["a", "c"], "essay": "..."}}))),
    route("POST", "/v1/public/candidates", USER, API_KEY, function="InviteCandidateFunction", scope="candidates:write",
          role=ADMIN, operation=Operation(
        "Invite a candidate to an assessment; the invitation token is in this response only",
        schemas.InvitedCandidateView, 201, schemas.InviteCandidateBody, idempotent=True,
        errors={400: ("INVALID_ASSESSMENT_ID",), 404: ("ASSESSMENT_NOT_FOUND",)},
        example={"assessmentId": "asm_…", "email": "grace@example.com", "name": "Grace Hopper"},
        sample=Sample(
            body={"assessmentId": "asm_000000000000000000000one", "email": "grace@example.com",
                  "name": "Grace Hopper"}))),
    route("GET", "/v1/public/candidates", USER, API_KEY, function="ListCandidatesFunction", scope="candidates:read",
          operation=Operation(
        "The organization's candidates, oldest first, paged; never their token",
        schemas.CandidatePageView, query=schemas.CandidatePageQuery,
        errors={400: ("INVALID_ASSESSMENT_ID",)})),
    route("GET", "/v1/public/candidates/{id}", USER, API_KEY, function="GetCandidateFunction", scope="candidates:read",
          operation=Operation(
        "One of the organization's candidates", schemas.CandidateView,
        errors={404: ("CANDIDATE_NOT_FOUND",)},
        sample=Sample(path={"id": "cand_00000000000000000000one"}))),
    route("GET", "/v1/public/results/{token}", USER, API_KEY, function="ExchangeResultFunction", scope="results:read",
          operation=Operation(
        "Exchange a result token (15 minutes) for the full result", schemas.ResultView,
        errors={401: (*TOKEN_REFUSALS, "RESULT_TOKEN_EXPIRED"), 404: ("RESULT_NOT_FOUND",)},
        sample=Sample(path={"token": "<result token>"}))),
    route("GET", "/v1/public/assessments", USER, API_KEY, function="ListAssessmentsFunction", scope="assessments:read"),
    route("GET", "/v1/public/assessments/{id}", USER, API_KEY, function="GetPublicAssessmentFunction",
          scope="assessments:read", operation=Operation(
        "One of the organization's assessments", schemas.AssessmentView,
        errors={404: ("ASSESSMENT_NOT_FOUND",)},
        sample=Sample(path={"id": "asm_000000000000000000000one"}))),
)

SCOPES = (
    Scope("assessments:read", "Read the organization's assessments"),
    Scope("candidates:read", "Read the organization's candidates and their status"),
    Scope("candidates:write", "Invite candidates to an assessment", write=True),
    Scope("results:read", "Exchange a result token for a candidate's full result"),
)

FUNCTIONS = (
    Function("ListAssessmentsFunction", "list_assessments", "(assessments:read)"),
    Function(
        "CreateAssessmentFunction",
        "create_assessment",
        "(organization admins; Idempotency-Key)",
    ),
    Function("GetPublicAssessmentFunction", "get_public_assessment", "(assessments:read)"),
    Function(
        "InviteCandidateFunction",
        "invite_candidate",
        "(candidates:write; Idempotency-Key)",
    ),
    Function("ListCandidatesFunction", "list_candidates", "(candidates:read)"),
    Function("GetCandidateFunction", "get_candidate", "(candidates:read)"),
    Function(
        "CompleteAssessmentFunction",
        "complete_assessment",
        "(the invitation token is the only credential)",
        layers=("CryptoLayer",),
    ),
    Function(
        "ExchangeResultFunction",
        "exchange_result",
        "(results:read)",
        layers=("CryptoLayer",),
    ),
)

# --- tables ----------------------------------------------------------------------------------------

_ASSESSMENTS = {"ASSESSMENTS_TABLE": ref("AssessmentsTable")}  # told to every function with a right on it
_CANDIDATES = {"CANDIDATES_TABLE": ref("CandidatesTable")}

ASSESSMENTS_TABLE = Table(
    "AssessmentsTable", "assessments",
    "Assessments of an organization, listed by organization.",
    hash=("organizationId", "S"), range=("assessmentId", "S"),
    items=(Item("assessment", attributes=("organizationId", "assessmentId")),),
)


class ASSESSMENTS(Rights):
    table = t = ASSESSMENTS_TABLE
    list = right("An organization's assessments.", t.allow("Query"), environment=_ASSESSMENTS)
    read = right("One assessment.", t.allow("GetItem"), environment=_ASSESSMENTS)
    create = right("A new assessment.", t.allow("PutItem"), environment=_ASSESSMENTS)
    delete_all = right("An organization's assessments, listed and deleted.", t.allow("Query", "BatchWriteItem"),
                       environment=_ASSESSMENTS)
    del t


CANDIDATE = Item("candidate", attributes=("candidateId", "organizationId", "assessmentId", "organizationAssessment",
                                          "email", "name", "status", "invitedAt", "completedAt", "invitationHash",
                                          "answers"))
_CANDIDATE_LISTING = "what a listing shows: never the invitation hash, never the answers"
CANDIDATES_TABLE = Table(
    "CandidatesTable", "candidates",
    "Candidates invited to an organization's assessments, keyed by candidate id (a completion finds\n"
    "its candidate with one strongly consistent read); listed through the organization and\n"
    "organization#assessment indexes. The result lives on the candidate once completed.",
    hash=("candidateId", "S"),
    indexes=(Index("ByOrganization", "organizationId", "candidateId",
                   ("assessmentId", "email", "name", "status", "invitedAt", "completedAt"), why=_CANDIDATE_LISTING),
             Index("ByAssessment", "organizationAssessment", "candidateId",
                   ("organizationId", "assessmentId", "email", "name", "status", "invitedAt", "completedAt"),
                   why=_CANDIDATE_LISTING)),
    items=(CANDIDATE,),
)


class CANDIDATES(Rights):
    table = t = CANDIDATES_TABLE
    invite = right("A new candidate.", t.allow("PutItem"), environment=_CANDIDATES)
    list = right("An organization's candidates, of all or of one assessment.",
                 t.allow("Query", indexes=("ByOrganization", "ByAssessment")), environment=_CANDIDATES)
    read = right("One candidate.", t.allow("GetItem"), environment=_CANDIDATES)
    complete = right("A candidate's result.", t.allow("UpdateItem"), environment=_CANDIDATES)
    delete_all = right("An organization's candidates, listed and deleted.",
                       t.allow("Query", indexes=("ByOrganization",)), t.allow("BatchWriteItem"),
                       environment=_CANDIDATES)
    del t



# --- result tokens ---------------------------------------------------------------------------------

# Result tokens: a purpose of their own (kids `result-…`), 15 minutes; only the completion function signs.
RESULT_TOKENS = KeySet("RESULT", "ResultTokenSigningKeys", "ResultTokenPublicKeys", lifetime=900)


class RESULT_KEYS(Rights):
    sign = RESULT_TOKENS.sign("Result tokens only: it can mint no access, refresh or pending token.")
    publish = RESULT_TOKENS.publish()
    verify = RESULT_TOKENS.verify("Public keys only: it verifies result tokens and can mint none.")


MODULE = Module(
    name="assessments",
    layer="AssessmentsLayer",
    package="assessments_example",
    routes=ROUTES,
    functions=FUNCTIONS,
    rights={
        "ListAssessmentsFunction": (ASSESSMENTS.list,),
        "CreateAssessmentFunction": (IDEMPOTENCY.records, ASSESSMENTS.create),
        "GetPublicAssessmentFunction": (ASSESSMENTS.read,),
        "InviteCandidateFunction": (IDEMPOTENCY.records, ASSESSMENTS.read, CANDIDATES.invite),
        "ListCandidatesFunction": (CANDIDATES.list,),
        "GetCandidateFunction": (CANDIDATES.read,),
        "CompleteAssessmentFunction": (CANDIDATES.complete, RESULT_KEYS.sign, RESULT_KEYS.publish,
                                       ACCOUNTS.read_organization.because(
                                           "Where the organization sends candidates (its resultRedirectUrl).")),
        "ExchangeResultFunction": (CANDIDATES.read, RESULT_KEYS.verify),
    },
    tables=(ASSESSMENTS_TABLE, CANDIDATES_TABLE),
    namespaces=(ASSESSMENTS, CANDIDATES, RESULT_KEYS),
    scopes=SCOPES,
    key_sets=(RESULT_TOKENS,),
    on_organization_deleted="assessments_example.cleanup:delete_organization",
    organization_deleted_rights=(ASSESSMENTS.delete_all, CANDIDATES.delete_all),
)

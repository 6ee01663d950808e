"""The module's handlers under moto, in this process, as Latchkey's own are tested (tests/handlers/): its
sample events, who may write, and what never reaches a log line."""

from __future__ import annotations

import json

from tests.handlers.conftest import body_of, collected_logs, invoke, register, signed_in_event
from tests.handlers.test_telemetry_secrets import post


def test_assessment_samples_create_then_list_within_the_organization(local_api, registered):
    _, data = registered
    created = invoke(local_api, "CreateAssessmentFunction", signed_in_event("create_assessment", data["user"]))
    assert created["statusCode"] == 201, created["body"]
    listed = invoke(local_api, "ListAssessmentsFunction", signed_in_event("list_assessments", data["user"]))
    assert [a["id"] for a in body_of(listed)["data"]["assessments"]] == [body_of(created)["data"]["id"]]


def test_create_assessment_sample_is_refused_to_a_plain_member(local_api, registered):
    _, data = registered
    event = signed_in_event("create_assessment", data["user"])
    event["requestContext"]["authorizer"]["role"] = "USER"
    response = invoke(local_api, "CreateAssessmentFunction", event)
    assert response["statusCode"] == 403 and body_of(response)["error"]["code"] == "ADMIN_ONLY"


def test_a_plain_member_signed_in_cannot_write_through_the_public_api_either(local_api, registered):
    _, data = registered
    event = signed_in_event("invite_candidate", data["user"], role="USER")
    event["requestContext"]["authorizer"]["kind"] = "user"
    response = invoke(local_api, "InviteCandidateFunction", event)
    assert response["statusCode"] == 403 and body_of(response)["error"]["code"] == "ADMIN_ONLY"


def test_no_invitation_or_result_token_reaches_a_log_line(local_api, capsys):
    """A candidate invited and completed, a result exchanged: neither token, nor the invitation's hash, is
    in a log line or a metric."""
    user = register(local_api, "telemetry")[1]["user"]
    with collected_logs() as lines:
        assessment = body_of(invoke(local_api, "CreateAssessmentFunction",
                                    signed_in_event("create_assessment", user)))["data"]["id"]
        invited = post(local_api, "InviteCandidateFunction", "invite_candidate",
                       {"assessmentId": assessment, "email": "grace@example.com", "name": "Grace"}, user)
        done = post(local_api, "CompleteAssessmentFunction", "complete_assessment",
                    {"invitationToken": invited["invitationToken"], "answers": {"q1": "B"}})
        result = done.get("resultToken") or done["redirectUrl"].split("result=")[1]
        exchange = signed_in_event("exchange_result", user)
        exchange["pathParameters"] = {"token": result}
        assert invoke(local_api, "ExchangeResultFunction", exchange)["statusCode"] == 200
    telemetry = "\n".join([*lines, capsys.readouterr().out])
    assert len(lines) >= 4, lines
    for secret in (invited["invitationToken"], result):
        for part in [secret, *(p for p in secret.split(".") if len(p) > 16)]:
            assert part not in telemetry, part[:12]
    assert "invitationHash" not in telemetry and json.dumps({"q1": "B"}) not in telemetry

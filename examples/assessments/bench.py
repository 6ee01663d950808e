"""The module's routes in `make bench` (bench/__main__.py takes them in): each scenario one request,
answered by the built function, as Latchkey's own are measured."""

from __future__ import annotations

from collections.abc import Callable


def scenarios(request: Callable, token: str, api_key: str) -> list[tuple[str, Callable]]:
    """(label, one request) pairs: `request(method, path, body, bearer)` is the bench's counting client;
    `token` an admin's access token, `api_key` a key holding every scope."""
    assessment_id = request("POST", "/v1/assessments", {"title": "Bench"}, token)[0].json()["data"]["id"]

    def invite() -> str:
        response = request("POST", "/v1/public/candidates", {
            "assessmentId": assessment_id, "email": "c@example.com", "name": "C"}, api_key)[0]
        return response.json()["data"]["invitationToken"]

    def complete():
        return request("POST", "/v1/candidate/complete", {"invitationToken": invite(), "answers": {"q1": "a"}})

    def exchange():
        redirect = complete()[0].json()["data"]["redirectUrl"]  # the organization has a redirect URL
        return request("GET", f"/v1/public/results/{redirect.split('result=')[1]}", None, api_key)

    return [
        ("POST /v1/assessments", lambda: request("POST", "/v1/assessments", {"title": "Bench"}, token)),
        ("GET /v1/assessments", lambda: request("GET", "/v1/assessments", None, token)),
        ("GET /v1/public/assessments (Bearer pk_live_)", lambda: request("GET", "/v1/public/assessments", None,
                                                                         api_key)),
        ("POST /v1/public/candidates (API key)", lambda: request("POST", "/v1/public/candidates", {
            "assessmentId": assessment_id, "email": "c@example.com", "name": "C"}, api_key)),
        ("GET /v1/public/candidates (API key)", lambda: request("GET", "/v1/public/candidates", None, api_key)),
        ("POST /v1/candidate/complete", complete),
        ("GET /v1/public/results/{token} (API key)", exchange),
    ]

"""POST /v1/auth/email-code: a six-digit sign-in code to the address (or a note that no account uses it).
The same answer, after the same work, for every well-formed address."""

from latchkey.edge.bodies import compiled
from latchkey.edge.http import Request, api_handler, respond
from latchkey.usecases import passwordless

SignInEmailBody = compiled("SignInEmailBody")


@api_handler
def handler(request: Request) -> dict:
    passwordless.ask(passwordless.CODE, request.json(SignInEmailBody).email)
    return respond({"accepted": True}, status=202)

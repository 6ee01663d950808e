"""GET /v1/auth/oauth/{provider}/callback: the provider's redirect back. Signed in (the refresh cookie
set, as the dashboard's cookie mode sets it) and sent to `returnTo` on the dashboard; with two-factor on,
to the dashboard's second-factor step with the pending token in the fragment; a link, back to settings;
a refusal (or a dependency's failure: SERVICE_UNAVAILABLE), to the dashboard's sign-in page with
`?error=<code>`. The state cookie is cleared."""

from urllib.parse import quote

from latchkey.edge import oauth_browser, refresh_cookie
from latchkey.edge.http import Request, api_handler, redirect, refusal
from latchkey.errors import ProviderNotFound
from latchkey.logs import logger
from latchkey.usecases import accounts, federation


@api_handler
def handler(request: Request) -> dict:
    name = request.path_parameters["provider"]
    cookies = [oauth_browser.state_cookie("", 0)]
    try:
        finished = federation.finish(name, request.query.get("state", ""), request.query.get("code", ""),
                                     oauth_browser.browser(request), oauth_browser.callback_uri(request, name),
                                     request.client)
    except Exception as error:  # noqa: BLE001 - a refusal (or a dependency's failure) goes back to the dashboard
        refused = refusal(error)
        if refused is None or isinstance(refused, ProviderNotFound):
            raise  # a defect (the envelope's 500), or no such provider (404)
        logger.info("refused", extra={"code": refused.code, "status": refused.status, "route": request.resource})
        return redirect(oauth_browser.dashboard(request, f"/sign-in?error={refused.code}"), cookies)
    if finished.linked:
        return redirect(oauth_browser.dashboard(request, finished.return_to), cookies)
    if isinstance(finished.signed_in, accounts.PendingTwoFactor):
        pending = finished.signed_in.body()
        fragment = f"#pendingToken={quote(pending['pendingToken'])}&methods={','.join(pending['methods'])}"
        return redirect(oauth_browser.dashboard(request, "/sign-in/second-factor") + fragment, cookies)
    cookies.append(refresh_cookie.set_cookie(finished.signed_in.refresh_token))
    return redirect(oauth_browser.dashboard(request, finished.return_to), cookies)

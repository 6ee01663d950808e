"""API Gateway's AWS_IAM authorization, locally: a request to an admin API route (/v1/admin/*) must carry
an AWS Signature Version 4 (service `execute-api`) made with the local operator's credentials, which
`make dev` prints and keeps under `.local/operator.json` (a run with `--ephemeral` makes new ones).

The expected signature is computed by botocore's own SigV4 signer over the request as it arrived (method,
raw path and query, the signed headers, the body's SHA-256) and compared in constant time; the
`X-Amz-Date` must be within 5 minutes of now, as API Gateway requires. The refusals carry API Gateway's
own messages. What AWS then does, judging the principal's IAM policy, is not done here: the local
operator may invoke every admin route (docs/development/local-runtime.md lists this difference)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from local.constants import ACCOUNT, REGION

SERVICE = "execute-api"
ALGORITHM = "AWS4-HMAC-SHA256"
SKEW = timedelta(minutes=5)
_STAMP = "%Y%m%dT%H%M%SZ"

MISMATCH = ("The request signature we calculated does not match the signature you provided. Check your AWS "
            "Secret Access Key and signing method. Consult the service documentation for details.")
UNKNOWN_KEY = "The security token included in the request is invalid."


@dataclass(frozen=True)
class Operator:
    """An IAM user's access key, as the local account knows it."""

    access_key_id: str
    secret_access_key: str
    name: str = "local-operator"

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{ACCOUNT}:user/{self.name}"

    @property
    def user_id(self) -> str:
        return "AIDA" + hashlib.sha256(self.access_key_id.encode()).hexdigest()[:16].upper()

    def identity(self) -> dict:
        """What API Gateway puts in `requestContext.identity` for a request this principal signed."""
        return {"accountId": ACCOUNT, "accessKey": self.access_key_id, "caller": self.user_id,
                "user": self.user_id, "userArn": self.arn}


def new_operator() -> Operator:
    return Operator("AKIALOCAL" + secrets.token_hex(6).upper(), secrets.token_urlsafe(30))


def operator_credentials(folder: Path | None) -> Operator:
    """The local operator: kept in `folder`/operator.json between runs (made on the first), or new."""
    if folder is None:
        return new_operator()
    path = folder / "operator.json"
    if path.exists():
        saved = json.loads(path.read_text())
        return Operator(saved["accessKeyId"], saved["secretAccessKey"])
    operator = new_operator()
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"accessKeyId": operator.access_key_id,
                                "secretAccessKey": operator.secret_access_key}) + "\n")
    path.chmod(0o600)
    return operator


@dataclass(frozen=True)
class Refusal:
    kind: str  # the gateway response type: MISSING_AUTHENTICATION_TOKEN, INVALID_SIGNATURE or DEFAULT_4XX
    message: str


def check(method: str, target: str, headers: list[tuple[str, str]], body: bytes, operators: dict[str, Operator],
          now: datetime | None = None) -> Operator | Refusal:
    """The operator who signed this request, or why API Gateway would refuse it (all 403s but a missing
    signature, which is MISSING_AUTHENTICATION_TOKEN)."""
    values: dict[str, list[str]] = {}
    for name, value in headers:
        values.setdefault(name.lower(), []).append(value)
    authorization = ",".join(values.get("authorization", []))
    if not authorization:
        return Refusal("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token")
    scheme, _, rest = authorization.partition(" ")
    if scheme != ALGORITHM:
        # What API Gateway answers a Bearer token (or any other scheme) on an AWS_IAM route.
        digest = base64.b64encode(hashlib.sha256(authorization.encode()).digest()).decode()
        return Refusal("DEFAULT_4XX", "Invalid key=value pair (missing equal-sign) in Authorization header "
                                      f"(hashed with SHA-256 and encoded with Base64): '{digest}'.")
    params = dict(part.strip().partition("=")[::2] for part in rest.split(",") if part.strip())
    missing = [f"Authorization header requires '{name}' parameter." for name in ("Credential", "Signature",
                                                                               "SignedHeaders") if not params.get(name)]
    amz_date = (values.get("x-amz-date") or [""])[0]
    if not amz_date:
        missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
    if missing:
        return Refusal("DEFAULT_4XX", " ".join(missing) + f" Authorization={authorization}")
    scope = params["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        return Refusal("DEFAULT_4XX", "Credential should be scoped to a valid region. ")
    key_id, day, region, service, _ = scope
    operator = operators.get(key_id)
    if operator is None:
        return Refusal("DEFAULT_4XX", UNKNOWN_KEY)
    if service != SERVICE:
        return Refusal("INVALID_SIGNATURE", f"Credential should be scoped to correct service: '{SERVICE}'. ")
    if region != REGION:
        return Refusal("INVALID_SIGNATURE", "Credential should be scoped to a valid region. ")
    try:
        signed_at = datetime.strptime(amz_date, _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return Refusal("INVALID_SIGNATURE", MISMATCH)
    now = now or datetime.now(UTC)
    if signed_at < now - SKEW:
        return Refusal("INVALID_SIGNATURE", f"Signature expired: {amz_date} is now earlier than "
                                            f"{(now - SKEW).strftime(_STAMP)} ({now.strftime(_STAMP)} - 5 min.)")
    if signed_at > now + SKEW:
        return Refusal("INVALID_SIGNATURE", f"Signature not yet current: {amz_date} is still later than "
                                            f"{(now + SKEW).strftime(_STAMP)} ({now.strftime(_STAMP)} + 5 min.)")
    signed = params["SignedHeaders"].split(";")
    body_hash = hashlib.sha256(body).hexdigest()
    if day != amz_date[:8] or "host" not in signed or any(h not in values for h in signed) \
            or values.get("x-amz-content-sha256", [body_hash])[0] != body_hash:
        return Refusal("INVALID_SIGNATURE", MISMATCH)
    expected = _signature(operator, method, target, {h: ",".join(values[h]) for h in signed}, body, amz_date)
    if not hmac.compare_digest(expected.encode(), params["Signature"].encode()):
        return Refusal("INVALID_SIGNATURE", MISMATCH)
    return operator


def _signature(operator: Operator, method: str, target: str, signed_headers: dict[str, str], body: bytes,
               amz_date: str) -> str:
    """What botocore's SigV4 signer makes of this request with the operator's secret."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method=method, url=f"http://{signed_headers['host']}{target}", data=body,
                         headers=signed_headers)
    request.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(operator.access_key_id, operator.secret_access_key), SERVICE, REGION)
    canonical = signer.canonical_request(request)
    return signer.signature(signer.string_to_sign(request, canonical), request)

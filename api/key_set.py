"""What a token signing-key set is: a purpose's private set (its signers read it) and public set (its
verifiers read it), two secrets of the template, and the rights on them. Latchkey's own are declared in
api/access.py; a module declares its own purposes (api/module.py), and the rotation function rotates
every declared set."""

from __future__ import annotations

from dataclasses import dataclass

from api.iam import Statement, ref
from api.table import Right, right

_GET, _PUT = "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"
_PUBLISH = "Generation 0's public half, once, while the public set is still a placeholder."


@dataclass(frozen=True)
class KeySet:
    variable: str  # RESULT: the sets' variables are SIGNING_KEYS_RESULT_ARN and PUBLIC_KEYS_RESULT_ARN
    signing: str  # the logical id of the private set's secret
    public: str | None  # the public set's; None: only its signers verify
    lifetime: int | None = None  # a module's purpose: its tokens' lifetime (<VARIABLE>_TOKEN_TTL_SECONDS)
    algorithm: str = "ES256"  # the one algorithm its keys sign and verify with: ES256 (P-256) or RS256 (RSA)

    @property
    def purpose(self) -> str:
        """What its tokens' `typ` and kids name (latchkey.settings reads the variables the same way)."""
        return {"PENDING_2FA": "2fa_pending"}.get(self.variable, self.variable.lower())

    @property
    def variables(self) -> dict[str, str]:
        """Each secret's variable, by logical id."""
        named = {self.signing: f"SIGNING_KEYS_{self.variable}_ARN"}
        return named | ({self.public: f"PUBLIC_KEYS_{self.variable}_ARN"} if self.public else {})

    @property
    def lifetime_variable(self) -> dict[str, str]:
        return {f"{self.variable}_TOKEN_TTL_SECONDS": str(self.lifetime)} if self.lifetime else {}

    def sign(self, why: str) -> Right:
        return right(why, Statement((_GET,), (ref(self.signing),)),
                     environment={self.variables[self.signing]: ref(self.signing), **self.lifetime_variable})

    def verify(self, why: str) -> Right:
        assert self.public, f"{self.signing} has no public set"
        return right(why, Statement((_GET,), (ref(self.public),)),
                     environment={self.variables[self.public]: ref(self.public)})

    def publish(self) -> Right:
        assert self.public, f"{self.signing} has no public set"
        return right(_PUBLISH, Statement((_GET, _PUT), (ref(self.public),)),
                     environment={self.variables[self.public]: ref(self.public)})

"""Use cases: orchestrate the pure rules and the stores. No boto3, no HTTP.

Four tiers, each importing only the tiers below it, and no circles anywhere (pyproject.toml's
import-linter contracts; docs/development/layout.md):
- workers: mailer, signing_keys (run by a queue or a schedule; no use case imports them);
- flows: account_changes, invitations, members, password_reset, passwordless, recovery, sign_out
  (built on the core; no flow imports another);
- core: accounts, api_keys, assessments, candidates, organizations, passkeys, sessions, two_factor
  (one subject each; one may build on another, never in a circle);
- base: audit, mail, request_limits (what any use case may call; none imports another use case).
"""

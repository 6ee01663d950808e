"""Use cases: orchestrate the pure rules and the stores. No boto3, no HTTP."""

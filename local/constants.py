"""The local account's fixed identity: one region, one account id, one API id. No imports, so that a
Lambda worker can load it without anything from the dev environment."""

REGION = "us-east-1"
ACCOUNT = "123456789012"
API_ID = "local"

"""Data access: one module per DynamoDB table, the only code that imports boto3."""

"""The stores: one module per table (and the secrets), the only code that talks to AWS."""

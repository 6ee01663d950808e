"""Latchkey's shared code: settings, errors, the HTTP envelope, token rules, use cases and stores."""

"""The security tests that call handlers in process use the handler tests' fixtures."""

from tests.handlers.conftest import outbox, registered  # noqa: F401 - fixtures, registered by being here

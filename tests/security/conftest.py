"""The security tests that call handlers in process use the handler tests' fixtures."""

from tests.handlers.conftest import registered  # noqa: F401 - a fixture, registered by being here

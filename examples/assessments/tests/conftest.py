"""The handler tests' fixtures (tests/handlers/conftest.py) for the module's tests too; the root
conftest.py gives the rest (the in-process stack, the local API, the pinned clock)."""

from tests.handlers.conftest import outbox, registered  # noqa: F401 - fixtures

"""Root conftest: the shared fixtures serve tests/ and every plugin's own tests."""

pytest_plugins = ["tests.fixtures", "tests.e2e.browser"]

"""Root conftest: the test kit (core.testing, a pytest plugin) serves tests/ and every plugin's own
tests; tests/fixtures.py adds what only core's tests use."""

pytest_plugins = ["core.testing", "tests.fixtures"]

from .test_plugin import makkah  # noqa: F401 (the Makkah tenant fixture, shared by the test modules)

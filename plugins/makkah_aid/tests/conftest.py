from .test_plugin import household, makkah  # noqa: F401 (fixtures shared by the test modules)

"""Browser tests: the fixtures (live_server, browser, page, phone_page, browser_login) live in
core.testing.browser; ``screenshot`` is re-exported for the tests that import it from here."""

from core.testing.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, screenshot

__all__ = ["ARTIFACTS", "CHROMIUM", "CHROMIUM_ARGS", "screenshot"]

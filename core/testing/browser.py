"""Browser tests: the app served on 127.0.0.1 in a thread, driven by Debian's Chromium (Playwright)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from .app import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is required for browser tests (make browser-deps)")
    from playwright.sync_api import sync_playwright  # lazy: optional e2e dependency

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    """A Playwright page on the live app, Arabic locale (``page.goto("/login")``)."""
    context = browser.new_context(base_url=live_server, locale="ar-SA")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server,
        locale="ar-SA",
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def signed_in(browser, live_server, browser_login):
    """``signed_in(email, width=1366, lang="ar")``: a page of its own browser, ``width`` pixels
    wide (a phone below 768: touch, mobile) in that language, logged in as ``email`` with the
    tests' password; closed at the end of the test."""
    contexts = []

    def open_(email: str, *, width: int = 1366, lang: str = "ar"):
        phone = width < 768
        context = browser.new_context(
            base_url=live_server,
            locale="ar-SA" if lang == "ar" else "en-US",
            viewport={"width": width, "height": 812 if phone else 900},
            is_mobile=phone,
            has_touch=phone,
        )
        contexts.append(context)
        page = context.new_page()
        browser_login(page, email, PASSWORD)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def browser_login():
    def login(page, email: str, password: str) -> None:
        page.goto("/login")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()

    return login


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

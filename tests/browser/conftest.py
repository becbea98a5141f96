"""Browser tests: the real pages in headless Chromium (Playwright) against pytest-django's
live server.

Run with `pytest -m browser` (the unit run uses `-m "not browser"`). Chromium is the Debian
build at /usr/bin/chromium; without it these tests fail, they never skip.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.helpers import PageLog

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
BROWSER_DIR = Path(__file__).resolve().parent

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in tests/browser is a browser test, even a module that forgets its mark."""
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is required for the browser tests but {CHROMIUM} does not exist. "
            "Install it (Debian: apt-get install chromium) or run the unit tests only with "
            '`pytest -m "not browser"`.',
            pytrace=False,
        )
    # Playwright's sync API runs an asyncio event loop in the test thread; Django refuses ORM
    # calls (test data, the database flush) from a thread with a running loop unless told
    # that this is safe. It is: the test thread and the live server thread each have their
    # own connection. Only set while Playwright runs, so unit tests keep Django's guard.
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser: Browser, page_log: PageLog, live_server) -> Iterator[Page]:
    """A fresh browser context (no cookies) on a desktop viewport, logging to `page_log`.

    Playwright resolves relative URLs against the live server: `page.goto("/")`."""
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="nl-NL", timezone_id="Europe/Amsterdam"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("request", page_log.on_request)
    page.on("console", page_log.on_console)
    page.on("pageerror", page_log.on_page_error)
    yield page
    context.close()

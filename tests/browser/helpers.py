"""Checks shared by the browser tests: axe-core, console, network, screenshots."""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page, Request

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = PROJECT_DIR / "test-artifacts" / "screenshots"
FAILING_IMPACTS = ("serious", "critical")

_axe = Axe()


@dataclass
class PageLog:
    """What a page did: every request it made and every console error or uncaught
    exception (CSP violations are reported as console errors)."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def on_page_error(self, error: Exception) -> None:
        self.console_errors.append(f"uncaught: {error}")


def save_screenshot(page: Page, name: str) -> Path:
    """Full-page screenshot in test-artifacts/screenshots/<name>.png (gitignored)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_axe_violations(page: Page, *, screenshot: str | None = None) -> None:
    """Run axe-core on the page as it is now; fail on serious or critical violations.

    Also saves a screenshot (named after `screenshot`, or the page path) so every audited
    page state can be looked at."""
    save_screenshot(page, screenshot or urlsplit(page.url).path.strip("/") or "home")
    results = _axe.run(page)
    violations = [v for v in results.response["violations"] if v["impact"] in FAILING_IMPACTS]
    if not violations:
        return
    lines = [f"axe found {len(violations)} serious/critical violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    target {node['target']}: {node.get('failureSummary', '')!r}")
            lines.append(f"      {node['html'][:200]}")
    pytest.fail("\n".join(lines), pytrace=False)


def assert_clean_console(log: PageLog) -> None:
    """No console errors and no uncaught exceptions (a CSP violation is a console error)."""
    assert log.console_errors == [], "\n".join(log.console_errors)


def assert_same_origin_only(log: PageLog, origin: str) -> None:
    """Every request went to the live server (or stayed inside the browser: data:, blob:)."""
    foreign = [
        url
        for url in log.requests
        if not url.startswith(origin.rstrip("/") + "/")
        and urlsplit(url).scheme in {"http", "https", "ws", "wss"}
    ]
    assert log.requests, "the page made no requests at all"
    assert foreign == [], f"requests to other hosts: {foreign}"

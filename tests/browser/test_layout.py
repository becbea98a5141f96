"""Site-wide layout in a real browser: static pages, language switch, visible focus."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    PageLog,
    assert_clean_console,
    assert_no_axe_violations,
    assert_same_origin_only,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_BACKGROUND = "rgb(255, 210, 0)"  # --nl-color-accent
FOCUS_STATE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        tag: el.tagName, text: (el.textContent || "").trim().slice(0, 40),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
        background: style.backgroundColor,
    };
}"""


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("frontend:accessibility", "Toegankelijkheidsverklaring"),
        ("frontend:privacy", "Privacy"),
    ],
)
def test_content_pages_are_accessible(page, page_log, live_server, url_name, heading):
    page.goto(reverse(url_name))

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_clean_console(page_log)
    assert_same_origin_only(page_log, live_server.url)
    assert_no_axe_violations(page, screenshot=url_name.replace("frontend:", ""))


def test_switching_language_to_english_and_back(page, page_log, leiden):
    page.goto(reverse("frontend:home"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How safe does your neighbourhood feel?"
    )
    expect(page.get_by_role("link", name="Skip to main content")).to_be_attached()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    expect(page.locator("#area-map .leaflet-overlay-pane path")).to_have_count(54)
    expect(page.get_by_role("button", name="Zoom in")).to_be_visible()
    assert_no_axe_violations(page, screenshot="home-en")

    page.goto(reverse("account_login"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")
    assert_no_axe_violations(page, screenshot="account_login-en")

    page.get_by_role("button", name="Nederlands").click()

    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    assert_clean_console(page_log)


def _tab_through(page: Page, limit: int = 60) -> list[dict]:
    """Press Tab until focus wraps around; the focus state of every stop."""
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["tag"] == "BODY" or (stops and state == stops[0]):
            break
        stops.append(state)
    return stops


@pytest.mark.parametrize("url_name", ["frontend:accessibility", "account_login"])
def test_focus_is_always_visible(page, url_name):
    page.goto(reverse(url_name))

    stops = _tab_through(page)

    assert len(stops) >= 8  # skip link, brand, menu, language, content, footer
    assert stops[0]["text"] == "Naar de inhoud"
    invisible = [
        stop
        for stop in stops
        # The house focus style: a thick outline, or the yellow focus background.
        if not (stop["outline"] or stop["background"] == FOCUS_BACKGROUND)
    ]
    assert invisible == []


def test_the_checks_fail_on_what_they_guard_against(page, live_server):
    page.set_content(
        '<html><body><img src="data:,"><button></button><a href="#">x</a></body></html>'
    )
    with pytest.raises(pytest.fail.Exception, match=r"image-alt \(critical\)"):
        assert_no_axe_violations(page, screenshot="axe-self-test")

    log = PageLog(requests=[f"{live_server.url}/", "https://tile.example.org/1/2/3.png"])
    with pytest.raises(AssertionError, match=r"tile\.example\.org"):
        assert_same_origin_only(log, live_server.url)
    with pytest.raises(AssertionError, match="Refused to apply inline style"):
        assert_clean_console(PageLog(console_errors=["Refused to apply inline style"]))

"""Home page in a real browser: the buurt map without tiles, the list beside it, keyboard use."""

import pytest
from playwright.sync_api import Page, expect

from geo.codes import AreaLevel
from geo.models import Area
from tests.browser.helpers import (
    assert_clean_console,
    assert_no_axe_violations,
    assert_same_origin_only,
    save_screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLYGONS = "#area-map .leaflet-overlay-pane path"


def _active_element(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const box = el.getBoundingClientRect();
            return {id: el.id, tag: el.tagName, text: el.textContent.trim(),
                    href: el.getAttribute("href"), top: box.top, height: box.height,
                    outline: getComputedStyle(el).outlineStyle};
        }"""
    )


def test_home_draws_all_54_buurten_without_tiles_beside_the_list(
    page, page_log, live_server, leiden
):
    page.goto("/")

    expect(page.locator(POLYGONS)).to_have_count(54)
    expect(page.locator("#buurt-list .bs-area-row")).to_have_count(54)
    expect(page.locator("#buurt-list .bs-area-row button.bs-link-button")).to_have_count(54)
    expect(page.locator("#area-map .leaflet-tile")).to_have_count(0)
    expect(page.locator("#area-map-status")).to_be_empty()
    map_box = page.locator("#area-map").bounding_box()
    list_box = page.locator("#buurt-list").bounding_box()
    assert list_box["x"] >= map_box["x"] + map_box["width"]  # beside the map on desktop
    assert_same_origin_only(page_log, live_server.url)
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="home")


def test_home_map_is_fitted_to_the_municipality(page, leiden):
    page.goto("/")
    expect(page.locator(POLYGONS)).to_have_count(54)

    drawn = page.evaluate(
        """selector => {
            const boxes = [...document.querySelectorAll(selector)].map(
                p => p.getBoundingClientRect());
            const left = Math.min(...boxes.map(b => b.left));
            const top = Math.min(...boxes.map(b => b.top));
            return {x: left, y: top,
                    width: Math.max(...boxes.map(b => b.right)) - left,
                    height: Math.max(...boxes.map(b => b.bottom)) - top};
        }""",
        POLYGONS,
    )
    canvas = page.locator("#area-map").bounding_box()

    # Leiden fills the map (fit bounds), rather than sitting small in a corner or overflowing.
    assert drawn["x"] >= canvas["x"] - 1
    assert drawn["y"] >= canvas["y"] - 1
    assert drawn["x"] + drawn["width"] <= canvas["x"] + canvas["width"] + 1
    assert drawn["y"] + drawn["height"] <= canvas["y"] + canvas["height"] + 1
    assert max(drawn["width"] / canvas["width"], drawn["height"] / canvas["height"]) > 0.8


def test_buurt_in_the_list_is_highlighted_and_shown_on_the_map(page, page_log, leiden):
    buurt = Area.objects.get(level=AreaLevel.BUURT, code="BU05460000")
    page.goto("/")
    expect(page.locator(POLYGONS)).to_have_count(54)
    button = page.locator(f'.bs-area-row[data-area-code="{buurt.code}"] button')

    button.focus()

    tooltip = page.locator("#area-map .leaflet-tooltip")
    expect(tooltip).to_contain_text(buurt.name)
    expect(page.locator(f'{POLYGONS}[stroke-width="3"]')).to_have_count(1)

    button.press("Enter")

    expect(page.locator(f'.bs-area-row[data-area-code="{buurt.code}"]')).to_have_class(
        "bs-area-row bs-area-row--active"
    )
    expect(page.locator(f'{POLYGONS}[stroke-width="4"]')).to_have_count(1)
    expect(tooltip).to_contain_text(buurt.name)
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="home-buurt-selected")


def test_hovering_buurten_on_the_map_or_in_the_list_names_them(page, leiden):
    page.goto("/")
    expect(page.locator(POLYGONS)).to_have_count(54)
    tooltip = page.locator("#area-map .leaflet-tooltip")
    buurt = Area.objects.get(level=AreaLevel.BUURT, code="BU05460901")

    page.locator(f'.bs-area-row[data-area-code="{buurt.code}"]').hover()

    expect(tooltip).to_contain_text(buurt.name)
    expect(page.locator(f'{POLYGONS}[stroke-width="3"]')).to_have_count(1)

    page.mouse.move(0, 0)
    expect(page.locator(f'{POLYGONS}[stroke-width="3"]')).to_have_count(0)
    expect(tooltip).to_have_count(0)  # after Leaflet's fade-out
    page.locator("#area-map").hover()  # the middle of Leiden is always some buurt

    expect(tooltip).to_contain_text("inwoners")
    expect(page.locator(f'{POLYGONS}[stroke-width="3"]')).to_have_count(1)


def test_map_failure_is_explained_in_the_map_area_and_the_list_remains(page, leiden):
    page.route(
        "**/api/v1/geo/areas/**",
        lambda route: route.fulfill(status=503, content_type="application/json", body="{}"),
    )

    page.goto("/")

    status = page.locator("#area-map-status")
    expect(status).to_contain_text("De kaart kan nu niet worden geladen")
    expect(status).to_be_visible()
    expect(page.locator("#area-map")).to_be_hidden()
    expect(page.locator("#buurt-list .bs-area-row")).to_have_count(54)
    assert_no_axe_violations(page, screenshot="home-map-failed")


def test_empty_database_page_explains_how_to_load_areas(page, page_log):
    page.goto("/")

    expect(page.get_by_role("heading", name="Er zijn nog geen buurten geladen")).to_be_visible()
    expect(page.locator("#area-map")).to_have_count(0)
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="home-empty")


def test_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_main(page, leiden):
    page.goto("/")
    expect(page.locator(POLYGONS)).to_have_count(54)

    page.keyboard.press("Tab")

    focused = _active_element(page)
    assert focused["text"] == "Naar de inhoud"
    assert focused["href"] == "#main-content"
    assert focused["top"] >= 0  # the skip link becomes visible when focused
    assert focused["height"] >= 44
    save_screenshot(page, "home-skip-link-focused")

    page.keyboard.press("Enter")

    assert _active_element(page)["id"] == "main-content"


def test_the_map_can_be_skipped_with_the_keyboard(page, leiden):
    page.goto("/")
    expect(page.locator(POLYGONS)).to_have_count(54)
    page.locator("#main-content").focus()

    page.keyboard.press("Tab")
    assert _active_element(page)["href"].endswith("/melden/")  # the call to action comes first
    page.keyboard.press("Tab")

    focused = _active_element(page)
    assert focused["href"] == "#buurt-list"
    assert focused["outline"] == "solid"  # visible focus ring
    page.keyboard.press("Enter")
    assert _active_element(page)["id"] == "buurt-list"
    page.keyboard.press("Tab")
    assert _active_element(page)["tag"] == "BUTTON"  # first buurt in the list


def test_map_can_be_panned_and_zoomed_with_the_keyboard(page, leiden):
    page.goto("/")
    expect(page.locator(POLYGONS)).to_have_count(54)
    canvas = page.locator("#area-map")
    before = page.evaluate(
        "() => document.querySelector('#area-map .leaflet-map-pane').style.transform"
    )

    canvas.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("+")

    expect(canvas).to_be_focused()
    page.wait_for_function(
        "before => document.querySelector('#area-map .leaflet-map-pane').style.transform"
        " !== before",
        arg=before,
    )
    assert_no_axe_violations(page, screenshot="home-map-focused")


def test_mobile_layout_stacks_the_list_under_the_map(page, leiden):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    expect(page.locator(POLYGONS)).to_have_count(54)

    map_box = page.locator("#area-map").bounding_box()
    list_box = page.locator("#buurt-list").bounding_box()
    assert list_box["y"] >= map_box["y"] + map_box["height"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scroll
    assert_no_axe_violations(page, screenshot="home-mobile")

"""The public meldingen map and table in a real browser: cells drawn without tiles over the
buurt boundaries, the filter form driving the map, keyboard use, the table without the map."""

import re

import pytest
from playwright.sync_api import Page, expect

from geo.index import buurt_id_for_point
from geo.models import Area
from participation.taxonomy import taxonomy_seed_default
from reports.categories import report_categories_seed_default
from reports.models import ReportCategory
from tests.browser.helpers import (
    assert_clean_console,
    assert_no_axe_violations,
    assert_same_origin_only,
    save_screenshot,
)
from tests.reports.factories import ReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLYGONS = "#public-report-map .leaflet-overlay-pane path"
CELLS = "#public-report-map .bs-cell"
PIETERSWIJK = (52.158, 4.49)
ROOMBURG = (52.145, 4.51)
VREEWIJK = (52.16, 4.48)
MODERATED = "Glas en afval bij het bankje."
SECRET = "Jan Jansen van nummer 12"


@pytest.fixture
def reports(leiden):
    """12 litter reports in Pieterswijk (one cell: "10"), 2 youth nuisance in Roomburg ("<5"),
    9 woonoverlast in Vreewijk (restricted: never shown)."""
    taxonomy_seed_default()
    report_categories_seed_default()
    cats = {c.slug: c for c in ReportCategory.objects.all()}

    def make(slug: str, at: tuple[float, float], n: int, **fields) -> None:
        buurt = Area.objects.get(pk=buurt_id_for_point(lat=at[0], lon=at[1]))
        for _ in range(n):
            ReportFactory(
                category=cats[slug], buurt=buurt, lat=at[0], lon=at[1], description=SECRET, **fields
            )

    make("zwerfafval", PIETERSWIJK, 11)
    make("zwerfafval", PIETERSWIJK, 1, moderation="approved", public_description=MODERATED)
    make("jongerenoverlast", ROOMBURG, 2)
    make("woonoverlast", VREEWIJK, 9, moderation="approved", public_description="Woonoverlast")


def _labels(page: Page) -> list[str]:
    return sorted(page.locator(CELLS).all_inner_texts())


def test_map_draws_blurred_cells_over_buurt_boundaries_without_tiles(
    page, page_log, live_server, reports
):
    page.goto("/meldingen/kaart/")

    expect(page.locator(POLYGONS)).to_have_count(54)
    expect(page.locator(CELLS)).to_have_count(2)
    assert _labels(page) == ["10", "<5"]
    expect(page.locator("#public-report-map .leaflet-tile")).to_have_count(0)
    expect(page.locator("#public-map-status")).to_contain_text("2 vakken met meldingen")
    expect(page.locator(f"{CELLS}.bs-cell--small")).to_have_attribute(
        "aria-label", re.compile(r"^Minder dan 5 meldingen in dit vak van [0-9.]+ meter$")
    )
    assert SECRET not in page.content()
    assert_same_origin_only(page_log, live_server.url)
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="report-map")


def test_filter_form_changes_the_map_and_the_table_link(page, page_log, reports):
    page.goto("/meldingen/kaart/")
    expect(page.locator(CELLS)).to_have_count(2)

    page.get_by_label("Categorie").select_option("jongerenoverlast")
    page.get_by_role("button", name="Toon op de kaart").click()

    expect(page).to_have_url(
        re.compile(r"/meldingen/kaart/\?categorie=jongerenoverlast&periode=365")
    )
    expect(page.locator(CELLS)).to_have_count(1)
    assert _labels(page) == ["<5"]
    expect(page.get_by_role("link", name="Bekijk dezelfde meldingen als tabel")).to_have_attribute(
        "href", "/meldingen/?categorie=jongerenoverlast&periode=365"
    )
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="report-map-filtered")


def test_map_is_usable_with_the_keyboard(page, page_log, reports):
    page.goto("/meldingen/kaart/")
    expect(page.locator(CELLS)).to_have_count(2)
    canvas = page.locator("#public-report-map")
    size = canvas.get_attribute("data-cell-size")

    canvas.focus()
    page.keyboard.press("+")

    expect(canvas).not_to_have_attribute("data-cell-size", size)
    smaller = int(canvas.get_attribute("data-cell-size"))
    assert smaller == int(size) // 2
    expect(page.locator("#public-map-status")).to_contain_text(f"Vakken van {smaller} meter")

    page.keyboard.press("-")
    expect(canvas).to_have_attribute("data-cell-size", size)
    expect(page.locator(CELLS)).to_have_count(2)
    page.locator(f"{CELLS}:not(.bs-cell--small)").focus()

    expect(page.locator("#public-report-map .leaflet-tooltip")).to_contain_text(
        "Ongeveer 10 meldingen in dit vak"
    )
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="report-map-keyboard")


def test_map_failure_is_explained_and_points_to_the_table(page, reports):
    page.route(
        "**/api/v1/reports/map/**",
        lambda route: route.fulfill(status=503, content_type="application/json", body="{}"),
    )

    page.goto("/meldingen/kaart/")

    expect(page.locator("#public-map-status")).to_contain_text(
        "Alle meldingen staan ook in de tabel"
    )
    expect(page.locator("#public-report-map")).to_be_hidden()
    assert_no_axe_violations(page, screenshot="report-map-failed")


def test_table_view_lists_public_reports_and_counts_per_buurt(page, page_log, reports):
    page.goto("/meldingen/kaart/")
    page.get_by_role("link", name="Bekijk dezelfde meldingen als tabel").click()

    expect(page).to_have_url(re.compile(r"/meldingen/\?periode=365$"))
    rows = page.locator(".bs-public-rows tbody tr")
    # the 2 Roomburg reports are withheld from the rows, as in the counts per buurt ("<5")
    expect(rows).to_have_count(12)
    expect(page.locator(".bs-place-rule")).to_contain_text("minder dan 5 meldingen")
    expect(page.locator(".bs-public-rows")).to_contain_text(MODERATED)
    expect(page.locator(".bs-public-rows")).not_to_contain_text("Woonoverlast")
    summary = page.locator(".bs-public-summary__table")
    expect(summary.locator("tr", has_text="Pieterswijk")).to_contain_text("10")
    expect(summary.locator("tfoot")).to_contain_text("15")  # 14 → 15
    assert SECRET not in page.content()
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="report-list-public")


def test_table_filter_errors_are_summarised_and_linked_to_the_field(page, reports):
    page.goto("/meldingen/")
    page.get_by_label("Van").fill("2026-05-02")
    page.get_by_label("Tot en met").fill("2026-05-01")
    page.get_by_role("button", name="Toon in de tabel").click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("De laatste dag ligt vóór de eerste dag")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Tot en met")).to_be_focused()
    assert_no_axe_violations(page, screenshot="report-list-public-error")


def test_table_and_filters_work_without_javascript(browser, live_server, reports):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="nl-NL"
    )
    page = context.new_page()
    try:
        page.goto("/meldingen/")
        page.get_by_label("Categorie").select_option("zwerfafval")
        page.get_by_label("Periode").select_option("alles")
        page.get_by_role("button", name="Toon in de tabel").click()

        expect(page).to_have_url(re.compile(r"/meldingen/\?categorie=zwerfafval&periode=alles"))
        expect(page.locator(".bs-public-rows tbody tr")).to_have_count(12)

        page.goto("/meldingen/kaart/")
        expect(page.locator(".bs-public-map__noscript")).to_be_visible()
        expect(page.locator(".bs-public-summary__table")).to_be_visible()
        # axe-core needs JavaScript; this HTML is audited with it on in the other tests.
        save_screenshot(page, "report-map-no-javascript")
    finally:
        context.close()

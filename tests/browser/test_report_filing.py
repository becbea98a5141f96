"""Filing a melding in a real browser: by mouse on the map, by keyboard only through the buurt
list, without JavaScript, joining a nearby report, and the tracking page. axe on every state."""

# The reports fixtures (town, categories, …) are imported: parameters of that name are them.
# ruff: noqa: F811

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from geo.codes import AreaLevel
from geo.models import Area
from reports.models import Report, ReportSupport
from reports.services import report_message_add, report_status_change
from reports.tokens import tracking_token_for
from tests.browser.conftest import DESKTOP
from tests.browser.helpers import (
    assert_clean_console,
    assert_no_axe_violations,
    assert_same_origin_only,
    save_screenshot,
)
from tests.participation.factories import UserFactory
from tests.reports.conftest import categories  # noqa: F401
from tests.reports.factories import ReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLYGONS = "#report-map .leaflet-overlay-pane path"
BUURT = "BU05460000"  # Leiden, Binnenstad-Zuid


def _active_id(page: Page) -> str:
    return page.evaluate("() => document.activeElement.id")


def _tab_to(page: Page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element has focus (as a keyboard user would)."""
    for _ in range(limit):
        if _active_id(page) == element_id:
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached #{element_id}")


def _arrow_to(page: Page, element_id: str, value: str, limit: int = 120) -> None:
    """Change the focused select with the arrow keys until it has the value."""
    assert _active_id(page) == element_id
    for _ in range(limit):
        if page.locator(f"#{element_id}").input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"#{element_id} never reached {value!r}")


@pytest.fixture
def js_off_page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        java_script_enabled=False,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser: Browser, live_server) -> Iterator[Page]:
    """A phone-sized touch browser that shares its position (Leiden, Breestraat)."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        geolocation={"latitude": 52.1585, "longitude": 4.4893},
        permissions=["geolocation"],
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_filing_by_mouse_places_a_marker_on_the_map_and_shows_the_tracking_link(
    page, page_log, live_server, leiden, categories
):
    page.goto("/melden/")
    expect(page.locator(POLYGONS)).to_have_count(54)
    expect(page.locator("#report-map .leaflet-tile")).to_have_count(0)
    assert_no_axe_violations(page, screenshot="melden-stap1-kaart")

    page.locator("#report-map").click()  # the middle of Leiden is always some buurt

    expect(page.locator("#report-map .bs-report-pin")).to_have_count(1)
    expect(page.locator("#report-map-status")).to_contain_text("Gekozen plek: in buurt")
    lat = float(page.locator("#id_lat").input_value())
    lon = float(page.locator("#id_lon").input_value())
    assert 52.1 < lat < 52.2
    assert 4.4 < lon < 4.6
    chosen = page.locator("#id_buurt").input_value()
    assert chosen.startswith("BU0546")

    # The pin can be dragged to a better place.
    pin = page.locator("#report-map .bs-report-pin").bounding_box()
    x, y = pin["x"] + pin["width"] / 2, pin["y"] + pin["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20, y + 10, steps=5)
    page.mouse.up()
    expect(page.locator("#id_lon")).not_to_have_value(f"{lon:.6f}")
    expect(page.locator("#report-map-status")).to_contain_text("Gekozen plek: in buurt")

    # A topic with its own channel shows it at once.
    page.locator("#id_category").select_option("huiselijk-geweld")
    expect(page.locator("#report-category-note")).to_contain_text("Meld dit niet hier.")
    expect(page.locator("#report-category-note")).to_contain_text("Veilig Thuis: 0800-2000")
    assert_no_axe_violations(page, screenshot="melden-stap1-kaart-kanaal")
    page.locator("#id_category").select_option("zwerfafval")
    expect(page.locator("#report-category-note")).not_to_contain_text("Veilig Thuis")

    page.get_by_role("button", name="Controleer meldingen in de buurt").click()

    expect(page.get_by_text("Stap 2 van 2")).to_be_visible()
    expect(page.get_by_text("Aangewezen op de kaart, in buurt")).to_be_visible()
    assert_no_axe_violations(page, screenshot="melden-stap2")
    description = page.get_by_label("Wat is er aan de hand?")
    description.fill("Naast de bank ligt al dagen glas en afval.")
    expect(page.locator("#description-counter")).to_have_text("Nog 3.958 tekens over.")
    page.get_by_role("button", name="Melding versturen").click()

    expect(page.get_by_role("heading", name="Uw melding is verstuurd")).to_be_visible()
    report = Report.objects.get()
    assert report.buurt.code == page_buurt_code(report)
    token = tracking_token_for(str(report.uuid))
    link = page.locator("#track-link")
    expect(link).to_have_attribute("href", f"{live_server.url}/melding/{token}/")
    assert_no_axe_violations(page, screenshot="melden-verstuurd")

    link.click()
    expect(page.get_by_role("heading", name=f"Melding {report.reference}")).to_be_visible()
    assert_same_origin_only(page_log, live_server.url)
    assert_clean_console(page_log)


def page_buurt_code(report: Report) -> str:
    """The buurt the index gives for the stored point (the pin's final place)."""
    from geo.index import buurt_id_for_point

    return Area.objects.get(pk=buurt_id_for_point(lat=report.lat, lon=report.lon)).code


def test_filing_by_keyboard_only_through_the_buurt_list(page, page_log, leiden, categories):
    buurt = Area.objects.get(level=AreaLevel.BUURT, code=BUURT)
    page.goto("/melden/")
    expect(page.locator(POLYGONS)).to_have_count(54)

    _tab_to(page, "id_buurt")
    _arrow_to(page, "id_buurt", BUURT)
    page.keyboard.press("Tab")
    assert _active_id(page) == "id_location_description"
    page.keyboard.type("Bij de ingang van het park")
    page.keyboard.press("Tab")
    assert _active_id(page) == "id_category"
    _arrow_to(page, "id_category", "vandalisme-graffiti")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Controleer meldingen in de buurt"

    expect(page.get_by_text("Stap 2 van 2")).to_be_visible()
    expect(page.get_by_text(f"Buurt {buurt.name}: Bij de ingang van het park")).to_be_visible()
    _tab_to(page, "id_description")
    page.keyboard.type("Graffiti op de muur van het speeltuinhuisje.")
    _tab_to(page, "id_contact_email")
    page.keyboard.type("inwoner@example.test")
    page.keyboard.press("Tab")
    assert _active_id(page) == "id_contact_consent"
    page.keyboard.press("Space")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # implicit submission from the e-mail field

    expect(page.get_by_role("heading", name="Uw melding is verstuurd")).to_be_visible()
    report = Report.objects.get()
    assert (report.buurt.code, report.lat, report.contact_consent) == (BUURT, None, True)
    assert report.location_description == "Bij de ingang van het park"
    assert_clean_console(page_log)


def test_error_summary_gets_focus_and_links_to_the_fields(page, leiden, categories):
    page.goto("/melden/")
    expect(page.locator(POLYGONS)).to_have_count(54)

    page.get_by_role("button", name="Controleer meldingen in de buurt").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Geef de plek aan op de kaart")
    expect(summary).to_contain_text("Kies een onderwerp.")
    assert_no_axe_violations(page, screenshot="melden-stap1-fouten")

    summary.get_by_role("link", name="Kies een onderwerp.").click()
    assert page.evaluate("() => location.hash") == "#id_category"

    page.locator("#id_buurt").select_option(BUURT)
    page.locator("#id_location_description").fill("Bij de brug")
    page.locator("#id_category").select_option("zwerfafval")
    page.get_by_role("button", name="Controleer meldingen in de buurt").click()
    page.get_by_label("Wat is er aan de hand?").fill("Kijk <script>alert(1)</script>")
    page.get_by_role("button", name="Melding versturen").click()

    expect(page.locator("#error-summary")).to_contain_text("zonder HTML of scripts")
    expect(page.get_by_label("Wat is er aan de hand?")).to_have_value(
        "Kijk <script>alert(1)</script>"
    )
    assert_no_axe_violations(page, screenshot="melden-stap2-fouten")
    assert Report.objects.count() == 0


def test_filing_without_javascript_works_through_the_buurt_list(js_off_page, leiden, categories):
    page = js_off_page
    page.goto("/melden/")
    expect(page.locator("#report-map-block")).to_be_hidden()

    page.get_by_label("Buurt").select_option(BUURT)
    page.get_by_label("Waar precies?").fill("Achter het station")
    page.get_by_label("Waar gaat uw melding over?").select_option("te-hard-rijden")
    page.get_by_role("button", name="Controleer meldingen in de buurt").click()
    page.get_by_label("Wat is er aan de hand?").fill("Elke avond wordt hier veel te hard gereden.")
    page.get_by_role("button", name="Melding versturen").click()

    expect(page.get_by_role("heading", name="Uw melding is verstuurd")).to_be_visible()
    assert Report.objects.get().buurt.code == BUURT
    # axe runs as a script, so it cannot run here; the same pages are audited with JS on
    # (and the step without a map in test_map_failure_leaves_the_buurt_list).
    save_screenshot(page, "melden-verstuurd-zonder-js")


def test_map_failure_leaves_the_buurt_list(page, page_log, leiden, categories):
    page.route(
        "**/api/v1/geo/areas/?*",
        lambda route: route.fulfill(status=503, content_type="application/json", body="{}"),
    )
    page.goto("/melden/")

    status = page.locator("#report-map-status")
    expect(status).to_contain_text("De kaart kan nu niet worden geladen")
    expect(page.locator("#report-map")).to_be_hidden()
    expect(page.get_by_label("Buurt")).to_be_visible()
    assert_no_axe_violations(page, screenshot="melden-stap1-zonder-kaart")


def test_use_my_location_places_the_marker_on_a_phone(phone_page, leiden, categories):
    page = phone_page
    page.goto("/melden/")
    expect(page.locator(POLYGONS)).to_have_count(54)

    page.get_by_role("button", name="Gebruik mijn locatie").tap()

    expect(page.locator("#report-map .bs-report-pin")).to_have_count(1)
    expect(page.locator("#report-map-status")).to_contain_text("Gekozen plek: in buurt")
    expect(page.locator("#id_lat")).to_have_value("52.158500")
    expect(page.get_by_role("button", name="Plek wissen")).to_be_visible()
    assert_no_axe_violations(page, screenshot="melden-telefoon-locatie")

    page.get_by_role("button", name="Plek wissen").tap()
    expect(page.locator("#report-map .bs-report-pin")).to_have_count(0)
    expect(page.locator("#id_lat")).to_have_value("")


def test_use_my_location_explains_when_permission_is_refused(page, leiden, categories):
    page.goto("/melden/")
    expect(page.locator(POLYGONS)).to_have_count(54)

    page.get_by_role("button", name="Gebruik mijn locatie").click()

    expect(page.locator("#report-map-status")).to_contain_text(
        "U heeft geen toestemming gegeven om uw locatie te gebruiken"
    )
    expect(page.locator("#report-map .bs-report-pin")).to_have_count(0)
    assert_no_axe_violations(page, screenshot="melden-locatie-geweigerd")


def _check_buurt(page: Page) -> None:
    page.goto("/melden/")
    page.locator("#id_buurt").select_option(BUURT)
    page.locator("#id_location_description").fill("Bij de container")
    page.locator("#id_category").select_option("zwerfafval")
    page.get_by_role("button", name="Controleer meldingen in de buurt").click()


def test_joining_a_nearby_report_instead_of_filing_a_duplicate(page, page_log, leiden, categories):
    buurt = Area.objects.get(level=AreaLevel.BUURT, code=BUURT)
    existing = ReportFactory(
        category=categories["zwerfafval"],
        buurt=buurt,
        public_description="Vuilniszakken naast de container",
        moderation=Report.Moderation.APPROVED,
        support_count=1,
    )
    _check_buurt(page)

    nearby = page.locator(".bs-nearby__item")
    expect(nearby).to_have_count(1)
    expect(nearby).to_contain_text("Vuilniszakken naast de container")
    expect(nearby).to_contain_text("1 persoon heeft laten weten")
    assert_no_axe_violations(page, screenshot="melden-stap2-in-de-buurt")

    nearby.get_by_role("button", name="Ik heb hier ook last van").click()

    expect(page.get_by_role("heading", name="Bedankt, dit telt mee")).to_be_visible()
    expect(page.locator(".bs-meta")).to_contain_text("3 mensen")
    assert_no_axe_violations(page, screenshot="melden-ook-last-bedankt")

    _check_buurt(page)  # the same browser comes back later
    page.locator(".bs-nearby__item").get_by_role("button", name="Ik heb hier ook last van").click()
    expect(page.get_by_role("heading", name="U had dit al laten weten")).to_be_visible()
    assert_no_axe_violations(page, screenshot="melden-ook-last-al")

    existing.refresh_from_db()
    assert existing.support_count == 2
    assert ReportSupport.objects.count() == 1
    assert Report.objects.count() == 1
    assert_clean_console(page_log)


def test_tracking_page_shows_history_and_messages_and_a_helpful_404(page, leiden, categories):
    report = ReportFactory(
        category=categories["zwerfafval"],
        buurt=Area.objects.get(level=AreaLevel.BUURT, code=BUURT),
        contact_email="melder@example.test",
    )
    staff = UserFactory()
    report_status_change(report=report, actor=staff, status=Report.Status.IN_PROGRESS)
    report_message_add(
        report=report, actor=staff, body="We halen het afval deze week op.", public=True
    )

    page.goto(f"/melding/{tracking_token_for(str(report.uuid))}/")

    expect(page.get_by_role("heading", name=f"Melding {report.reference}")).to_be_visible()
    expect(page.locator(".bs-status-history li")).to_have_count(2)
    expect(page.locator(".bs-status-history li").last).to_contain_text("In behandeling")
    expect(page.get_by_text("We halen het afval deze week op.")).to_be_visible()
    assert "melder@example.test" not in page.content()
    assert_no_axe_violations(page, screenshot="melding-volgen")

    response = page.goto("/melding/bestaat-niet/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Deze melding kunnen we niet vinden")).to_be_visible()
    assert_no_axe_violations(page, screenshot="melding-niet-gevonden")

"""Burgerpanel pages in a real browser: sign-up by keyboard only, choosing the buurt on the map
with the mouse, renewed consent, profile and leaving; axe on every page state."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from geo.selectors import area_get
from participation.models import PanelMembership
from participation.selectors import consent_text_current
from participation.services import (
    burgerpanel_create,
    consent_text_create,
    consent_text_publish,
    panel_join,
    user_create,
)
from tests.browser.helpers import (
    assert_clean_console,
    assert_no_axe_violations,
    assert_same_origin_only,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Buurt-wachtwoord-2026"
POLYGONS = "#buurt-map .leaflet-overlay-pane path"
MAX_TABS = 120


@pytest.fixture
def panel(leiden):
    panel = burgerpanel_create(
        name="Burgerpanel Leiden", slug="burgerpanel-leiden", municipality_codes=["GM0546"]
    )
    text = consent_text_create(
        panel=panel,
        body="Ik doe mee aan het Burgerpanel Leiden.\n\nIk kan mij altijd uitschrijven.",
    )
    consent_text_publish(consent_text=text)
    return panel


def _sign_in(page: Page, live_server, user) -> None:
    """Reuse a Django session in the browser (the sign-in pages have their own tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _is_focused(locator: Locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def _tab_to(page: Page, locator: Locator) -> None:
    """Press Tab until the element has focus, as a keyboard user would."""
    for _ in range(MAX_TABS):
        if _is_focused(locator):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{locator} cannot be reached with the Tab key")


def _member(user, panel) -> PanelMembership:
    return panel_join(
        user=user,
        panel=panel,
        buurt=area_get(code="BU05460000"),
        age_band="25-44",
        sex="vrouw",
        consent_text=consent_text_current(panel=panel),
    )


def test_anonymous_visitor_reads_about_the_panel_and_is_asked_to_sign_in(
    page, page_log, live_server, panel
):
    page.goto(reverse("frontend:panel"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Burgerpanel")
    expect(page.get_by_role("link", name="Burgerpanel", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    assert_no_axe_violations(page, screenshot="panel-info")

    page.get_by_role("link", name="Aanmelden voor Burgerpanel Leiden").click()

    expect(page.get_by_role("link", name="Inloggen").last).to_have_attribute(
        "href", "/accounts/login/?next=%2Fburgerpanel%2Fburgerpanel-leiden%2Faanmelden%2F"
    )
    assert_clean_console(page_log)
    assert_same_origin_only(page_log, live_server.url)
    assert_no_axe_violations(page, screenshot="panel-join-sign-in")


def test_unverified_account_is_asked_to_confirm_the_email(page, page_log, live_server, panel):
    user = user_create(email="nieuw@example.test", password=PASSWORD)
    _sign_in(page, live_server, user)

    page.goto(reverse("frontend:panel-join", args=[panel.slug]))

    expect(page.get_by_text("is nog niet bevestigd")).to_be_visible()
    expect(page.get_by_role("button", name="Stuur de bevestigingsmail opnieuw")).to_be_visible()
    expect(page.get_by_label("Ik heb de toestemmingstekst gelezen", exact=False)).to_have_count(0)
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="panel-join-unverified")


def test_sign_up_by_keyboard_only(page, page_log, live_server, panel):
    user = user_create(email="inwoner@example.test", password=PASSWORD, email_verified=True)
    _sign_in(page, live_server, user)
    page.goto(reverse("frontend:panel-join", args=[panel.slug]))
    expect(page.locator(POLYGONS).first).to_be_attached()
    consent = page.get_by_role("checkbox", name="Ik heb de toestemmingstekst gelezen")
    expect(consent).not_to_be_checked()
    expect(page.get_by_text("Ik kan mij altijd uitschrijven.")).to_be_visible()
    assert_no_axe_violations(page, screenshot="panel-join-form")

    # the buurt: the select is reached and operated by keyboard
    buurt = page.get_by_label("Uw buurt", exact=True)
    _tab_to(page, buurt)
    page.keyboard.type("Pieterswijk")
    expect(buurt).to_have_value("BU05460000")
    age = page.get_by_role("radio", name="45 tot 65 jaar")
    _tab_to(page, page.get_by_role("radio", name="15 tot 25 jaar"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(age).to_be_checked()
    _tab_to(page, page.get_by_role("radio", name="man", exact=True))
    page.keyboard.press("ArrowUp")  # wraps to the last choice
    expect(page.get_by_role("radio", name="zeg ik liever niet")).to_be_checked()

    # submitting without consent: the error summary takes focus and links to the checkbox
    _tab_to(page, page.get_by_role("button", name="Aanmelden", exact=True))
    page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title("Fout: Aanmelden voor Burgerpanel Leiden – Buurtstem")
    expect(consent).to_have_accessible_description(
        "Vink aan dat u toestemming geeft. Zonder toestemming kunt u geen lid worden."
    )
    expect(page.get_by_label("Uw buurt", exact=True)).to_have_value("BU05460000")
    assert_no_axe_violations(page, screenshot="panel-join-error")
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(consent).to_be_focused()
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    _tab_to(page, page.get_by_role("button", name="Aanmelden", exact=True))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn burgerpanel")
    expect(page.get_by_role("status")).to_contain_text("U bent aangemeld voor Burgerpanel Leiden")
    assert_clean_console(page_log)
    assert_same_origin_only(page_log, live_server.url)
    assert_no_axe_violations(page, screenshot="panel-membership")
    membership = PanelMembership.objects.get(user=user)
    assert membership.buurt.code == "BU05460000"
    assert (membership.age_band, membership.sex) == ("45-64", "liever_niet")
    assert membership.consent_text.version == 1


def test_choose_buurt_on_the_map_by_mouse(page, page_log, live_server, panel):
    user = user_create(email="inwoner@example.test", password=PASSWORD, email_verified=True)
    _sign_in(page, live_server, user)
    page.goto(reverse("frontend:panel-join", args=[panel.slug]))
    buurt = page.get_by_label("Uw buurt", exact=True)
    options = buurt.locator("option:not([value=''])")
    expect(page.locator(POLYGONS)).to_have_count(options.count())
    expect(buurt).to_have_value("")

    # when: clicking in the middle of the map (a buurt of Leiden)
    page.locator("#buurt-map").scroll_into_view_if_needed()
    box = page.locator("#buurt-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    # then: the select shows the buurt and the choice is announced
    chosen = buurt.input_value()
    assert chosen.startswith("BU0546")
    name = buurt.locator(f'option[value="{chosen}"]').inner_text()
    expect(page.locator("#buurt-map-status")).to_have_text(f"Gekozen buurt: {name}")
    expect(page.locator("#buurt-map path[fill='#ffd200'][stroke='#1a1a1a']")).to_have_count(1)
    assert_no_axe_violations(page, screenshot="panel-join-map-chosen")

    page.get_by_role("radio", name="65 jaar en ouder").check()
    page.get_by_role("checkbox", name="Ik heb de toestemmingstekst gelezen").check()
    page.get_by_role("button", name="Aanmelden", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn burgerpanel")
    expect(page.get_by_text(name, exact=True)).to_be_visible()
    assert_clean_console(page_log)
    membership = PanelMembership.objects.get(user=user)
    assert (membership.buurt.code, membership.age_band, membership.sex) == (chosen, "65+", "")


def test_member_consents_to_a_new_version_and_changes_the_profile(
    page, page_log, live_server, panel
):
    user = user_create(email="panellid@example.test", password=PASSWORD, email_verified=True)
    membership = _member(user, panel)
    newer = consent_text_create(panel=panel, body="Versie twee: ook vragen over verkeer.")
    consent_text_publish(consent_text=newer)
    _sign_in(page, live_server, user)

    page.goto(reverse("frontend:panel-membership"))
    expect(page.get_by_text("Er is een nieuwe toestemmingstekst.")).to_be_visible()
    assert_no_axe_violations(page, screenshot="panel-membership-new-consent")
    page.get_by_role("link", name="Lees de nieuwe tekst (versie 2) en geef toestemming").click()
    expect(page.get_by_text("Versie twee: ook vragen over verkeer.")).to_be_visible()
    assert_no_axe_violations(page, screenshot="panel-consent-renew")
    page.get_by_role("checkbox", name="Ik heb de toestemmingstekst gelezen").check()
    page.get_by_role("button", name="Toestemming geven").click()
    expect(page.get_by_role("status")).to_contain_text("versie 2 is vastgelegd")
    membership.refresh_from_db()
    assert membership.consent_text == newer

    page.get_by_role("link", name="Gegevens wijzigen").click()
    expect(page.locator(POLYGONS).first).to_be_attached()
    expect(page.get_by_label("Uw buurt", exact=True)).to_have_value("BU05460000")
    assert_no_axe_violations(page, screenshot="panel-profile")
    page.get_by_label("Uw buurt", exact=True).select_option("BU05460001")
    page.get_by_role("radio", name="zeg ik liever niet").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uw gegevens zijn opgeslagen.")
    assert_clean_console(page_log)
    membership.refresh_from_db()
    assert (membership.buurt.code, membership.sex) == ("BU05460001", "liever_niet")


def test_leave_the_panel(page, page_log, live_server, panel):
    user = user_create(email="panellid@example.test", password=PASSWORD, email_verified=True)
    membership = _member(user, panel)
    _sign_in(page, live_server, user)

    page.goto(reverse("frontend:panel-membership"))
    page.get_by_role("link", name="Uitschrijven en toestemming intrekken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Uitschrijven voor Burgerpanel Leiden"
    )
    assert_no_axe_violations(page, screenshot="panel-leave-confirm")
    page.get_by_role("button", name="Ja, schrijf mij uit").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgeschreven")
    expect(page.get_by_text("U bent geen lid meer van Burgerpanel Leiden.")).to_be_visible()
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="panel-left")
    membership.refresh_from_db()
    assert membership.user is None
    assert membership.buurt is None
    assert (membership.age_band, membership.sex) == ("", "")

    page.goto(reverse("frontend:panel-membership"))
    expect(page.get_by_text("U bent geen lid van een burgerpanel.")).to_be_visible()
    assert_no_axe_violations(page, screenshot="panel-membership-none")

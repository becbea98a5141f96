"""The back office for meldingen in a real browser: a moderator with TOTP signs in, filters
the list, looks at the map, opens a report, changes its status with a message to the
reporter and moderates its text; an administrator checks an import file. axe on every page
and state."""

import re

import pytest
from playwright.sync_api import Page, expect

from participation.demo import ADMINISTRATOR_EMAIL, MODERATOR_EMAIL, demo_accounts_seed
from participation.taxonomy import taxonomy_seed_default
from reports.categories import report_categories_seed_default
from reports.models import Report, ReportEvent, ReportMessage
from reports.services import report_create
from tests.browser.helpers import PageLog, assert_clean_console, assert_no_axe_violations
from tests.participation.helpers import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIETERSWIJK = (52.158, 4.49)
VREEWIJK = (52.16, 4.48)
TEXT = "Al dagen liggen zakken afval naast de container bij nummer 12 van meneer Jansen."


@pytest.fixture
def back_office(settings, leiden):
    settings.BUURTSTEM_DEMO_ACCOUNTS = True
    taxonomy_seed_default()
    report_categories_seed_default()
    accounts = {account.email: account for account in demo_accounts_seed()}
    litter = report_create(
        category_slug="zwerfafval",
        description=TEXT,
        lat=PIETERSWIJK[0],
        lon=PIETERSWIJK[1],
        contact_email="melder@example.test",
        contact_consent=True,
    ).report
    youth = report_create(
        category_slug="jongerenoverlast",
        description="Elke avond een groep jongeren met harde muziek bij het speelveld.",
        lat=VREEWIJK[0],
        lon=VREEWIJK[1],
    ).report
    return accounts, litter, youth


def _sign_in(page: Page, page_log: PageLog, account) -> None:
    page.goto("/beheer/meldingen/")
    page.locator('input[name="login"]').fill(account.email)
    page.locator('input[name="password"]').fill(account.password)
    page.locator('input[name="password"]').press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    code = page.locator('input[name="code"]')
    code.fill(totp_code(account.totp_secret))
    code.press("Enter")
    expect(page).to_have_url(re.compile(r"/beheer/meldingen/$"))
    # allauth's own pages are checked by the account tests
    page_log.requests.clear()
    page_log.console_errors.clear()


def test_moderator_filters_opens_handles_and_moderates_a_report(page, page_log, back_office):
    accounts, litter, youth = back_office
    _sign_in(page, page_log, accounts[MODERATOR_EMAIL])

    # the list
    expect(page.get_by_role("heading", level=1, name="Meldingen")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="2 meldingen")).to_be_visible()
    assert_no_axe_violations(page, screenshot="staff-reports-list")

    # filter on category
    page.get_by_label("Categorie", exact=True).select_option("zwerfafval")
    page.get_by_role("button", name="Filteren").click()
    expect(page).to_have_url(re.compile(r"category=zwerfafval"))
    expect(page.get_by_role("heading", level=2, name="1 melding")).to_be_visible()
    table = page.get_by_role("table", name="Meldingen in deze selectie")
    expect(table.get_by_role("link", name=litter.reference)).to_be_visible()
    expect(table.get_by_role("link", name=youth.reference)).to_have_count(0)
    assert_no_axe_violations(page, screenshot="staff-reports-list-filtered")

    # the same selection on the map: buurt boundaries plus one exact point
    page.get_by_role("link", name="Kaart en lijst").click()
    expect(page).to_have_url(re.compile(r"category=zwerfafval.*view=map"))
    status = page.locator("#staff-map-status")
    expect(status).to_have_text("1 van 1 meldingen met een plek staan op de kaart.")
    expect(page.locator("#staff-report-map path.leaflet-interactive")).to_have_count(1)
    assert_no_axe_violations(page, screenshot="staff-reports-map")
    page.locator("#staff-report-map path.leaflet-interactive").click()
    popup_link = page.locator(".leaflet-popup").get_by_role("link", name=litter.reference)
    expect(popup_link).to_be_visible()
    assert_no_axe_violations(page, screenshot="staff-reports-map-popup")

    # open the report
    popup_link.click()
    expect(page.get_by_role("heading", level=1, name=f"Melding {litter.reference}")).to_be_visible()
    expect(page.get_by_text("melder@example.test")).to_be_visible()
    expect(page.locator("#staff-report-map path.leaflet-interactive")).to_have_count(1)
    assert_no_axe_violations(page, screenshot="staff-report-detail")

    # forwarding without a partner: an error tied to the field, summarised at the top
    page.get_by_role("radio", name="doorgestuurd naar partner").check()
    page.get_by_role("button", name="Status opslaan").click()
    summary = page.get_by_role("alert").filter(has_text="Controleer wat je hebt ingevuld")
    expect(summary).to_contain_text("Kies de partner")
    expect(page.get_by_label("Partner", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page, screenshot="staff-report-detail-error")

    # status in behandeling with a message to the reporter
    page.get_by_role("radio", name="in behandeling").check()
    page.get_by_label("Bericht aan de melder (niet verplicht)").fill(
        "Dank u wel. De wijkbeheerder kijkt er deze week naar."
    )
    page.get_by_role("button", name="Status opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("De status is nu ‘in behandeling’.")
    expect(page.get_by_text("De wijkbeheerder kijkt er deze week naar.")).to_be_visible()
    audit = page.get_by_role("table", name=re.compile("Wie wat wanneer"))
    expect(audit.get_by_role("row", name=re.compile("Status gewijzigd"))).to_contain_text(
        "Demo moderator"
    )
    assert_no_axe_violations(page, screenshot="staff-report-detail-status-changed")

    # redact the public text
    page.get_by_role("radio", name=re.compile("^Aanpassen")).check()
    page.get_by_role("textbox", name="Openbare tekst").fill(
        "Al dagen liggen zakken afval naast de container."
    )
    page.get_by_role("button", name="Moderatie opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("Moderatie opgeslagen")
    expect(page.get_by_text(TEXT)).to_be_visible()  # the original stays visible here
    assert_no_axe_violations(page, screenshot="staff-report-detail-moderated")

    litter.refresh_from_db()
    assert (litter.status, litter.moderation) == ("in_behandeling", "redacted")
    assert litter.public_description == "Al dagen liggen zakken afval naast de container."
    assert ReportMessage.objects.get(report=litter).kind == "public"
    assert set(ReportEvent.objects.filter(report=litter).values_list("action", flat=True)) >= {
        "report.status_changed",
        "report.moderated",
        "report.message_added.public",
    }

    # the moderation queue now holds only the other report
    page.goto("/beheer/meldingen/moderatie/")
    expect(page.get_by_role("link", name=f"Melding {youth.reference} beoordelen")).to_be_visible()
    expect(page.get_by_role("link", name=f"Melding {litter.reference} beoordelen")).to_have_count(0)
    assert_no_axe_violations(page, screenshot="staff-reports-moderation-queue")
    assert_clean_console(page_log)


def test_administrator_checks_and_imports_a_file(page, page_log, back_office, tmp_path):
    accounts, _litter, _youth = back_office
    _sign_in(page, page_log, accounts[ADMINISTRATOR_EMAIL])
    page.get_by_role("link", name="Meldingen importeren").click()
    expect(page.get_by_role("heading", level=1, name="Meldingen importeren")).to_be_visible()
    assert_no_axe_violations(page, screenshot="staff-reports-import")

    data = tmp_path / "meldingen.csv"
    data.write_text(
        "id;categorie;datum;status;lat;lon\n"
        f"A1;zwerfafval;2025-03-05;open;{PIETERSWIJK[0]};{PIETERSWIJK[1]}\n"
        f"A2;bestaat-niet;2025-03-05;open;{PIETERSWIJK[0]};{PIETERSWIJK[1]}\n",
        encoding="utf-8",
    )
    page.get_by_label("Bestand met meldingen").set_input_files(str(data))
    page.get_by_label("Naam van het bronsysteem").fill("mor")
    page.get_by_label("Goede rijen inlezen, ook als andere rijen fouten hebben").check()
    page.get_by_role("button", name=re.compile("^Controleren")).click()

    issues = page.get_by_role("table", name="Rijen met een fout of die worden overgeslagen")
    expect(issues).to_contain_text("geen categorie van Buurtstem")
    assert_no_axe_violations(page, screenshot="staff-reports-import-dry-run")
    assert not Report.objects.filter(source="import").exists()

    page.get_by_role("button", name="Nu importeren").click()
    expect(page.get_by_text("1 van 2 rijen ingelezen")).to_be_visible()
    assert_no_axe_violations(page, screenshot="staff-reports-import-done")
    assert Report.objects.filter(source="import").count() == 1
    assert_clean_console(page_log)

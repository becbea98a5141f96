"""Reports per 1,000 inhabitants in a real browser: a policy officer with TOTP looks at the
figures per wijk, switches to buurten, and meets a form error; a wijkraad member signs in and
sees the published overview of the own areas. axe on every page and state."""

import re

import pytest
from playwright.sync_api import Page, expect

from geo.models import Area
from participation.demo import (
    POLICY_STAFF_EMAIL,
    WIJKRAAD_MEMBER_EMAIL,
    demo_accounts_seed,
)
from participation.taxonomy import taxonomy_seed_default
from reports.categories import report_categories_seed_default
from reports.services import report_create
from tests.browser.helpers import PageLog, assert_clean_console, assert_no_axe_violations
from tests.participation.helpers import totp_code
from tests.surveys.weighting_helpers import young_and_old

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIETERSWIJK = (52.158, 4.49)  # in the demo wijkraad's Binnenstad
HOOGLANDSE_KERK = (52.1595, 4.4935)


@pytest.fixture
def accounts(settings, leiden):
    settings.BUURTSTEM_DEMO_ACCOUNTS = True
    taxonomy_seed_default()
    report_categories_seed_default()
    for i in range(9):  # 7 in one buurt (shown as 5), 2 in another (withheld: "<5")
        lat, lon = PIETERSWIJK if i < 7 else HOOGLANDSE_KERK
        report_create(
            category_slug="zwerfafval",
            description=f"Afval naast de container, dag {i}.",
            lat=lat,
            lon=lon,
        )
    # a survey wave answered in Pieterswijk (wijk Binnenstad-Zuid): its indicators show too
    young_and_old([Area.objects.get(code="BU05460000")])
    return {account.email: account for account in demo_accounts_seed()}


def _sign_in(page: Page, page_log: PageLog, account, url: str, *, totp: bool) -> None:
    page.goto(url)
    page.locator('input[name="login"]').fill(account.email)
    page.locator('input[name="password"]').fill(account.password)
    page.locator('input[name="password"]').press("Enter")
    if totp:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
        code = page.locator('input[name="code"]')
        code.fill(totp_code(account.totp_secret))
        code.press("Enter")
    page_log.requests.clear()
    page_log.console_errors.clear()


def test_policy_officer_reads_rates_per_wijk_and_buurt(page, page_log, accounts):
    _sign_in(page, page_log, accounts[POLICY_STAFF_EMAIL], "/beheer/analyse/", totp=True)

    expect(
        page.get_by_role("heading", level=1, name="Meldingen per 1.000 inwoners")
    ).to_be_visible()
    table = page.get_by_role("table", name="Meldingen per gebied")
    expect(table.get_by_role("rowheader", name=re.compile("Binnenstad-Zuid"))).to_be_visible()
    expect(table.locator("tfoot")).to_contain_text("Gemeente Leiden")
    expect(page.get_by_role("heading", level=2, name="Per veiligheidsveld")).to_be_visible()
    assert_no_axe_violations(page, screenshot="staff-analysis-wijken")

    page.get_by_label("Gebieden").select_option("buurt")
    page.get_by_role("button", name="Toon de cijfers").click()
    expect(page).to_have_url(re.compile(r"niveau=buurt"))
    expect(page.get_by_role("heading", level=2, name="Per buurt")).to_be_visible()
    assert_no_axe_violations(page, screenshot="staff-analysis-buurten")

    page.get_by_label("Van").fill("2026-06-01")
    page.get_by_label("Tot en met").fill("2026-01-01")
    page.get_by_role("button", name="Toon de cijfers").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("De laatste dag ligt vóór de eerste dag")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Tot en met")).to_be_focused()
    assert_no_axe_violations(page, screenshot="staff-analysis-error")
    assert_clean_console(page_log)


def test_wijkraad_member_sees_the_published_overview(page, page_log, accounts):
    _sign_in(page, page_log, accounts[WIJKRAAD_MEMBER_EMAIL], "/wijkraad/", totp=False)

    expect(page).to_have_url(re.compile(r"/wijkraad/wijkraad-binnenstad/$"))
    expect(
        page.get_by_role("heading", level=1, name="Overzicht voor Wijkraad Binnenstad")
    ).to_be_visible()
    buurten = page.get_by_role("table", name=re.compile("Meldingen per buurt van de wijkraad"))
    expect(buurten).to_be_visible()
    expect(buurten).to_contain_text("<5")
    expect(page.get_by_role("heading", level=2, name="Zo beschermen we de privacy")).to_be_visible()
    survey = page.get_by_role("table", name=re.compile("Indicatoren uit de buurtenquête"))
    expect(survey).to_contain_text("Binnenstad-Zuid (WK054600)")
    assert_no_axe_violations(page, screenshot="wijkraad-summary")
    assert_clean_console(page_log)

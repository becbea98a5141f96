"""The indicator trend page in a real browser: a policy officer compares two waves, then picks
the same wave twice and follows the error to the field. axe on every state."""

import re

import pytest
from playwright.sync_api import expect

from participation.demo import POLICY_STAFF_EMAIL, demo_accounts_seed
from tests.browser.helpers import assert_clean_console, assert_no_axe_violations
from tests.geo.factories import AreaFactory
from tests.participation.helpers import totp_code
from tests.surveys.test_trends import wave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(settings):
    settings.BUURTSTEM_DEMO_ACCOUNTS = True
    buurten = [AreaFactory(code="BU05469000", col=0)]
    wave(buurten, feel=lambda i: "nooit", mark=7)
    wave(buurten, feel=lambda i: "vaak" if i < 12 else "nooit", mark=7)
    return {a.email: a for a in demo_accounts_seed()}[POLICY_STAFF_EMAIL]


def test_policy_officer_compares_two_waves(page, page_log, officer):
    page.goto("/beheer/vragenlijsten/trend/")
    page.locator('input[name="login"]').fill(officer.email)
    page.locator('input[name="password"]').fill(officer.password)
    page.locator('input[name="password"]').press("Enter")
    code = page.locator('input[name="code"]')
    code.fill(totp_code(officer.totp_secret))
    code.press("Enter")
    expect(page).to_have_url(re.compile(r"/beheer/vragenlijsten/trend/$"))
    page_log.console_errors.clear()

    table = page.get_by_role("table", name="Indicatoren in beide metingen")
    expect(
        table.get_by_role("row", name=re.compile("^I1 Voelt zich wel eens onveilig"))
    ).to_contain_text("ja")
    assert_no_axe_violations(page, screenshot="survey-trend")

    page.get_by_label("Latere meting").select_option(index=1)
    page.get_by_label("Eerdere meting (nulmeting)").select_option(index=1)
    page.get_by_role("button", name="Vergelijk").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Kies twee verschillende metingen")
    expect(summary).to_be_focused()
    summary.get_by_role("link").click()
    expect(page.get_by_label("Latere meting")).to_be_focused()
    assert_no_axe_violations(page, screenshot="survey-trend-error")
    assert_clean_console(page_log)

"""Staff sign-in in a real browser: allauth's login form, the TOTP step, then /beheer/."""

import re

import pytest
from playwright.sync_api import Page, expect

from participation.demo import POLICY_STAFF_EMAIL, demo_accounts_seed
from participation.models import User
from participation.services import user_role_grant
from tests.browser.helpers import PageLog, assert_clean_console, assert_no_axe_violations
from tests.participation.helpers import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_accounts(settings, leiden):
    settings.BUURTSTEM_DEMO_ACCOUNTS = True
    return {account.email: account for account in demo_accounts_seed()}


def _sign_in(page: Page, *, email: str, password: str, totp_secret: str) -> None:
    page.goto("/beheer/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=(/|%2F)beheer(/|%2F)$"))
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(password)
    page.locator('input[name="password"]').press("Enter")

    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    code = page.locator('input[name="code"]')
    code.fill(totp_code(totp_secret))
    code.press("Enter")
    expect(page).to_have_url(re.compile(r"/beheer/$"))


def _forget_sign_in_pages(page_log: PageLog) -> None:
    """The console checks are about the staff pages; allauth's own pages (and the browser's
    favicon request on them) are checked by the account-page tests."""
    page_log.requests.clear()
    page_log.console_errors.clear()


def test_policy_staff_signs_in_with_totp_and_reaches_beheer(
    page, page_log, live_server, demo_accounts
):
    account = demo_accounts[POLICY_STAFF_EMAIL]

    _sign_in(page, email=account.email, password=account.password, totp_secret=account.totp_secret)
    _forget_sign_in_pages(page_log)
    page.reload()

    expect(page).to_have_url(f"{live_server.url}/beheer/")
    expect(page.get_by_role("heading", level=1, name="Beheer")).to_be_visible()
    expect(page.get_by_text("Beleidsmedewerker", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Gebieden per niveau en jaargang")).to_be_visible()
    expect(page.get_by_role("link", name="Rollen van medewerkers beheren")).to_have_count(0)
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="staff-home")


def test_administrator_manages_roles_in_the_browser(page, page_log, live_server, demo_accounts):
    admin = demo_accounts["beheer@buurtstem.test"]
    _sign_in(page, email=admin.email, password=admin.password, totp_secret=admin.totp_secret)
    _forget_sign_in_pages(page_log)

    page.get_by_role("link", name="Rollen van medewerkers beheren").click()
    expect(page.get_by_role("heading", level=1, name="Rollen van medewerkers")).to_be_visible()
    assert_no_axe_violations(page, screenshot="staff-roles")

    # An unknown address: the error is tied to the field.
    page.get_by_label("E-mailadres").fill("niemand@buurtstem.test")
    page.get_by_role("button", name="Opslaan").click()
    email = page.get_by_label("E-mailadres")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email_error")).to_contain_text("geen account met dit e-mailadres")
    assert_no_axe_violations(page, screenshot="staff-roles-error")

    # Grant the moderator role to the resident demo account.
    email.fill("bewoner@buurtstem.test")
    page.get_by_label("Rol", exact=True).select_option("moderator")
    page.get_by_role("radio", name="Rol toekennen").check()
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("status")).to_contain_text(
        "bewoner@buurtstem.test heeft nu de rol Moderator."
    )
    expect(page.get_by_role("row", name=re.compile("bewoner@buurtstem.test"))).to_contain_text(
        "Moderator"
    )
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="staff-roles-granted")


def test_new_staff_member_sets_up_totp_before_reaching_beheer(
    page, page_log, live_server, demo_accounts
):
    # given: a resident who was just made policy staff, without two-step verification
    resident = User.objects.get(email="bewoner@buurtstem.test")
    user_role_grant(user=resident, role_key="policy_staff", granted_by=None)
    password = demo_accounts[resident.email].password

    page.goto("/accounts/login/?next=/beheer/")
    page.locator('input[name="login"]').fill(resident.email)
    page.locator('input[name="password"]').fill(password)
    page.locator('input[name="password"]').press("Enter")

    # then: sent to TOTP setup, with the explanation; allauth asks for the password first
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/\?next=.*totp.*activate"))
    expect(page.get_by_text("eerst tweestapsverificatie instellen")).to_be_visible()
    page.locator('input[name="password"]').fill(password)
    page.locator('input[name="password"]').press("Enter")

    # when: the secret is added to an "authenticator app" and the code entered
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    secret = page.locator("#authenticator_secret").input_value()
    page.locator('input[name="code"]').fill(totp_code(secret))
    page.locator('input[name="code"]').press("Enter")
    expect(page).not_to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))

    # then: /beheer/ asks to confirm this session with a code once, then opens
    page.goto("/beheer/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/reauthenticate/\?next=(/|%2F)beheer"))
    page.locator('input[name="code"]').fill(totp_code(secret))
    page.locator('input[name="code"]').press("Enter")
    expect(page).to_have_url(f"{live_server.url}/beheer/")
    expect(page.get_by_role("heading", level=1, name="Beheer")).to_be_visible()
    _forget_sign_in_pages(page_log)
    page.reload()
    assert_clean_console(page_log)

"""Account pages (django-allauth) in the Buurtstem layout: accessible in every state."""

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from participation.services import user_create
from tests.browser.helpers import (
    assert_clean_console,
    assert_no_axe_violations,
    assert_same_origin_only,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "inwoner@example.test"
PASSWORD = "Buurt-wachtwoord-2026"


@pytest.fixture
def resident():
    return user_create(email=EMAIL, password=PASSWORD, email_verified=True)


def _log_in(page: Page) -> None:
    page.goto(reverse("account_login"))
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("status").filter(has_text="U bent ingelogd")).to_be_visible()


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_login", "Inloggen"),
        ("account_signup", "Account aanmaken"),
        ("account_reset_password", "Nieuw wachtwoord aanvragen"),
    ],
)
def test_entrance_pages_are_accessible(page, page_log, live_server, url_name, heading):
    page.goto(reverse(url_name))

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page).to_have_title(f"{heading} – Buurtstem")
    assert_clean_console(page_log)
    assert_same_origin_only(page_log, live_server.url)
    assert_no_axe_violations(page, screenshot=url_name)


def test_failed_login_shows_an_accessible_error(page, page_log, resident):
    page.goto(reverse("account_login"))
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord", exact=True).fill("niet-het-wachtwoord")

    page.get_by_role("button", name="Inloggen").click()

    expect(page.get_by_role("alert")).to_contain_text("Het e-mailadres of het wachtwoord")
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="account_login-error")


def test_signup_reports_field_errors_then_asks_to_confirm_the_email(page, page_log):
    page.goto(reverse("account_signup"))
    page.get_by_label("E-mailadres").fill("nieuw@example.test")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (nog een keer)").fill(PASSWORD + "!")
    page.get_by_role("button", name="Account aanmaken").click()

    repeat = page.get_by_label("Wachtwoord (nog een keer)")
    expect(repeat).to_have_attribute("aria-invalid", "true")
    expect(repeat).to_have_accessible_description("Vul twee keer hetzelfde wachtwoord in.")
    assert_no_axe_violations(page, screenshot="account_signup-error")

    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    repeat.fill(PASSWORD)
    page.get_by_role("button", name="Account aanmaken").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestig uw e-mailadres")
    assert len(mail.outbox) == 1
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="account_verification_sent")


def test_password_reset_request_is_confirmed(page, page_log, resident):
    page.goto(reverse("account_reset_password"))
    page.get_by_label("E-mailadres").fill(EMAIL)

    page.get_by_role("button", name="E-mail versturen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw wachtwoord aanvragen")
    expect(page.get_by_text("We hebben u een e-mail gestuurd")).to_be_visible()
    assert len(mail.outbox) == 1
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="account_reset_password-done")


@pytest.mark.parametrize(
    "url_name",
    ["account_email", "account_change_password", "mfa_index"],
)
def test_account_management_pages_are_accessible(page, page_log, resident, url_name):
    _log_in(page)

    page.goto(reverse(url_name))

    expect(page.get_by_role("navigation", name="Mijn account")).to_be_visible()
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot=url_name)


def test_two_step_verification_setup_after_confirming_the_password(page, page_log, resident):
    _log_in(page)
    page.goto(reverse("mfa_index"))

    page.locator(f'a[href="{reverse("mfa_activate_totp")}"]').click()

    # allauth asks for the password again before security settings change.
    expect(page.get_by_label("Wachtwoord", exact=True)).to_be_visible()
    assert_no_axe_violations(page, screenshot="account_reauthenticate")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Bevestigen").click()

    expect(page).to_have_url(f"{reverse('mfa_activate_totp')}")
    expect(page.locator("img.bs-qr")).to_be_visible()
    expect(page.get_by_role("navigation", name="Mijn account")).to_be_visible()
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="mfa_activate_totp")


def test_logging_out_through_the_header(page, page_log, resident):
    _log_in(page)
    expect(page.get_by_role("link", name="Inloggen")).to_have_count(0)

    page.get_by_role("button", name="Uitloggen").click()

    expect(page.get_by_role("status").filter(has_text="U bent uitgelogd.")).to_be_visible()
    expect(page.get_by_role("link", name="Inloggen")).to_be_visible()
    assert_clean_console(page_log)
    assert_no_axe_violations(page, screenshot="logged-out")

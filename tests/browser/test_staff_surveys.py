"""Staff survey pages in a real browser: policy staff signs in with TOTP, creates the
Veiligheidsmonitor template in one click, previews and publishes it, sets up and sends an
invitation wave, and looks at the results; the builder's forms and errors; moderation.
axe-core runs on every page and state."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from participation.demo import (
    ADMINISTRATOR_EMAIL,
    MODERATOR_EMAIL,
    POLICY_STAFF_EMAIL,
    demo_accounts_seed,
)
from tests.browser.helpers import PageLog, assert_clean_console, assert_no_axe_violations
from tests.participation.helpers import totp_code
from tests.surveys.helpers import build_survey, q, submit_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_accounts(settings, leiden):
    settings.BUURTSTEM_DEMO_ACCOUNTS = True
    return {account.email: account for account in demo_accounts_seed()}


def _sign_in(page: Page, account, next_path: str = "/beheer/") -> None:
    page.goto(next_path)
    page.locator('input[name="login"]').fill(account.email)
    page.locator('input[name="password"]').fill(account.password)
    page.locator('input[name="password"]').press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    code = page.locator('input[name="code"]')
    code.fill(totp_code(account.totp_secret))
    code.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def _forget_sign_in_pages(page_log: PageLog) -> None:
    page_log.requests.clear()
    page_log.console_errors.clear()


def test_policy_staff_creates_previews_publishes_invites_and_views_results(
    page, page_log, live_server, demo_accounts
):
    _sign_in(page, demo_accounts[POLICY_STAFF_EMAIL])
    _forget_sign_in_pages(page_log)

    page.get_by_role("link", name="Naar de vragenlijsten").click()
    expect(page.get_by_role("heading", level=1, name="Vragenlijsten")).to_be_visible()
    expect(page.get_by_text("Er zijn nog geen vragenlijsten.")).to_be_visible()
    expect(page.get_by_role("radio", name="Alleen burgerpanel: Burgerpanel Leiden")).to_be_checked()
    assert_no_axe_violations(page, screenshot="staff-surveys-list-empty")

    # One click on the template.
    page.get_by_role("button", name="Buurtenquête veiligheid (Veiligheidsmonitor)").click()
    expect(page.get_by_role("heading", level=1, name="Buurtenquête veiligheid")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("is aangemaakt als concept")
    expect(page.get_by_role("heading", name="Onderdeel 2: Overlast in uw buurt")).to_be_visible()
    assert_no_axe_violations(page, screenshot="staff-survey-builder")

    page.get_by_role("link", name="Voorbeeld bekijken").click()
    expect(page.locator(".bs-preview-banner")).to_contain_text("Voorbeeld")
    expect(
        page.get_by_role("group", name=re.compile("Hoe vaak voelt u zich onveilig"))
    ).to_be_visible()
    expect(page.get_by_role("radio", name="Vaak").first).to_be_disabled()
    assert_no_axe_violations(page, screenshot="staff-survey-preview")

    page.get_by_role("link", name="Naar publiceren").click()
    expect(page.get_by_text("Versie 1 is klaar om te publiceren.")).to_be_visible()
    assert_no_axe_violations(page, screenshot="staff-survey-publish")
    page.get_by_role("button", name="Versie 1 publiceren").click()
    expect(page.get_by_role("status")).to_contain_text("Versie 1 is gepubliceerd")
    expect(page.get_by_role("button", name="Nieuwe versie maken")).to_be_visible()
    assert_no_axe_violations(page, screenshot="staff-survey-published")

    # An invitation wave: one member drawn from the whole panel.
    page.get_by_role("navigation", name="Onderdelen van deze vragenlijst").get_by_role(
        "link", name="Uitnodigingen"
    ).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Uitnodigingen"))).to_be_visible()
    expect(page.get_by_text("Nu kan 1 panellid worden uitgenodigd.")).to_be_visible()
    assert_no_axe_violations(page, screenshot="staff-survey-waves")

    page.get_by_role("button", name="Ronde klaarzetten").click()  # no name, no targets
    expect(page.get_by_role("alert")).to_contain_text("Naam van de ronde")
    expect(page.get_by_label("Naam van de ronde")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page, screenshot="staff-survey-waves-error")

    page.get_by_label("Naam van de ronde").fill("Eerste ronde")
    page.get_by_role("radio", name="Gestratificeerde steekproef").check()
    page.get_by_label("Aantal voor Alle buurten, alle leeftijden").fill("1")
    page.get_by_role("button", name="Ronde klaarzetten").click()
    expect(page.get_by_role("status")).to_contain_text("Ronde 'Eerste ronde' is klaargezet")
    page.get_by_role("button", name="Versturen – Eerste ronde").click()
    expect(page.get_by_role("status")).to_contain_text("1 uitnodiging gaat per e-mail de deur uit")
    expect(page.get_by_role("row", name=re.compile("Eerste ronde"))).to_contain_text("1")
    assert [m.to for m in mail.outbox] == [["panellid@buurtstem.test"]]
    assert_no_axe_violations(page, screenshot="staff-survey-waves-sent")

    page.get_by_role("navigation", name="Onderdelen van deze vragenlijst").get_by_role(
        "link", name="Resultaten"
    ).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Resultaten"))).to_be_visible()
    expect(page.get_by_text("minder dan 10")).to_be_visible()
    assert_no_axe_violations(page, screenshot="staff-survey-results-empty")
    assert_clean_console(page_log)


def test_builder_forms_show_errors_and_hide_fields_of_other_types(
    page, page_log, live_server, demo_accounts
):
    _sign_in(page, demo_accounts[POLICY_STAFF_EMAIL], "/beheer/vragenlijsten/nieuw/")
    _forget_sign_in_pages(page_log)
    assert_no_axe_violations(page, screenshot="staff-survey-create")

    page.get_by_role("radio", name="alleen burgerpanel (op uitnodiging)").check()
    page.get_by_role("button", name="Vragenlijst aanmaken").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Titel")
    expect(page.get_by_label("Titel", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page, screenshot="staff-survey-create-error")

    page.get_by_label("Titel", exact=True).fill("Parkeren in de binnenstad")
    page.get_by_role("radio", name="open link (indicatief)").check()
    page.get_by_role("button", name="Vragenlijst aanmaken").click()
    expect(page.get_by_role("heading", level=1, name="Parkeren in de binnenstad")).to_be_visible()

    page.get_by_role("link", name="Onderdeel toevoegen").click()
    assert_no_axe_violations(page, screenshot="staff-survey-section-form")
    page.get_by_label("Titel van het onderdeel").fill("Parkeren")
    page.get_by_role("button", name="Opslaan").click()

    page.get_by_label("Soort nieuwe vraag in onderdeel 1").select_option("multiple_choice")
    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.get_by_label("Maximaal aantal keuzes")).to_be_visible()
    expect(page.get_by_label("Rijen van de tabel")).to_be_hidden()
    page.get_by_label("Soort vraag").select_option("grid")
    expect(page.get_by_label("Rijen van de tabel")).to_be_visible()
    expect(page.get_by_label("Maximaal aantal keuzes")).to_be_hidden()
    page.get_by_label("Soort vraag").select_option("multiple_choice")
    assert_no_axe_violations(page, screenshot="staff-survey-question-form")

    page.get_by_label("Code").fill("P1")
    page.get_by_label("Vraag", exact=True).fill("Waar parkeert u meestal?")
    page.get_by_label("Antwoordmogelijkheden").fill("straat | Op straat")
    page.get_by_role("button", name="Vraag opslaan").click()
    expect(page.get_by_label("Antwoordmogelijkheden")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_options_error")).to_contain_text("ten minste twee")
    assert_no_axe_violations(page, screenshot="staff-survey-question-form-error")

    page.get_by_role("link", name="Antwoordmogelijkheden: ").click()
    page.get_by_label("Antwoordmogelijkheden").fill("straat | Op straat\ngarage | In een garage")
    page.get_by_role("button", name="Vraag opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Vraag P1 is toegevoegd.")
    expect(page.get_by_text("Waar parkeert u meestal?")).to_be_visible()

    page.get_by_role("link", name="Verwijderen – P1").click()
    assert_no_axe_violations(page, screenshot="staff-survey-confirm-delete")
    page.get_by_role("link", name="Nee, terug").click()

    page.get_by_role("link", name="Publiceren", exact=True).click()
    page.get_by_role("button", name="Versie 1 publiceren").click()
    page.get_by_role("link", name="Sluiten", exact=True).click()
    assert_no_axe_violations(page, screenshot="staff-survey-close")
    page.get_by_role("button", name="Ja, sluiten").click()
    expect(page.get_by_role("status")).to_contain_text("De vragenlijst is gesloten.")
    assert_clean_console(page_log)


def test_moderator_approves_open_answers_and_administrator_sees_results(
    page, page_log, live_server, demo_accounts, settings, browser
):
    settings.SURVEYS_MIN_CELL_N = 3
    settings.SURVEYS_MIN_OPEN_K = 3
    survey = build_survey(questions=[q("K"), q("C", type="mark_1_10"), q("T", type="open_text")])
    for i in range(4):
        submit_open(survey, {"K": "ab"[i % 2], "C": 6 + i, "T": f"Open antwoord nummer {i}"})

    _sign_in(
        page, demo_accounts[MODERATOR_EMAIL], f"/beheer/vragenlijsten/{survey.pk}/open-antwoorden/"
    )
    _forget_sign_in_pages(page_log)
    expect(page.get_by_role("blockquote").first).to_have_text("Open antwoord nummer 0")
    assert_no_axe_violations(page, screenshot="staff-survey-moderation")
    for _ in range(3):
        item = page.locator(".bs-moderation-item").first
        item.get_by_role("radio", name="Goedkeuren").check()
        item.get_by_role("button", name=re.compile("Beoordeling opslaan")).click()
        expect(page.get_by_role("status")).to_contain_text("De beoordeling is opgeslagen.")
    page.get_by_role("link", name="Goedgekeurd").click()
    expect(page.locator(".bs-moderation-item")).to_have_count(3)
    assert_no_axe_violations(page, screenshot="staff-survey-moderation-approved")
    assert_clean_console(page_log)

    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    admin_page = context.new_page()
    _sign_in(
        admin_page,
        demo_accounts[ADMINISTRATOR_EMAIL],
        f"/beheer/vragenlijsten/{survey.pk}/resultaten/",
    )
    expect(admin_page.get_by_text("Indicatief", exact=True)).to_be_visible()
    expect(admin_page.get_by_role("table", name=re.compile("Antwoorden op K"))).to_contain_text(
        "50,0%"
    )
    expect(admin_page.get_by_text("Open antwoord nummer 1")).to_be_visible()
    expect(admin_page.get_by_text("Open antwoord nummer 3")).to_have_count(0)
    assert_no_axe_violations(admin_page, screenshot="staff-survey-results")
    with admin_page.expect_download() as download:
        admin_page.get_by_role("link", name=re.compile("downloaden")).click()
    assert download.value.suggested_filename.endswith("-v1-antwoorden.csv")
    context.close()

"""The veiligheidsplan in a real browser: a policy officer creates a plan, adds a priority and
a goal (meeting a form error first), previews figures from reports and freezes them into the
plan, and opens the annex. axe on every page and state."""

import re

import pytest
from playwright.sync_api import Page, expect

from participation.demo import POLICY_STAFF_EMAIL, demo_accounts_seed
from participation.models import EvidenceBlock
from participation.taxonomy import taxonomy_seed_default
from reports.categories import report_categories_seed_default
from reports.services import report_create
from tests.browser.helpers import PageLog, assert_clean_console, assert_no_axe_violations
from tests.participation.helpers import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIETERSWIJK = (52.158, 4.49)


@pytest.fixture
def officer(settings, leiden):
    settings.BUURTSTEM_DEMO_ACCOUNTS = True
    taxonomy_seed_default()
    report_categories_seed_default()
    for i in range(6):
        report_create(
            category_slug="jongerenoverlast",
            description=f"Groep jongeren met harde muziek, avond {i}.",
            lat=PIETERSWIJK[0],
            lon=PIETERSWIJK[1],
        )
    accounts = {account.email: account for account in demo_accounts_seed()}
    return accounts[POLICY_STAFF_EMAIL]


def _sign_in(page: Page, page_log: PageLog, account) -> None:
    page.goto("/beheer/ivp/")
    page.locator('input[name="login"]').fill(account.email)
    page.locator('input[name="password"]').fill(account.password)
    page.locator('input[name="password"]').press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    code = page.locator('input[name="code"]')
    code.fill(totp_code(account.totp_secret))
    code.press("Enter")
    expect(page).to_have_url(re.compile(r"/beheer/ivp/$"))
    page_log.requests.clear()
    page_log.console_errors.clear()


def test_policy_officer_builds_a_plan_with_frozen_evidence(page, page_log, officer):
    _sign_in(page, page_log, officer)
    expect(page.get_by_role("heading", level=1, name="Veiligheidsplannen")).to_be_visible()
    assert_no_axe_violations(page, screenshot="plans-list")

    page.get_by_label("Titel").fill("IVP Leiden 2027–2030")
    page.get_by_label("Eerste jaar").fill("2027")
    page.get_by_label("Laatste jaar").fill("2030")
    page.get_by_role("button", name="Plan aanmaken").click()
    expect(page.get_by_role("heading", level=1, name="IVP Leiden 2027–2030")).to_be_visible()
    assert_no_axe_violations(page, screenshot="plan-detail-new")

    priority_form = page.locator("#priority-form")
    priority_form.get_by_label("Veiligheidsveld of thema").select_option(label="3.1 Jeugdoverlast")
    priority_form.get_by_label("Titel").fill("Minder overlast van jongeren")
    priority_form.get_by_role("button", name="Prioriteit toevoegen").click()
    expect(
        page.get_by_role("heading", level=3, name="Minder overlast van jongeren")
    ).to_be_visible()

    # a goal with a target year after the plan: the error is named and summarised
    page.get_by_text("Doel toevoegen").click()
    goal_form = page.locator("form[id^=goal-form-]")
    goal_form.get_by_label("Doel:", exact=True).fill("Minder meldingen van jeugdoverlast")
    goal_form.get_by_label("Indicator:", exact=True).fill(
        "Meldingen jeugdoverlast per 1.000 inwoners"
    )
    goal_form.get_by_label("Eenheid").select_option("per_1000")
    goal_form.get_by_label("Doel (waarde)").fill("5,0")
    goal_form.get_by_label("Doeljaar").fill("2035")
    goal_form.get_by_role("button", name="Doel opslaan").click()
    summary = page.get_by_role("alert").filter(has_text="Controleer wat je hebt ingevuld")
    expect(summary).to_contain_text("looptijd van het plan")
    assert_no_axe_violations(page, screenshot="plan-goal-error")
    # the refused form comes back with HTTP 400, which the browser logs; nothing else may
    assert [e for e in page_log.console_errors if "400" not in e] == []
    page_log.console_errors.clear()
    goal_form = page.locator("form[id^=goal-form-]")
    goal_form.get_by_label("Doeljaar").fill("2030")
    goal_form.get_by_role("button", name="Doel opslaan").click()
    expect(page.get_by_text("Het doel is toegevoegd.")).to_be_visible()

    # evidence from reports: preview, then freeze at the goal
    page.get_by_role("link", name="Bewijs uit meldingen toevoegen").click()
    expect(page.get_by_role("heading", level=1, name="Bewijs uit meldingen")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Voorbeeld")).to_be_visible()
    assert_no_axe_violations(page, screenshot="plan-evidence-preview")
    page.get_by_label("Hoort bij").select_option(label="Meldingen jeugdoverlast per 1.000 inwoners")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Het bewijs is vastgelegd in het plan.")).to_be_visible()
    block = EvidenceBlock.objects.get()
    article = page.locator(f"#block-{block.uuid}")
    expect(article).to_be_visible()
    article.get_by_text("Herkomst en controle").click()
    expect(article).to_contain_text(block.digest)
    assert_no_axe_violations(page, screenshot="plan-detail-with-evidence")

    page.get_by_role("link", name="Bijlage met al het bewijs (om te printen)").click()
    expect(
        page.get_by_role("heading", level=1, name=re.compile("^Bijlage bij IVP Leiden"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name=block.title)).to_be_visible()
    assert_no_axe_violations(page, screenshot="plan-annex")

    # the council adopts it: the plan becomes public
    page.get_by_role("link", name=re.compile("^Terug naar IVP Leiden")).click()
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.get_by_text("Het plan is vastgesteld.")).to_be_visible()
    page.get_by_role("link", name="De openbare pagina van het plan").click()
    expect(page.get_by_role("heading", level=1, name="IVP Leiden 2027–2030")).to_be_visible()
    expect(page.get_by_role("heading", name=block.title)).to_be_visible()
    assert_no_axe_violations(page, screenshot="plan-public")
    page.get_by_role("link", name="Alle veiligheidsplannen").click()
    expect(page.get_by_role("link", name="IVP Leiden 2027–2030")).to_be_visible()
    assert_no_axe_violations(page, screenshot="plan-public-list")
    assert_clean_console(page_log)

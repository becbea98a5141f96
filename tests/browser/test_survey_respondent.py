"""Respondent pages in a real browser: the one-click template survey filled in by keyboard
only, from the intro to the thank-you page, with axe on every page state; conditional
questions and the overlast second step without a round trip; the location picker on the
buurt map without tiles; the error pages."""

import re

import pytest
from playwright.sync_api import Page, expect

from geo.models import Area
from surveys.models import Response
from surveys.selectors import response_answers_get
from surveys.services import invitation_create, survey_close, survey_publish
from surveys.template import survey_create_from_template
from tests.browser.helpers import (
    assert_clean_console,
    assert_no_axe_violations,
    assert_same_origin_only,
)
from tests.participation.factories import BurgerpanelFactory
from tests.surveys.helpers import build_survey, member, q

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 120
# Error states are answered with a 4xx status on purpose; Chromium logs each such page.
EXPECTED_STATUS_LOG = re.compile(
    r"^Failed to load resource: the server responded with a status of (400|404|409|410) "
)


def assert_clean_console_except_4xx_pages(log) -> None:
    """No console errors (CSP violations, script errors) besides the logged 4xx pages."""
    log.console_errors = [e for e in log.console_errors if not EXPECTED_STATUS_LOG.match(e)]
    assert_clean_console(log)


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
                   return {id: el.id, tag: el.tagName, name: el.getAttribute('name'),
                           text: (el.textContent || '').trim(),
                           outline: getComputedStyle(el).outlineStyle}; }"""
    )


def tab_to(page: Page, *, element_id: str | None = None, text: str | None = None) -> None:
    """Press Tab until the element with this id (or a button/link with this text) has focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        if (element_id and now["id"] == element_id) or (text and now["text"] == text):
            return
    pytest.fail(f"Tab never reached {element_id or text!r}")


def choose_radio(page: Page, first_id: str, steps: int = 0) -> None:
    """Tab into a radio group (focus lands on its first radio), check it with Space and move
    `steps` options on with the arrow key (which checks them)."""
    tab_to(page, element_id=first_id)
    page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowRight")


def press_button(page: Page, text: str, *, navigates: bool = True) -> None:
    """Tab to a button and press Enter (waiting for the next page when it submits)."""
    tab_to(page, text=text)
    if not navigates:
        page.keyboard.press("Enter")
        return
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def template_survey(leiden):
    survey = survey_create_from_template(
        created_by=None, municipality_code="GM0546", distribution="open_link", slug="buurtenquete"
    )
    survey_publish(survey=survey)
    return survey


def test_template_survey_by_keyboard_only_from_intro_to_thanks(
    page: Page, page_log, live_server, template_survey
):
    page.goto(f"/vragenlijst/{template_survey.slug}/")
    expect(page.locator("h1")).to_have_text("Buurtenquête veiligheid")
    assert_no_axe_violations(page, screenshot="survey-intro")
    press_button(page, "Start de vragenlijst")

    # 1. Uw buurt: report marks, frequencies, a single choice.
    expect(page.locator("h1")).to_have_text("Uw buurt")
    expect(page.locator(".bs-survey__progress")).to_have_text("Stap 1 van 6")
    assert_no_axe_violations(page, screenshot="survey-page-1")
    press_button(page, "Volgende")  # nothing answered yet: errors
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary li")).to_have_count(6)
    assert_no_axe_violations(page, screenshot="survey-page-1-errors")
    choose_radio(page, "q-Q1-0", 6)  # 7
    assert focused(page)["outline"] != "none"
    choose_radio(page, "q-Q2-0", 7)  # 8
    choose_radio(page, "q-Q3-0", 1)  # soms
    choose_radio(page, "q-Q4-0", 2)  # (bijna) nooit
    choose_radio(page, "q-Q5-0", 3)  # weet niet
    choose_radio(page, "q-Q6-0", 1)  # nee
    press_button(page, "Volgende")

    # 2. Overlast: the second step appears only for what occurs.
    expect(page.locator("h1")).to_have_text("Overlast in uw buurt")
    nuisance = page.locator("#q-Q7-rommel-ov")
    expect(nuisance).to_be_hidden()
    choose_radio(page, "q-Q7-rommel-kv-0")  # komt voor
    expect(nuisance).to_be_visible()
    assert_no_axe_violations(page, screenshot="survey-page-2-overlast")
    choose_radio(page, "q-Q7-rommel-ov-0", 1)  # een beetje overlast
    rows = [
        "straatmeubilair", "bekladding", "hondenpoep", "dronken_mensen", "drugs", "buurtbewoners",
        "lastigvallen", "jongeren", "te_hard_rijden", "parkeren", "agressief_verkeer", "horeca",
    ]  # fmt: skip
    for index, row in enumerate(rows):
        if index % 3 == 0:
            choose_radio(page, f"q-Q7-{row}-kv-0")
            choose_radio(page, f"q-Q7-{row}-ov-0", index % 2)
        else:
            choose_radio(page, f"q-Q7-{row}-kv-0", 1)  # komt niet voor
            expect(page.locator(f"#q-Q7-{row}-ov")).to_be_hidden()
    press_button(page, "Volgende")

    # 3. Grids with a five-point scale, one fieldset per row.
    expect(page.locator("h1")).to_have_text("Voorzieningen en contact in de buurt")
    assert_no_axe_violations(page, screenshot="survey-page-3-grids")
    for row in ("straten", "groen", "verlichting", "speelplekken", "jongeren"):
        choose_radio(page, f"q-Q8-{row}-0", 1)
    for row in ("kennen_elkaar", "prettig", "gezellig", "thuis"):
        choose_radio(page, f"q-Q9-{row}-0", 2)
    press_button(page, "Volgende")

    # 4. Victimisation: Q11 appears on the same page once something happened.
    expect(page.locator("h1")).to_have_text("Ervaringen met criminaliteit")
    q11 = page.locator("#vraag-Q11")
    expect(q11).to_be_hidden()
    choose_radio(page, "q-Q10-inbraak-0", 1)  # nee
    choose_radio(page, "q-Q10-fietsdiefstal-0")  # ja
    expect(q11).to_be_visible()
    expect(page.locator("#survey-announcer")).to_contain_text("Er is een vraag bijgekomen")
    for row in ("vernieling", "bedreiging", "mishandeling", "online_oplichting"):
        choose_radio(page, f"q-Q10-{row}-0", 1)
    choose_radio(page, "q-Q11-0")  # ja, gemeld
    assert_no_axe_violations(page, screenshot="survey-page-4-conditional")
    press_button(page, "Volgende")

    # 5. Municipality and police; priorities: at most three.
    expect(page.locator("h1")).to_have_text("Gemeente en politie")
    choose_radio(page, "q-Q12-0", 1)
    choose_radio(page, "q-Q13-0", 2)
    for index in range(4):
        tab_to(page, element_id=f"q-Q14-{index}")
        page.keyboard.press("Space")
    press_button(page, "Volgende")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("Kies er hoogstens 3 (nu 4).")
    assert_no_axe_violations(page, screenshot="survey-page-5-too-many")
    tab_to(page, element_id="q-Q14-3")
    page.keyboard.press("Space")  # uncheck the fourth
    press_button(page, "Volgende")

    # 6. About you: the buurt is a select grouped by wijk.
    expect(page.locator("h1")).to_have_text("Over uzelf")
    choose_radio(page, "q-B1-0", 1)  # 25–44
    choose_radio(page, "q-B2-0", 3)  # liever niet
    tab_to(page, element_id="q-B3")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    chosen_buurt = page.locator("#q-B3").input_value()
    assert re.fullmatch(r"BU0546\d{4}", chosen_buurt)
    assert_no_axe_violations(page, screenshot="survey-page-6")
    press_button(page, "Volgende: antwoorden controleren")

    # Review, then submit.
    expect(page.locator("h1")).to_have_text("Controleer uw antwoorden")
    expect(page.locator(".bs-review")).to_have_count(6)
    buurt_name = Area.objects.filter(code=chosen_buurt).values_list("name", flat=True).first()
    expect(page.locator("main")).to_contain_text(buurt_name)
    assert_no_axe_violations(page, screenshot="survey-review")
    press_button(page, "Antwoorden versturen")

    expect(page.locator("h1")).to_have_text("Bedankt voor het invullen")
    assert_no_axe_violations(page, screenshot="survey-thanks")
    response = Response.objects.get()
    assert response.is_submitted
    assert response.age_band == "25-44"
    assert response.sex == "liever_niet"
    assert response.buurt.code == chosen_buurt
    answers = response_answers_get(response=response)
    assert answers["Q1"] == {"": 7}
    assert answers["Q5"] == {"": "weet_niet"}
    assert answers["Q7"]["rommel"] == {"komt_voor": "ja", "overlast": "een_beetje"}
    assert answers["Q7"]["parkeren"] == {"komt_voor": "ja", "overlast": "een_beetje"}
    assert answers["Q7"]["agressief_verkeer"] == {"komt_voor": "nee"}
    assert answers["Q11"] == {"": "ja"}
    assert len(answers["Q14"][""]) == 3
    assert_same_origin_only(page_log, live_server.url)
    assert_clean_console_except_4xx_pages(page_log)

    # The same browser cannot respond twice.
    page.goto(f"/vragenlijst/{template_survey.slug}/")
    press_button(page, "Start de vragenlijst")
    expect(page.locator("h1")).to_have_text("U heeft deze vragenlijst al ingevuld")
    assert_no_axe_violations(page, screenshot="survey-error-already-responded")


def test_location_is_chosen_on_the_buurt_map_by_keyboard(page: Page, page_log, leiden):
    survey = build_survey(
        questions=[
            q("L1", type="location", required=True, text="Waar voelt u zich onveilig?"),
            q("L2", type="number", min_value=0, max_value=20, allow_dont_know=True),
        ]
    )
    page.goto(f"/vragenlijst/{survey.slug}/")
    press_button(page, "Start de vragenlijst")
    expect(page.locator("#q-L1-map .leaflet-overlay-pane path")).to_have_count(54)
    expect(page.locator("#q-L1-map .leaflet-tile")).to_have_count(0)
    assert_no_axe_violations(page, screenshot="survey-location")

    tab_to(page, element_id="q-L1-map")
    page.keyboard.press("ArrowLeft")  # pan a little: still inside Leiden
    press_button(page, "Plek in het midden van de kaart kiezen", navigates=False)

    status = page.locator("[data-status]")
    expect(status).to_contain_text("Gekozen plek: in buurt")
    buurt = page.locator("#q-L1-buurt").input_value()
    assert buurt.startswith("BU0546")
    assert page.locator("#q-L1-lat").input_value()
    tab_to(page, element_id="q-L2")
    page.keyboard.type("3,5")
    assert_no_axe_violations(page, screenshot="survey-location-chosen")
    press_button(page, "Volgende: antwoorden controleren")

    expect(page.locator("main")).to_contain_text("Plek op de kaart, in")
    answer = response_answers_get(response=Response.objects.get())
    assert answer["L1"][""]["buurt"] == buurt
    assert answer["L2"] == {"": 3.5}
    assert_clean_console(page_log)


def test_save_resume_and_error_pages(page: Page, page_log, browser, live_server):
    survey = build_survey(
        sections=[
            {"title": "Eerste deel", "questions": [q("Q1", required=True)]},
            {"title": "Tweede deel", "questions": [q("Q2", type="frequency", required=True)]},
        ]
    )
    page.goto(f"/vragenlijst/{survey.slug}/")
    press_button(page, "Start de vragenlijst")
    choose_radio(page, "q-Q1-0", 2)
    press_button(page, "Opslaan en later verder")

    expect(page.locator("h1")).to_have_text("Uw antwoorden zijn bewaard")
    link = page.locator("#resume-link").input_value()
    assert f"/vragenlijst/{survey.slug}/verder/" in link
    assert_no_axe_violations(page, screenshot="survey-saved")

    # Another browser continues with the link, on the page where the respondent stopped.
    other = browser.new_context(base_url=live_server.url, locale="nl-NL")
    other_page = other.new_page()
    other_page.goto(link)
    expect(other_page.locator("h1")).to_have_text("Tweede deel")
    press_button(other_page, "Vorige")
    expect(other_page.locator("#q-Q1-2")).to_be_checked()
    other.close()

    # Error pages.
    panel = BurgerpanelFactory()
    panel_survey = build_survey(questions=[q("Q1")], distribution="panel_only", panel=panel)
    issued = invitation_create(survey=panel_survey, membership=member(panel))
    page.goto(f"/vragenlijst/{panel_survey.slug}/uitnodiging/{issued.token}/")
    expect(page.locator("main")).to_contain_text("U bent persoonlijk uitgenodigd")
    assert_no_axe_violations(page, screenshot="survey-invitation-intro")
    page.goto(f"/vragenlijst/{panel_survey.slug}/uitnodiging/geen-geldige-code/")
    expect(page.locator("h1")).to_have_text("Deze uitnodigingslink werkt niet")
    assert_no_axe_violations(page, screenshot="survey-error-invitation")
    page.goto(f"/vragenlijst/{survey.slug}/verder/verlopen-of-gebruikt/")
    expect(page.locator("h1")).to_have_text("Deze link om verder te gaan werkt niet")
    assert_no_axe_violations(page, screenshot="survey-error-resume")
    survey_close(survey=survey)
    page.goto(f"/vragenlijst/{survey.slug}/")
    expect(page.locator("h1")).to_have_text("Deze vragenlijst is gesloten")
    assert_no_axe_violations(page, screenshot="survey-error-closed")
    assert_clean_console_except_4xx_pages(page_log)

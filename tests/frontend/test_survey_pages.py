"""Respondent pages of surveys (Django test client): intro, start by open link or personal
invitation, every question type, conditions, page navigation, resume, review and submit,
double responses, token misuse, closed surveys and anonymity."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from geo.codes import AreaLevel
from geo.models import Area
from participation.services import user_create
from surveys.models import Answer, Invitation, Response, Survey
from surveys.selectors import response_answers_get
from surveys.services import invitation_create, survey_close, survey_publish
from surveys.template import survey_create_from_template
from tests.frontend.html_audit import csp_audit
from tests.geo.factories import AreaFactory
from tests.participation.factories import BurgerpanelFactory
from tests.surveys.helpers import build_survey, member, q

pytestmark = pytest.mark.django_db

RESUME_COOKIE = "bs_survey_resume"
DEVICE_COOKIE = "bs_survey_device"
ROWS = [
    {"key": "een", "label": "Rij een", "label_en": "Row one"},
    {"key": "twee", "label": "Rij twee", "label_en": "Row two"},
]
OVERLAST_ROWS = [
    {"key": "rommel", "label": "Rommel op straat", "cluster": "fysieke_verloedering"},
    {"key": "parkeren", "label": "Parkeerproblemen", "cluster": "verkeersoverlast"},
]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def buurten(db):
    AreaFactory(level=AreaLevel.WIJK, code="WK054690", name="Testwijk", col=10)
    return [
        AreaFactory(code="BU05469000", name="Noordbuurt", col=0),
        AreaFactory(code="BU05469001", name="Zuidbuurt", col=1),
    ]


def open_url(survey: Survey) -> str:
    return reverse("frontend:survey-open", kwargs={"slug": survey.slug})


def page_url(survey: Survey, number: int = 1) -> str:
    return reverse("frontend:survey-page", kwargs={"slug": survey.slug, "number": number})


def review_url(survey: Survey) -> str:
    return reverse("frontend:survey-review", kwargs={"slug": survey.slug})


def start(client, survey: Survey) -> str:
    """Open the intro (device cookie) and start; returns where the start redirected to."""
    assert client.get(open_url(survey)).status_code == 200
    response = client.post(open_url(survey))
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def post_page(client, survey, data, *, number=1, action="next"):
    return client.post(page_url(survey, number), {"action": action, **data})


def only_response() -> Response:
    return Response.objects.get()


def saved() -> dict:
    return response_answers_get(response=only_response())


def error_summary(html: str) -> list[str]:
    match = re.search(r'<div id="error-summary".*?</div>', html, re.S)
    if not match:
        return []
    return [
        re.sub(r"<[^>]+>", "", item).replace("&#x27;", "'").strip()
        for item in re.findall(r"<li>(.*?)</li>", match.group(0), re.S)
    ]


def one_question_survey(**question):
    question.setdefault("code", "Q1")
    return build_survey(questions=[q(**question)])


# --- Intro and start ------------------------------------------------------------------------


def test_intro_explains_who_asks_duration_anonymity_and_indicative(client, leiden):
    survey = survey_create_from_template(
        created_by=None, municipality_code="GM0546", distribution="open_link", slug="buurt"
    )
    survey_publish(survey=survey)

    response = client.get(open_url(survey))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Buurtenquête veiligheid" in html
    assert "De gemeente Leiden, via Buurtstem." in html
    assert "Ongeveer 11 minuten" in html
    assert "6 onderdelen" in html
    assert "Uw antwoorden worden niet aan u gekoppeld" in html
    assert "Indicatief" in html
    assert response.cookies[DEVICE_COOKIE]["httponly"]
    assert response.cookies[DEVICE_COOKIE]["path"] == "/vragenlijst/"
    assert csp_audit(html).problems == []


def test_start_creates_an_indicative_response_and_a_survey_scoped_resume_cookie(client):
    survey = one_question_survey()

    location = start(client, survey)

    assert location == page_url(survey, 1)
    cookie = client.cookies[RESUME_COOKIE]
    assert cookie["path"] == f"/vragenlijst/{survey.slug}/"
    assert cookie["httponly"]
    response = only_response()
    assert response.channel == Response.Channel.OPEN_LINK
    assert response.is_indicative
    assert cookie.value not in response.resume_token_hash  # only a hash is stored


def test_start_without_the_device_cookie_asks_to_allow_cookies(client):
    survey = one_question_survey()

    response = client.post(open_url(survey))

    assert response.status_code == 400
    assert "Sta cookies toe" in response.content.decode()
    assert not Response.objects.exists()


def test_intro_offers_to_continue_when_this_browser_already_started(client):
    survey = one_question_survey()
    start(client, survey)

    html = client.get(open_url(survey)).content.decode()

    assert "Verder waar u was gebleven" in html
    assert "Start de vragenlijst" not in html


# --- Question types -------------------------------------------------------------------------


def test_single_choice_is_a_radio_fieldset_with_legend_and_saves(client):
    survey = one_question_survey(type="single_choice", required=True)
    start(client, survey)

    html = client.get(page_url(survey)).content.decode()
    assert re.search(r'<fieldset class="bs-question__fieldset"[^>]*>\s*<legend', html)
    assert html.count('type="radio" name="q-Q1"') == 3

    response = post_page(client, survey, {"q-Q1": "b"})

    assert response.status_code == 302
    assert saved() == {"Q1": {"": "b"}}


def test_single_choice_required_and_invalid_errors_name_the_question(client):
    survey = one_question_survey(type="single_choice", required=True)
    start(client, survey)

    missing = post_page(client, survey, {})
    invalid = post_page(client, survey, {"q-Q1": "zzz"})

    assert missing.status_code == 400
    assert error_summary(missing.content.decode()) == ["Vraag Q1? Deze vraag is verplicht."]
    html = invalid.content.decode()
    assert error_summary(html)[0].startswith("Vraag Q1? Kies een van de antwoordmogelijkheden")
    assert 'href="#q-Q1-0"' in html
    assert 'aria-describedby="q-Q1-error"' in html
    assert "<title>Fout:" in html
    assert not Answer.objects.exists()


def test_optional_question_may_stay_empty_and_says_so(client):
    survey = one_question_survey(type="single_choice")
    start(client, survey)

    assert "(niet verplicht)" in client.get(page_url(survey)).content.decode()
    assert post_page(client, survey, {})["Location"] == review_url(survey)


def test_multiple_choice_with_a_maximum(client):
    survey = one_question_survey(type="multiple_choice", max_choices=2, allow_dont_know=True)
    start(client, survey)
    assert "Kies er hoogstens 2." in client.get(page_url(survey)).content.decode()

    too_many = post_page(client, survey, {"q-Q1": ["a", "b", "c"]})
    assert too_many.status_code == 400
    assert error_summary(too_many.content.decode()) == ["Vraag Q1? Kies er hoogstens 2 (nu 3)."]
    both = post_page(client, survey, {"q-Q1": ["a"], "q-Q1-weet_niet": "1"})
    assert both.status_code == 400
    assert "niet allebei" in error_summary(both.content.decode())[0]

    assert post_page(client, survey, {"q-Q1": ["a", "c"]}).status_code == 302
    assert saved() == {"Q1": {"": ["a", "c"]}}
    assert post_page(client, survey, {"q-Q1-weet_niet": "1"}).status_code == 302
    assert saved() == {"Q1": {"": "weet_niet"}}


@pytest.mark.parametrize(
    ("kind", "labels", "value"),
    [
        ("agree_5", ["Helemaal mee eens", "Niet eens, niet oneens", "Helemaal mee oneens"], "eens"),
        ("satisfied_5", ["Zeer tevreden", "Ontevreden"], "zeer_tevreden"),
        ("frequency", ["Vaak", "Soms", "(Bijna) nooit"], "soms"),
    ],
)
def test_scales_show_their_labels_and_weet_niet(client, kind, labels, value):
    survey = one_question_survey(type=kind, allow_dont_know=True, required=True)
    start(client, survey)

    html = client.get(page_url(survey)).content.decode()

    for label in labels:
        assert f">{label}</label>" in html
    assert ">Weet niet / n.v.t.</label>" in html
    assert post_page(client, survey, {"q-Q1": value}).status_code == 302
    assert saved() == {"Q1": {"": value}}
    assert post_page(client, survey, {"q-Q1": "weet_niet"}).status_code == 302
    assert saved() == {"Q1": {"": "weet_niet"}}


def test_scale_without_weet_niet_refuses_it(client):
    survey = one_question_survey(type="frequency", required=True)
    start(client, survey)

    assert "Weet niet" not in client.get(page_url(survey)).content.decode()
    assert post_page(client, survey, {"q-Q1": "weet_niet"}).status_code == 400


def test_report_mark_is_1_to_10(client):
    survey = one_question_survey(type="mark_1_10", required=True)
    start(client, survey)
    html = client.get(page_url(survey)).content.decode()
    assert list(re.findall(r'name="q-Q1" id="[^"]+" value="([^"]+)"', html)) == [
        str(n) for n in range(1, 11)
    ]

    assert post_page(client, survey, {"q-Q1": "11"}).status_code == 400
    assert post_page(client, survey, {"q-Q1": "7"}).status_code == 302
    assert saved() == {"Q1": {"": 7}}
    assert 'value="7" checked' in client.get(page_url(survey)).content.decode()


def test_number_accepts_a_decimal_comma_and_checks_the_range(client):
    survey = one_question_survey(type="number", min_value=0, max_value=10, allow_dont_know=True)
    start(client, survey)

    text = post_page(client, survey, {"q-Q1": "veel"})
    out_of_range = post_page(client, survey, {"q-Q1": "12"})
    both = post_page(client, survey, {"q-Q1": "3", "q-Q1-weet_niet": "1"})

    assert error_summary(text.content.decode()) == ["Vraag Q1? Vul een getal in."]
    assert error_summary(out_of_range.content.decode()) == [
        "Vraag Q1? Geef een getal van 0 tot en met 10."
    ]
    assert both.status_code == 400
    assert post_page(client, survey, {"q-Q1": "3,5"}).status_code == 302
    assert saved() == {"Q1": {"": 3.5}}
    assert post_page(client, survey, {"q-Q1-weet_niet": "1"}).status_code == 302
    assert saved() == {"Q1": {"": "weet_niet"}}


def test_open_text_has_a_label_a_privacy_hint_and_a_length_limit(client):
    survey = one_question_survey(type="open_text", max_length=20)
    start(client, survey)
    html = client.get(page_url(survey)).content.decode()
    assert '<label class="bs-question__legend" for="q-Q1">' in html
    assert "Noem geen namen" in html

    too_long = post_page(client, survey, {"q-Q1": "x" * 21})

    assert error_summary(too_long.content.decode()) == [
        "Vraag Q1? Gebruik hooguit 20 tekens (nu 21)."
    ]
    assert "x" * 21 in too_long.content.decode()  # nothing typed is lost
    assert post_page(client, survey, {"q-Q1": "  Meer licht  "}).status_code == 302
    assert saved() == {"Q1": {"": "Meer licht"}}


def test_grid_is_a_fieldset_per_row_and_names_the_missing_row(client):
    survey = one_question_survey(type="grid", scale="agree_5", rows=ROWS, required=True)
    start(client, survey)
    html = client.get(page_url(survey)).content.decode()
    assert re.search(
        r'<fieldset class="bs-grid-row"\s*>\s*<legend class="bs-grid-row__label">Rij een', html
    )

    partial = post_page(client, survey, {"q-Q1-een": "eens"})

    assert error_summary(partial.content.decode()) == ["Vraag Q1? – Rij twee: Beantwoord deze rij."]
    assert 'href="#q-Q1-twee-0"' in partial.content.decode()
    ok = post_page(client, survey, {"q-Q1-een": "eens", "q-Q1-twee": "helemaal_oneens"})
    assert ok.status_code == 302
    assert saved() == {"Q1": {"een": "eens", "twee": "helemaal_oneens"}}


def test_overlast_grid_asks_how_much_only_for_what_occurs(client):
    survey = one_question_survey(
        type="overlast_grid", rows=OVERLAST_ROWS, required=True, allow_dont_know=True
    )
    start(client, survey)
    html = client.get(page_url(survey)).content.decode()
    assert "Hoeveel overlast heeft u hiervan?" in html
    assert ">Komt voor</label>" in html
    assert ">Komt niet voor</label>" in html

    no_second_step = post_page(
        client, survey, {"q-Q1-rommel-komt_voor": "ja", "q-Q1-parkeren-komt_voor": "nee"}
    )
    assert error_summary(no_second_step.content.decode()) == [
        "Vraag Q1? – Rommel op straat: Geef aan hoeveel overlast u ervan ervaart."
    ]

    response = post_page(
        client,
        survey,
        {
            "q-Q1-rommel-komt_voor": "ja",
            "q-Q1-rommel-overlast": "veel",
            "q-Q1-parkeren-komt_voor": "nee",
            "q-Q1-parkeren-overlast": "geen",  # second step of a "no": ignored
        },
    )
    assert response.status_code == 302
    assert saved() == {
        "Q1": {"rommel": {"komt_voor": "ja", "overlast": "veel"}, "parkeren": {"komt_voor": "nee"}}
    }
    post_page(
        client, survey, {"q-Q1-rommel-komt_voor": "weet_niet", "q-Q1-parkeren-overlast": "geen"}
    )
    assert saved() == {
        "Q1": {"rommel": "weet_niet", "parkeren": {"komt_voor": "ja", "overlast": "geen"}}
    }


def test_buurt_choice_is_a_select_grouped_by_wijk(client, buurten):
    survey = one_question_survey(type="buurt_choice", required=True, allow_dont_know=True)
    start(client, survey)
    html = client.get(page_url(survey)).content.decode()
    assert re.search(
        r'<optgroup label="Wijk Testwijk"><option value="BU05469000">Noordbuurt</option>'
        r'<option value="BU05469001">Zuidbuurt</option></optgroup>',
        html,
    )

    assert post_page(client, survey, {"q-Q1": "BU03630000"}).status_code == 400
    assert post_page(client, survey, {"q-Q1": "BU05469001"}).status_code == 302
    assert saved() == {"Q1": {"": "BU05469001"}}
    assert post_page(client, survey, {"q-Q1": "weet_niet"}).status_code == 302


def test_location_on_the_map_or_as_buurt_with_description(client, leiden):
    area = Area.objects.filter(level="buurt").order_by("code")[3]
    survey = one_question_survey(type="location", required=True, allow_dont_know=True)
    start(client, survey)
    html = client.get(page_url(survey)).content.decode()
    assert "leaflet/leaflet.js" in html
    assert "survey-location.js" in html
    assert 'data-areas-url="/api/v1/geo/areas/?level=buurt&amp;year=2022"' in html
    assert '<label for="q-Q1-buurt">Buurt</label>' in html

    on_map = post_page(
        client, survey, {"q-Q1-lat": str(area.label_lat), "q-Q1-lon": str(area.label_lon)}
    )
    assert on_map.status_code == 302
    assert saved()["Q1"][""]["buurt"] == area.code
    outside = post_page(client, survey, {"q-Q1-lat": "52.37", "q-Q1-lon": "4.89"})
    assert outside.status_code == 400
    garbage = post_page(client, survey, {"q-Q1-lat": "abc", "q-Q1-lon": "4.5"})
    assert error_summary(garbage.content.decode())[0].endswith("kies de plek opnieuw.")
    short = post_page(client, survey, {"q-Q1-buurt": area.code, "q-Q1-description": "x"})
    assert short.status_code == 400
    described = post_page(
        client, survey, {"q-Q1-buurt": area.code, "q-Q1-description": "Bij de brug"}
    )
    assert described.status_code == 302
    assert saved() == {"Q1": {"": {"buurt": area.code, "description": "Bij de brug"}}}
    assert post_page(client, survey, {"q-Q1-weet_niet": "1"}).status_code == 302


# --- Conditions -----------------------------------------------------------------------------


def conditional_survey():
    return build_survey(
        sections=[
            {
                "title": "Eerste",
                "questions": [
                    q("Q1", required=True),
                    q(
                        "Q2",
                        required=True,
                        condition={"question": "Q1", "operator": "equals", "value": "a"},
                    ),
                ],
            },
            {
                "title": "Alleen bij b",
                "condition": {"question": "Q1", "operator": "equals", "value": "b"},
                "questions": [q("Q3", required=True)],
            },
            {"title": "Laatste", "questions": [q("Q4", type="frequency")]},
        ]
    )


def test_question_depending_on_the_same_page_is_rendered_hidden_with_its_condition(client):
    survey = conditional_survey()
    start(client, survey)

    html = client.get(page_url(survey, 1)).content.decode()

    wrapper = re.search(r'<div[^>]+id="vraag-Q2"[^>]*>', html, re.S).group(0)
    assert " hidden" in wrapper
    assert "data-condition=" in wrapper
    assert "&quot;equals&quot;" in wrapper
    assert 'id="vraag-Q1"' in html
    assert "data-condition" not in re.search(r'<div[^>]+id="vraag-Q1"[^>]*>', html, re.S).group(0)


def test_condition_met_on_the_page_makes_the_question_required_and_visible(client):
    survey = conditional_survey()
    start(client, survey)

    response = post_page(client, survey, {"q-Q1": "a"})

    html = response.content.decode()
    assert response.status_code == 400
    assert error_summary(html) == ["Vraag Q2? Deze vraag is verplicht."]
    wrapper = re.search(r'<div[^>]+id="vraag-Q2"[^>]*>', html, re.S).group(0)
    assert " hidden" not in wrapper
    assert post_page(client, survey, {"q-Q1": "a", "q-Q2": "c"})["Location"] == page_url(survey, 3)


def test_sections_whose_condition_fails_are_skipped_and_hidden_answers_dropped(client):
    survey = conditional_survey()
    start(client, survey)
    post_page(client, survey, {"q-Q1": "a", "q-Q2": "c"})

    assert client.get(page_url(survey, 2))["Location"] == page_url(survey, 3)

    # Changing Q1 hides Q2 (its answer is dropped) and brings in the section of Q3.
    response = post_page(client, survey, {"q-Q1": "b", "q-Q2": "c"})
    assert response["Location"] == page_url(survey, 2)
    assert saved() == {"Q1": {"": "b"}}
    assert "Stap 2 van 3" in client.get(page_url(survey, 2)).content.decode()


# --- Navigation, saving, review, submit -----------------------------------------------------


def three_pages():
    return build_survey(
        sections=[
            {"title": "Een", "questions": [q("Q1", required=True)]},
            {"title": "Twee", "questions": [q("Q2", type="frequency", required=True)]},
            {"title": "Drie", "questions": [q("Q3", type="open_text")]},
        ]
    )


def test_previous_saves_without_requiring_and_next_goes_on(client):
    survey = three_pages()
    start(client, survey)
    assert post_page(client, survey, {"q-Q1": "a"})["Location"] == page_url(survey, 2)

    back = post_page(client, survey, {}, number=2, action="previous")

    assert back["Location"] == page_url(survey, 1)
    html = client.get(page_url(survey, 1)).content.decode()
    assert 'value="a" checked' in html
    assert "Stap 1 van 3" in html
    assert post_page(client, survey, {}, number=1, action="previous")["Location"] == open_url(
        survey
    )


def test_save_and_continue_later_shows_the_resume_link(client):
    survey = three_pages()
    start(client, survey)
    token = client.cookies[RESUME_COOKIE].value

    response = post_page(client, survey, {"q-Q1": "b"}, action="save")

    assert response["Location"] == reverse("frontend:survey-saved", kwargs={"slug": survey.slug})
    html = client.get(response["Location"]).content.decode()
    assert "Bewaar deze link om later verder te gaan" in html
    assert f"/vragenlijst/{survey.slug}/verder/{token}/" in html
    assert saved() == {"Q1": {"": "b"}}
    # Every questionnaire page offers the link too.
    assert f"/verder/{token}/" in client.get(page_url(survey, 1)).content.decode()


def test_resume_link_continues_in_another_browser_where_the_respondent_stopped(client):
    survey = three_pages()
    start(client, survey)
    post_page(client, survey, {"q-Q1": "b"}, action="next")
    token = client.cookies[RESUME_COOKIE].value

    other = Client()
    response = other.get(
        reverse("frontend:survey-resume", kwargs={"slug": survey.slug, "token": token})
    )

    assert response["Location"] == page_url(survey, 2)
    assert other.cookies[RESUME_COOKIE].value == token
    assert 'value="b" checked' in other.get(page_url(survey, 1)).content.decode()


def test_review_lists_answers_with_change_links_and_submit_thanks(client):
    survey = three_pages()
    start(client, survey)
    post_page(client, survey, {"q-Q1": "b"})
    post_page(client, survey, {"q-Q2": "soms"}, number=2)
    assert post_page(client, survey, {"q-Q3": "Meer verlichting"}, number=3)["Location"] == (
        review_url(survey)
    )

    html = client.get(review_url(survey)).content.decode()
    assert "<dt>Vraag Q2?</dt>" in html
    assert "<dd>Soms</dd>" in html
    assert "<dd>B</dd>" in html
    assert "Meer verlichting" in html
    assert f'href="{page_url(survey, 2)}"' in html

    response = client.post(review_url(survey))

    assert response["Location"] == reverse("frontend:survey-thanks", kwargs={"slug": survey.slug})
    assert response.cookies[RESUME_COOKIE].value == ""  # deleted
    assert only_response().is_submitted
    thanks = client.get(response["Location"]).content.decode()
    assert "Bedankt voor het invullen" in thanks


def test_submit_with_missing_answers_links_to_the_page_of_each(client):
    survey = three_pages()
    start(client, survey)
    post_page(client, survey, {"q-Q1": "a"})

    response = client.post(review_url(survey))

    assert response.status_code == 400
    html = response.content.decode()
    assert error_summary(html) == ["Vraag Q2?: deze vraag is verplicht."]
    assert f'href="{page_url(survey, 2)}#vraag-Q2"' in html
    assert not only_response().is_submitted


def test_resuming_a_submitted_response_says_so(client):
    survey = three_pages()
    start(client, survey)
    token = client.cookies[RESUME_COOKIE].value
    post_page(client, survey, {"q-Q1": "a"})
    post_page(client, survey, {"q-Q2": "vaak"}, number=2)
    client.post(review_url(survey))

    response = client.get(
        reverse("frontend:survey-resume", kwargs={"slug": survey.slug, "token": token})
    )

    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze link om verder te gaan werkt niet" in html
    assert "Heeft u de vragenlijst al verstuurd?" in html
    assert client.get(page_url(survey, 1)).status_code == 404  # cookie gone, no response


@pytest.mark.parametrize("token", ["garbage", "x" * 300])
def test_garbage_resume_tokens_are_refused(client, token):
    survey = three_pages()

    response = client.get(
        reverse("frontend:survey-resume", kwargs={"slug": survey.slug, "token": token})
    )

    assert response.status_code == 404
    assert "Deze link om verder te gaan is ongeldig of al gebruikt." in response.content.decode()


def test_pages_without_a_started_response_explain_how_to_continue(client):
    survey = three_pages()

    response = client.get(page_url(survey, 1))

    assert response.status_code == 404
    assert "We kunnen uw begonnen vragenlijst niet vinden" in response.content.decode()
    client.cookies[RESUME_COOKIE] = "forged"
    assert client.post(review_url(survey)).status_code == 404


# --- Double responses and throttling --------------------------------------------------------


def submit_through_pages(client, survey):
    start(client, survey)
    post_page(client, survey, {"q-Q1": "a"})
    return client.post(review_url(survey))


def test_same_device_cannot_respond_twice(client):
    survey = one_question_survey(required=True)
    submit_through_pages(client, survey)

    response = client.post(open_url(survey))

    assert response.status_code == 409
    assert "U heeft deze vragenlijst al ingevuld" in response.content.decode()
    assert Response.objects.count() == 1


def test_too_many_starts_get_a_friendly_page(client, settings):
    settings.SURVEYS_OPEN_MAX_STARTS_PER_DEVICE_PER_HOUR = 1
    survey = one_question_survey()
    start(client, survey)

    response = client.post(open_url(survey))

    assert response.status_code == 429
    assert "Even geduld, alstublieft" in response.content.decode()


# --- Invitations ----------------------------------------------------------------------------


@pytest.fixture
def panel_setup(db):
    panel = BurgerpanelFactory()
    survey = build_survey(
        questions=[q("Q1", required=True)], distribution=Survey.Distribution.PANEL_ONLY, panel=panel
    )
    return survey, panel


def invitation_url(survey, token):
    return reverse("frontend:survey-invitation", kwargs={"slug": survey.slug, "token": token})


def test_invitation_link_shows_the_intro_without_using_the_token(client, panel_setup):
    survey, panel = panel_setup
    issued = invitation_create(survey=survey, membership=member(panel))

    response = client.get(invitation_url(survey, issued.token))

    html = response.content.decode()
    assert response.status_code == 200
    assert "U bent persoonlijk uitgenodigd" in html
    assert "Indicatief" not in html
    assert Invitation.objects.get().used_at is None

    started = client.post(invitation_url(survey, issued.token))
    assert started["Location"] == page_url(survey, 1)
    assert Invitation.objects.get().used_at is not None
    response_row = only_response()
    assert response_row.channel == Response.Channel.PANEL
    assert not response_row.is_indicative
    post_page(client, survey, {"q-Q1": "c"})
    client.post(review_url(survey))
    assert Invitation.objects.get().responded_at is not None


def test_used_invitation_gets_an_error_page_or_continues_in_the_same_browser(client, panel_setup):
    survey, panel = panel_setup
    issued = invitation_create(survey=survey, membership=member(panel))
    client.post(invitation_url(survey, issued.token))

    # The same browser that started goes on where it stopped.
    assert client.get(invitation_url(survey, issued.token))["Location"] == page_url(survey, 1)
    # Another browser (or someone else with the link) cannot use it again.
    other = Client()
    reused = other.get(invitation_url(survey, issued.token))
    assert reused.status_code == 409
    assert "Deze uitnodiging is al gebruikt" in reused.content.decode()
    assert other.post(invitation_url(survey, issued.token)).status_code == 409
    assert Response.objects.count() == 1


def test_expired_other_survey_and_garbage_invitations_are_refused(client, panel_setup):
    survey, panel = panel_setup
    expired = invitation_create(
        survey=survey, membership=member(panel), expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    other = build_survey(questions=[q("Q1")], distribution="panel_only", panel=panel)
    elsewhere = invitation_create(survey=other, membership=member(panel))

    gone = client.get(invitation_url(survey, expired.token))
    wrong = client.get(invitation_url(survey, elsewhere.token))
    garbage = client.get(invitation_url(survey, "niet-een-token"))

    assert gone.status_code == 410
    assert "Deze uitnodiging is verlopen" in gone.content.decode()
    assert wrong.status_code == 404
    assert "hoort bij een andere vragenlijst" in wrong.content.decode()
    assert garbage.status_code == 404
    assert "Deze uitnodigingslink is ongeldig." in garbage.content.decode()
    assert client.post(invitation_url(survey, elsewhere.token)).status_code == 404
    assert not Response.objects.exists()


def test_panel_only_survey_cannot_be_opened_by_open_link(client, panel_setup):
    survey, _panel = panel_setup

    response = client.get(open_url(survey))

    assert response.status_code == 403
    assert "alleen voor leden van het burgerpanel" in response.content.decode()


# --- Closed, unpublished, not yet open ------------------------------------------------------


def test_closed_survey_shows_a_clear_page_everywhere(client):
    survey = three_pages()
    start(client, survey)
    survey_close(survey=survey)

    for url in (open_url(survey), page_url(survey, 1), review_url(survey)):
        response = client.get(url)
        assert response.status_code == 409
        assert "Deze vragenlijst is gesloten" in response.content.decode()


def test_unpublished_or_unknown_survey_does_not_exist_for_respondents(client):
    draft = build_survey(questions=[q("Q1")], publish=False)

    assert client.get(open_url(draft)).status_code == 404
    assert client.get("/vragenlijst/bestaat-niet/").status_code == 404


def test_survey_that_is_not_open_yet_says_so(client):
    survey = three_pages()
    Survey.objects.filter(pk=survey.pk).update(opens_at=timezone.now() + dt.timedelta(days=2))

    response = client.get(open_url(survey))

    assert response.status_code == 409
    assert "Deze vragenlijst is nu niet open" in response.content.decode()


# --- Anonymity, language, CSP ---------------------------------------------------------------


def test_signed_in_resident_stays_anonymous(client):
    user = user_create(
        email="inwoner@example.test", password="Buurt-wachtwoord-2026", email_verified=True
    )
    client.force_login(user)
    survey = one_question_survey(required=True)
    start(client, survey)

    token = client.cookies[RESUME_COOKIE].value
    pages = [client.get(page_url(survey, 1))]
    post_page(client, survey, {"q-Q1": "a"})
    assert token not in repr(dict(client.session))  # never in the (account's) session
    pages.append(client.get(review_url(survey)))
    submit = client.post(review_url(survey))
    pages.append(client.get(submit["Location"]))

    for page in pages:
        assert "inwoner@example.test" not in page.content.decode().split("<main")[1]
    row = Response.objects.values().get()
    assert not {k for k in row if "user" in k or "member" in k or "invitation" in k}


def test_pages_follow_the_language_of_the_page(client):
    survey = build_survey(
        questions=[
            {
                "code": "Q1",
                "type": "single_choice",
                "text": "Hoe gaat het?",
                "text_en": "How are you?",
                "options": [
                    {"value": "goed", "label": "Goed", "label_en": "Fine"},
                    {"value": "slecht", "label": "Slecht", "label_en": "Bad"},
                ],
            },
            q("Q2", type="grid", scale="frequency", rows=ROWS, allow_dont_know=True),
        ],
        title_en="Test survey",
    )
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    start(client, survey)

    html = client.get(page_url(survey)).content.decode()

    assert "How are you?" in html
    assert ">Fine</label>" in html
    assert ">Row one</legend>" in html
    assert ">Often</label>" in html
    assert "Don&#x27;t know / not applicable" in html
    assert "Hoe gaat het?" not in html


def test_every_page_state_is_free_of_inline_scripts_and_styles(client):
    survey = conditional_survey()
    pages = [client.get(open_url(survey))]
    start(client, survey)
    pages.append(client.get(page_url(survey, 1)))
    pages.append(post_page(client, survey, {"q-Q1": "a"}))
    post_page(client, survey, {"q-Q1": "a", "q-Q2": "b"})
    pages.append(client.get(review_url(survey)))

    for page in pages:
        assert csp_audit(page.content.decode()).problems == []

"""The "Buurtenquête veiligheid" template: structure, tags, publication and a full response."""

import pytest

from geo.models import Area
from participation.models import Theme
from surveys.models import Question, Survey
from surveys.scales import OVERLAST_CLUSTERS
from surveys.selectors import (
    questionnaire_get,
    response_questions_visible,
    survey_version_draft,
    survey_version_published,
)
from surveys.services import (
    response_save_answers,
    response_start_open,
    response_submit,
    survey_publish,
)
from surveys.template import survey_create_from_template
from tests.participation.factories import BurgerpanelFactory
from tests.surveys.helpers import device

pytestmark = pytest.mark.django_db

EXPECTED_INDICATORS = {
    "Q1": ["I3"],
    "Q2": ["I4"],
    "Q3": ["I1", "I2"],
    "Q4": ["I16"],
    "Q5": ["I16"],
    "Q6": [],
    "Q7": ["I5", "I6", "I7", "I8", "I9"],
    "Q8": ["I10"],
    "Q9": ["I11"],
    "Q10": ["I12"],
    "Q11": ["I13"],
    "Q12": ["I14"],
    "Q13": ["I15"],
    "Q14": ["I17"],
    "B1": [],
    "B2": [],
    "B3": [],
}


@pytest.fixture
def template_survey(leiden):
    return survey_create_from_template(
        created_by=None, municipality_code="GM0546", distribution="open_link"
    )


def questions_of(survey):
    version = survey_version_draft(survey=survey) or survey_version_published(survey=survey)
    return {q.code: q for _s, qs in questionnaire_get(version=version) for q in qs}


def test_template_has_q1_to_q14_and_background_questions_with_indicators(template_survey):
    questions = questions_of(template_survey)
    assert list(questions) == list(EXPECTED_INDICATORS)
    assert {c: q.indicator_codes for c, q in questions.items()} == EXPECTED_INDICATORS
    for question in questions.values():
        assert question.text
        assert question.text_en
    assert template_survey.title_en
    assert template_survey.intro_en


def test_template_overlast_grid_has_13_rows_in_the_cbs_clusters(template_survey):
    q7 = questions_of(template_survey)["Q7"]
    assert q7.type == Question.Type.OVERLAST_GRID
    assert q7.allow_dont_know
    clusters = [row["cluster"] for row in q7.rows]
    assert len(q7.rows) == 13
    assert {c: clusters.count(c) for c in OVERLAST_CLUSTERS} == {
        "fysieke_verloedering": 4,
        "sociale_overlast": 5,
        "verkeersoverlast": 3,
        "overige": 1,
    }
    assert all(row["label_en"] for row in q7.rows)


def test_template_grids_scales_and_reverse_item(template_survey):
    questions = questions_of(template_survey)
    q8, q9, q10 = questions["Q8"], questions["Q9"], questions["Q10"]
    assert (q8.type, q8.scale, q8.allow_dont_know, len(q8.rows)) == ("grid", "satisfied_5", True, 5)
    assert (q9.type, q9.scale, len(q9.rows)) == ("grid", "agree_5", 4)
    assert [row["key"] for row in q9.rows if row.get("reverse")] == ["kennen_elkaar"]
    assert (q10.type, q10.scale, len(q10.rows)) == ("grid", "yes_no", 6)


def test_template_conditional_q11_and_priorities_from_the_taxonomy(template_survey):
    questions = questions_of(template_survey)
    assert questions["Q11"].condition == {"question": "Q10", "operator": "equals", "value": "ja"}
    q14 = questions["Q14"]
    assert q14.type == Question.Type.MULTIPLE_CHOICE
    assert q14.max_choices == 3
    values = [o["value"] for o in q14.options]
    thema_s = set(
        Theme.objects.filter(municipality_code="", kind="thema").values_list("slug", flat=True)
    )
    assert set(values) <= thema_s
    assert {"jeugdoverlast", "verkeersveiligheid", "fysieke-kwaliteit"} <= set(values)
    assert "bestuurlijke-integriteit" not in values


def test_template_questions_carry_themes(template_survey):
    questions = questions_of(template_survey)
    assert set(questions["Q3"].themes.values_list("slug", flat=True)) == {"veiligheidsgevoel"}
    assert "jeugdoverlast" in questions["Q6"].themes.values_list("slug", flat=True)
    assert questions["B3"].profile_field == "buurt"
    assert questions["B1"].profile_field == "age_band"
    assert [o["value"] for o in questions["B1"].options] == ["15-24", "25-44", "45-64", "65+"]


def test_template_validates_and_publishes_for_a_panel(leiden):
    panel = BurgerpanelFactory()
    survey = survey_create_from_template(
        created_by=None, municipality_code="GM0546", panel=panel, distribution="panel_only"
    )
    version = survey_publish(survey=survey)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.PUBLISHED
    assert survey.results_indicative is False
    assert version.questions.count() == 17


def test_a_full_response_to_the_template_shows_q11_only_after_a_ja_in_q10(template_survey):
    survey_publish(survey=template_survey)
    start = response_start_open(survey=template_survey, device_id=device())
    response = start.response
    buurt = Area.objects.filter(level="buurt").order_by("code").first()
    no_victim = dict.fromkeys(questions_of(template_survey)["Q10"].row_keys, "nee")
    overlast = {row: {"komt_voor": "nee"} for row in questions_of(template_survey)["Q7"].row_keys}
    overlast["te_hard_rijden"] = {"komt_voor": "ja", "overlast": "veel"}
    answers = {
        "Q1": 7,
        "Q2": "8",
        "Q3": "soms",
        "Q4": "nooit",
        "Q5": "weet_niet",
        "Q6": "kom_daar_niet",
        "Q7": overlast,
        "Q8": dict.fromkeys(questions_of(template_survey)["Q8"].row_keys, "tevreden"),
        "Q9": dict.fromkeys(questions_of(template_survey)["Q9"].row_keys, "eens"),
        "Q10": no_victim,
        "Q12": "oneens",
        "Q13": "weet_niet",
        "Q14": ["verkeersveiligheid", "jeugdoverlast"],
        "B1": "45-64",
        "B2": "liever_niet",
        "B3": buurt.code,
    }
    response_save_answers(response=response, answers=answers)
    assert "Q11" not in [q.code for q in response_questions_visible(response=response)]
    response_save_answers(response=response, answers={"Q10": {"fietsdiefstal": "ja"}})
    assert "Q11" in [q.code for q in response_questions_visible(response=response)]

    from surveys.exceptions import AnswersIncompleteError

    with pytest.raises(AnswersIncompleteError) as exc:
        response_submit(response=response, resume_token=start.resume_token)
    assert [e["question"] for e in exc.value.extra["errors"]] == ["Q11"]

    response_save_answers(response=response, answers={"Q11": "ja"})
    response = response_submit(response=response, resume_token=start.resume_token)
    assert response.submitted_at is not None
    assert response.buurt == buurt
    assert response.age_band == "45-64"
    assert response.sex == "liever_niet"
    assert response.is_indicative is True

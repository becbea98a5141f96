"""GET /api/v1/surveys/{slug}/: the published questionnaire, both languages."""

import pytest

from surveys.models import Survey
from surveys.services import survey_close, survey_publish
from surveys.template import survey_create_from_template
from tests.surveys.helpers import q

pytestmark = pytest.mark.django_db


def _template_survey(slug: str = "buurtenquete") -> Survey:
    survey = survey_create_from_template(
        created_by=None,
        municipality_code="GM0546",
        distribution=Survey.Distribution.OPEN_LINK,
        slug=slug,
    )
    survey_publish(survey=survey)
    survey.refresh_from_db()
    return survey


def _questions(data: dict) -> dict[str, dict]:
    return {q["code"]: q for s in data["sections"] for q in s["questions"]}


def test_definition_has_sections_questions_texts_choices_and_conditions(api_client):
    # given
    _template_survey()

    # when
    response = api_client.get("/api/v1/surveys/buurtenquete/")

    # then
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Buurtenquête veiligheid"
    assert data["title_en"] == "Neighbourhood safety survey"
    assert data["status"] == "published"
    assert data["accepts_responses"] is True
    assert data["indicative"] is True
    assert data["version"] == 1
    assert data["sections"][0]["title"] == "Uw buurt"
    questions = _questions(data)
    assert list(questions)[:3] == ["Q1", "Q2", "Q3"]
    q3 = questions["Q3"]
    assert q3["text_en"] == "How often do you feel unsafe in your own neighbourhood?"
    assert [c["value"] for c in q3["choices"]] == ["vaak", "soms", "nooit"]
    assert q3["dont_know"]["value"] == "weet_niet"
    q7 = questions["Q7"]
    assert q7["type"] == "overlast_grid"
    assert len(q7["rows"]) == 13
    assert q7["rows"][0]["cluster"] == "fysieke_verloedering"
    assert [c["value"] for c in q7["choices"]] == ["ja", "nee"]
    assert [c["value"] for c in q7["nuisance_choices"]] == ["veel", "een_beetje", "geen"]
    assert questions["Q9"]["rows"][0]["reverse"] is True
    assert questions["Q9"]["scale"] == "agree_5"
    assert questions["Q11"]["condition"] == {"question": "Q10", "operator": "equals", "value": "ja"}
    assert questions["Q14"]["max_choices"] == 3
    assert questions["B3"]["profile_field"] == "buurt"
    assert questions["Q10"]["dont_know"] is None


def test_closed_survey_is_described_but_does_not_accept_responses(api_client):
    survey = _template_survey()
    survey_close(survey=survey)

    data = api_client.get("/api/v1/surveys/buurtenquete/").json()

    assert data["status"] == "closed"
    assert data["accepts_responses"] is False


@pytest.mark.parametrize("slug", ["does-not-exist", "draft"])
def test_unknown_and_draft_surveys_are_404(api_client, make_survey, slug):
    survey = make_survey(questions=[q("Q1")], publish=False)
    Survey.objects.filter(pk=survey.pk).update(slug="draft")

    response = api_client.get(f"/api/v1/surveys/{slug}/")

    assert response.status_code == 404

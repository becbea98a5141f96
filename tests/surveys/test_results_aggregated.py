"""Results aggregated in the database equal the per-respondent reference implementation
(tests/surveys/results_reference.py, the code before aggregation) on seeded random data:
every question type, "weet niet", skipped rows and questions, unsubmitted responses, both
channels, buurt and wijk breakdowns, and thresholds low enough that little is suppressed."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.models import Answer, Question, Response
from surveys.results import survey_results
from surveys.selectors import survey_version_published
from tests.geo.factories import AreaFactory
from tests.participation.factories import BurgerpanelFactory
from tests.surveys import results_reference
from tests.surveys.helpers import build_survey, q, without_uncertainty

pytestmark = pytest.mark.django_db

OVERLAST_ROWS = [
    {"key": "rommel", "label": "Rommel", "cluster": "fysieke_verloedering"},
    {"key": "drugs", "label": "Drugs", "cluster": "sociale_overlast"},
    {"key": "te_hard", "label": "Te hard", "cluster": "verkeersoverlast"},
    {"key": "horeca", "label": "Horeca", "cluster": "overige"},
]
AGREE_ROWS = [
    {"key": "kennen", "label": "Kennen", "reverse": True},
    {"key": "prettig", "label": "Prettig"},
    {"key": "thuis", "label": "Thuis"},
    {"key": "gezellig", "label": "Gezellig"},
]
YES_NO_ROWS = [{"key": "inbraak", "label": "Inbraak"}, {"key": "fiets", "label": "Fiets"}]
AGREE = ["helemaal_eens", "eens", "neutraal", "oneens", "helemaal_oneens"]
FREQ = ["vaak", "soms", "nooit"]


def random_value(rng: random.Random, kind: str, buurten: list[str]):
    if rng.random() < 0.08:
        return "weet_niet"
    if kind == "frequency":
        return rng.choice(FREQ)
    if kind == "single_choice":
        return rng.choice("abc")
    if kind == "multiple_choice":
        return sorted(rng.sample("abc", rng.randint(1, 3)))
    if kind == "mark_1_10":
        return rng.randint(1, 10)
    if kind == "number":
        return rng.choice([rng.randint(0, 40), round(rng.uniform(0, 40), 1)])
    if kind == "buurt_choice":
        return rng.choice(buurten)
    if kind == "location":
        if rng.random() < 0.5:
            return {"buurt": rng.choice(buurten), "description": "Bij het plein"}
        return {"lat": 52.1 + rng.random() / 100, "lon": 4.4, "buurt": rng.choice(buurten)}
    if kind == "open_text":
        return rng.choice(["Meer licht", "Hondenpoep", "Hard rijden"])
    if kind == "overlast":
        if rng.random() < 0.4:
            return {"komt_voor": "nee"}
        if rng.random() < 0.1:
            return {"komt_voor": "ja"}
        return {"komt_voor": "ja", "overlast": rng.choice(["veel", "een_beetje", "geen"])}
    if kind == "agree":
        return rng.choice(AGREE)
    if kind == "yes_no":
        return rng.choice(["ja", "nee"])
    raise AssertionError(kind)


def random_survey(seed: int, respondents: int):
    rng = random.Random(seed)
    areas = [
        AreaFactory(code="BU05469000", col=0),
        AreaFactory(code="BU05469001", col=1),
        AreaFactory(code="BU05469100", col=2),
        AreaFactory(code="BU05469200", col=3),
    ]
    survey = build_survey(
        panel=BurgerpanelFactory(),
        questions=[
            q("F", type="frequency", allow_dont_know=True),
            q("S", allow_dont_know=True),
            q("M", type="multiple_choice"),
            q("K", type="mark_1_10", allow_dont_know=True),
            q("N", type="number", min_value=0, max_value=100),
            q("B", type="buurt_choice"),
            q("L", type="location"),
            q("T", type="open_text"),
            q("O", type="overlast_grid", rows=OVERLAST_ROWS, allow_dont_know=True),
            q("C", type="grid", scale="agree_5", rows=AGREE_ROWS, allow_dont_know=True),
            q("G", type="grid", scale="yes_no", rows=YES_NO_ROWS),
        ],
    )
    version = survey_version_published(survey=survey)
    questions = {question.code: question for question in Question.objects.filter(version=version)}
    kinds = {"O": "overlast", "C": "agree", "G": "yes_no"}
    codes = [a.code for a in areas]
    now = timezone.now()
    for i in range(respondents):
        response = Response.objects.create(
            survey=survey,
            survey_version=version,
            channel=rng.choice(["open_link", "panel"]),
            submitted_at=None if rng.random() < 0.1 else now - timedelta(minutes=i),
            buurt=rng.choice([*areas, None]),
        )
        answers = []
        for code, question in questions.items():
            if rng.random() < 0.15:
                continue  # skipped (or hidden by a condition)
            if code in kinds:
                for row in question.rows:
                    if rng.random() < 0.85:
                        value = random_value(rng, kinds[code], codes)
                        if code == "G" and value == "weet_niet":
                            value = "nee"
                        answers.append(Answer(response=response, question=question,
                                              row_key=row["key"], value=value))  # fmt: skip
            else:
                value = random_value(rng, question.type, codes)
                answers.append(Answer(response=response, question=question, value=value))
        Answer.objects.bulk_create(answers)
    return version


@pytest.mark.parametrize("seed", range(1, 9))
def test_aggregated_results_equal_the_per_respondent_reference(settings, seed):
    settings.SURVEYS_MIN_CELL_N = 3
    settings.SURVEYS_MIN_OPEN_K = 2
    version = random_survey(seed, respondents=90)
    for channel in (None, "open_link", "panel"):
        for breakdown in (None, "buurt", "wijk"):
            new = survey_results(version=version, channel=channel, breakdown=breakdown)
            old = results_reference.survey_results(
                version=version, channel=channel, breakdown=breakdown
            )
            assert without_uncertainty(new) == without_uncertainty(old), (channel, breakdown)
    # The data exercised what it is meant to: groups, and figures that are not suppressed.
    by_buurt = survey_results(version=version, breakdown="buurt")
    assert len(by_buurt.groups) == 5
    assert not by_buurt.questions["O"].clusters["totaal"].much.suppressed
    assert by_buurt.questions["C"].scale_score.n > 3


def test_default_thresholds_suppress_the_same_figures(settings):
    version = random_survey(4, respondents=60)
    new = survey_results(version=version, breakdown="wijk")
    old = results_reference.survey_results(version=version, breakdown="wijk")
    assert without_uncertainty(new) == without_uncertainty(old)

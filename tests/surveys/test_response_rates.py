"""surveys.response_rates: response rates by buurt × age band with disclosure control; and
the bulk answer writes of response_save_answers."""

import pytest

from surveys.models import Answer
from surveys.response_rates import response_rate_overview
from surveys.services import invitation_create, response_save_answers, response_start_open
from tests.surveys.helpers import device, member, q, submit_open, submit_panel

pytestmark = pytest.mark.django_db


def _invite(survey, panel, buurt, band, count, answering=0):
    for i in range(count):
        membership = member(panel, buurt=buurt, age_band=band)
        if i < answering:
            submit_panel(survey, membership, {"Q1": "a"})
        else:
            invitation_create(survey=survey, membership=membership)


def test_panel_rates_per_cell_and_margins(panel_survey, buurten):
    # given: 10 and 20 invited aged 45–64 in two buurten
    survey, panel = panel_survey(questions=[q("Q1")])
    _invite(survey, panel, buurten[0], "45-64", 10, answering=5)
    _invite(survey, panel, buurten[1], "45-64", 20, answering=5)

    # when
    overview = response_rate_overview(survey=survey)

    # then
    assert overview.kind == "invitations"
    rows = {r.buurt: r for r in overview.rows}
    assert rows["BU05469000"].cells["45-64"].rate == 50.0
    assert rows["BU05469001"].cells["45-64"].rate == 25.0
    assert overview.age_band_totals["45-64"].responded == 10
    assert overview.age_band_totals["15-24"].suppressed  # nobody invited: base 0 < 10
    assert overview.total.base == 30
    assert overview.total.rate == pytest.approx(33.3)


def test_one_small_cell_takes_a_second_cell_with_it(panel_survey, buurten):
    # given: a 3×1 column of cells; one is below the threshold
    survey, panel = panel_survey(questions=[q("Q1")])
    _invite(survey, panel, buurten[0], "25-44", 4)
    _invite(survey, panel, buurten[1], "25-44", 11)
    _invite(survey, panel, buurten[2], "25-44", 15)

    # when
    overview = response_rate_overview(survey=survey)

    # then: the small cell and the next smallest are hidden, the largest is shown
    cells = {r.buurt: r.cells["25-44"] for r in overview.rows}
    assert cells["BU05469000"].suppressed
    assert cells["BU05469001"].suppressed
    assert cells["BU05469001"].base is None
    assert not cells["BU05469100"].suppressed
    assert cells["BU05469100"].base == 15
    # the 4-invitation buurt's row total is below the threshold as well
    totals = {r.buurt: r.total for r in overview.rows}
    assert totals["BU05469000"].suppressed
    assert overview.age_band_totals["25-44"].base == 30


def test_open_link_surveys_count_responses_by_the_given_background(make_survey, buurten):
    survey = make_survey(
        questions=[
            q("Q1"),
            q("B1", options=[{"value": "65+", "label": "65+"}, {"value": "45-64", "label": "x"}],
              profile_field="age_band"),
            q("B3", "buurt_choice", profile_field="buurt"),
        ]
    )  # fmt: skip
    for _ in range(11):
        submit_open(survey, {"Q1": "a", "B1": "65+", "B3": "BU05469000"})
    submit_open(survey, {"Q1": "a"})

    overview = response_rate_overview(survey=survey)

    assert overview.kind == "responses"
    rows = {r.buurt: r for r in overview.rows}
    assert rows["BU05469000"].cells["65+"].base == 11
    assert rows["BU05469000"].cells["65+"].rate is None
    assert rows["onbekend"].total.suppressed
    assert "onbekend" in overview.age_bands
    assert overview.total.base == 12


def test_saving_many_answers_takes_a_few_queries(make_survey, django_assert_max_num_queries):
    # given: a grid of 8 rows and three plain questions
    rows = [{"key": f"r{i}", "label": f"R{i}"} for i in range(8)]
    survey = make_survey(
        questions=[q("G", "grid", scale="yes_no", rows=rows), q("A"), q("B"), q("C")]
    )
    response = response_start_open(survey=survey, device_id=device()).response
    answers = {"G": {f"r{i}": "ja" for i in range(8)}, "A": "a", "B": "b", "C": "c"}

    # when / then: not one query per answer
    with django_assert_max_num_queries(12):
        response_save_answers(response=response, answers=answers)
    assert Answer.objects.filter(response=response).count() == 11

    # and overwrites, clears and keeps in one go
    response_save_answers(
        response=response, answers={"G": {"r0": "nee", "r1": None}, "A": None, "B": "b"}
    )
    stored = dict(
        Answer.objects.filter(response=response, question__code="G").values_list("row_key", "value")
    )
    assert stored["r0"] == "nee"
    assert "r1" not in stored
    assert not Answer.objects.filter(response=response, question__code="A").exists()
    assert Answer.objects.filter(response=response, question__code="B").get().value == "b"

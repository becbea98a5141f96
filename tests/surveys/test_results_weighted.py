"""Weighted results end to end (surveys.results with surveys.weighting): CBS population rows,
panel responses with buurt, age band and sex, and figures worked out by hand."""

from datetime import UTC, datetime

import pytest

from geo.codes import AreaLevel
from surveys.models import Response
from surveys.results import indicators_compute, survey_results
from surveys.selectors import survey_version_published
from surveys.weighting import wilson_interval
from tests.surveys.helpers import submit_open
from tests.surveys.weighting_helpers import (
    OLD,
    WIJK_1,
    WIJK_2,
    YOUNG,
    gemeente_and_wijk_1,
    indicator_survey,
    population,
    respond,
    young_and_old,
)

pytestmark = pytest.mark.django_db


def test_weighted_figures_with_intervals_on_a_hand_checked_case(buurten):
    # Population 15+: half 15–24, half 65+, half men. Sample: 6 young, 14 old (half men in
    # both). Weights: young 0.5·20/6 = 5/3, old 0.5·20/14 = 5/7 (mean 1). Everyone young
    # says "vaak": weighted 50 %, unweighted 30 %. n_eff = 20²/(6·25/9 + 14·25/49) = 16.8.
    gemeente_and_wijk_1()
    survey = young_and_old(buurten)
    results = survey_results(version=survey_version_published(survey=survey))
    weighting = results.weighting
    assert weighting.weighted
    assert weighting.reason == ""
    assert weighting.population_year == 2024
    assert weighting.margins == ("wijk", "age_band", "sex")
    assert weighting.weights[(WIJK_1, YOUNG, "man")] == pytest.approx(5 / 3)
    assert weighting.weights[(WIJK_1, OLD, "vrouw")] == pytest.approx(5 / 7)
    assert weighting.n_eff == pytest.approx(16.8)
    assert results.n == 20
    assert results.n_eff == 16.8

    i1 = next(i for i in indicators_compute(questions=results.questions) if i.code == "I1")
    low, high = wilson_interval(0.5, 16.8)
    assert (i1.value, i1.unweighted_value, i1.n, i1.n_eff) == (50.0, 30.0, 20, 16.8)
    assert (i1.ci_low, i1.ci_high) == (round(100 * low, 1), round(100 * high, 1))
    assert (i1.ci_low, i1.ci_high) == (28.4, 71.6)
    assert i1.weighted is True

    # Mark: young 9, old 6 → weighted 7.5 (unweighted 6.9). Weighted sd: variance 2.25,
    # ·16.8/15.8; half width 1.96·sd/√16.8 = 0.74.
    i3 = next(i for i in indicators_compute(questions=results.questions) if i.code == "I3")
    assert (i3.value, i3.unweighted_value) == (7.5, 6.9)
    assert (i3.ci_low, i3.ci_high) == (6.76, 8.24)

    # The distribution carries the weighted percentages next to the counts.
    cells = results.questions["F"].distribution.cells
    assert (cells["vaak"].count, cells["vaak"].percentage) == (6, 30.0)
    assert cells["vaak"].weighted_percentage == 50.0


def test_suppression_stays_on_the_unweighted_n(buurten):
    # Y is answered by the 6 young only: their weights add up to 6·5/3 = 10 ≥ 10, but the
    # unweighted base is 6 < SURVEYS_MIN_CELL_N (10), so Y stays suppressed.
    gemeente_and_wijk_1()
    survey = young_and_old(buurten)
    results = survey_results(version=survey_version_published(survey=survey))
    assert results.weighting.weighted
    assert results.questions["Y"].distribution.suppressed
    # Groups too: buurt 9000 (20) is published, the unknown group has nobody; with a
    # second buurt of 3 respondents both buurten are suppressed (complementary).
    survey2 = young_and_old(buurten, young=3, old=14)
    panel = survey2.panel
    for _ in range(3):
        respond(survey2, panel, buurt=buurten[1], age_band=YOUNG, sex="man",
                answers={"F": "vaak", "K": 8})  # fmt: skip
    groups = survey_results(version=survey_version_published(survey=survey2), breakdown="buurt")
    assert groups.weighting.weighted
    assert [(g.code, g.suppressed) for g in groups.groups] == [
        ("BU05469000", True),
        ("BU05469001", True),
    ]


def test_results_equal_unweighted_when_population_is_proportional(buurten):
    # Wijk 1: 2 per (age, sex) cell, wijk 2: 1 per cell → wijk shares 2/3 and 1/3, half
    # young, half men; the population has exactly these shares, so every weight is 1.
    survey, panel = indicator_survey()
    answers = [{"F": "vaak", "K": 8}, {"F": "soms", "K": 5}, {"F": "nooit", "K": 7}]
    i = 0
    for buurt, per_cell in ((buurten[0], 2), (buurten[2], 1)):
        for age in (YOUNG, OLD):
            for sex in ("man", "vrouw"):
                for _ in range(per_cell):
                    respond(survey, panel, buurt=buurt, age_band=age, sex=sex,
                            answers=answers[i % 3])  # fmt: skip
                    i += 1
    version = survey_version_published(survey=survey)
    plain = survey_results(version=version)
    assert plain.weighting.reason == "no_population"
    population("GM0546", level=AreaLevel.GEMEENTE, young=1500, old=1500)
    population(WIJK_1, level=AreaLevel.WIJK, young=1000, old=1000)
    population(WIJK_2, level=AreaLevel.WIJK, young=500, old=500)
    weighted = survey_results(version=version)
    assert weighted.weighting.weighted
    assert all(w == pytest.approx(1.0) for w in weighted.weighting.weights.values())
    for new, old in zip(
        indicators_compute(questions=weighted.questions),
        indicators_compute(questions=plain.questions),
        strict=True,
    ):
        assert new.weighted
        assert not old.weighted
        assert (new.value, new.ci_low, new.ci_high, new.n, new.n_eff) == (
            old.value,
            old.ci_low,
            old.ci_high,
            old.n,
            old.n_eff,
        )
        assert new.value == new.unweighted_value


def test_no_population_figures_gives_unweighted_results_with_a_reason(buurten):
    survey = young_and_old(buurten)
    results = survey_results(version=survey_version_published(survey=survey))
    assert not results.weighting.weighted
    assert results.weighting.reason == "no_population"
    assert "CBS" in results.weighting.reason_message
    i1 = next(i for i in indicators_compute(questions=results.questions) if i.code == "I1")
    # Unweighted: value = unweighted value, n_eff = n, Wilson on n.
    assert (i1.value, i1.unweighted_value, i1.n_eff, i1.weighted) == (30.0, 30.0, 20.0, False)
    low, high = wilson_interval(0.3, 20)
    assert (i1.ci_low, i1.ci_high) == (round(100 * low, 1), round(100 * high, 1))


def test_population_year_is_the_latest_not_after_the_survey_year(buurten):
    opens = datetime(2023, 10, 2, 9, tzinfo=UTC)
    gemeente_and_wijk_1(year=2024)
    survey = young_and_old(buurten, opens_at=opens)
    version = survey_version_published(survey=survey)
    # Only 2024 figures for a 2023 survey: none usable.
    assert survey_results(version=version).weighting.reason == "no_population"
    gemeente_and_wijk_1(year=2022)
    assert survey_results(version=version).weighting.population_year == 2022


def test_suppressed_population_figures_give_a_reason(buurten):
    gemeente_and_wijk_1(men=None, suppressed_fields=["men"])
    survey = young_and_old(buurten)
    weighting = survey_results(version=survey_version_published(survey=survey)).weighting
    assert (weighting.weighted, weighting.reason) == (False, "population_incomplete")
    assert weighting.detail["margin"] == "sex"


def test_a_wijk_with_respondents_but_without_figures_gives_a_reason(buurten):
    gemeente_and_wijk_1()
    survey = young_and_old(buurten)
    respond(survey, survey.panel, buurt=buurten[2], age_band=OLD, sex="man", answers={"F": "nooit"})
    weighting = survey_results(version=survey_version_published(survey=survey)).weighting
    assert weighting.reason == "population_incomplete"
    assert weighting.detail == {"margin": "wijk", "areas": [WIJK_2], "population_year": 2024}


def test_a_population_group_without_respondents_gives_a_reason(buurten):
    gemeente_and_wijk_1(age_25_44=300)
    survey = young_and_old(buurten)
    weighting = survey_results(version=survey_version_published(survey=survey)).weighting
    assert weighting.reason == "category_without_respondents"
    assert weighting.detail["categories"] == ["25-44"]


def test_respondents_without_sex_or_buurt_are_left_out_of_that_margin(buurten):
    gemeente_and_wijk_1()
    survey = young_and_old(buurten)
    respond(survey, survey.panel, buurt=buurten[0], age_band=OLD, sex="liever_niet",
            answers={"F": "nooit"})  # fmt: skip
    respond(survey, survey.panel, buurt=None, age_band=YOUNG, sex="", answers={"F": "vaak"})
    weighting = survey_results(version=survey_version_published(survey=survey)).weighting
    assert weighting.weighted
    assert weighting.left_out == {"wijk": 1, "age_band": 0, "sex": 2}
    assert weighting.n == 22


def test_open_link_and_panel_responses_are_never_weighted_together(buurten):
    gemeente_and_wijk_1()
    survey = young_and_old(buurten, distribution="open_link")
    submit_open(survey, {"F": "vaak"})
    version = survey_version_published(survey=survey)
    both = survey_results(version=version)
    assert both.indicative
    assert (both.weighting.weighted, both.weighting.reason) == (False, "mixed_channels")
    panel = survey_results(version=version, channel=Response.Channel.PANEL)
    assert panel.weighting.weighted
    assert not panel.indicative
    # The open-link respondent gave no background: nothing to weigh on; still indicative.
    open_link = survey_results(version=version, channel=Response.Channel.OPEN_LINK)
    assert open_link.indicative
    assert not open_link.weighting.weighted


def test_unknown_channel_is_refused(buurten):
    survey = young_and_old(buurten, young=1, old=1)
    with pytest.raises(ValueError, match="channel"):
        survey_results(version=survey_version_published(survey=survey), channel="post")

"""Indicator trends between two survey waves: the change against the nulmeting and the
conservative significance rule (the 95 % intervals do not overlap); one channel at a time."""

import pytest

from surveys.selectors import survey_version_published
from surveys.trends import TrendPoint, TrendRow, indicator_trend
from tests.surveys.helpers import build_survey, q
from tests.surveys.weighting_helpers import OLD, indicator_survey, respond

pytestmark = pytest.mark.django_db


def wave(buurten, *, feel, mark, n=20):
    survey, panel = indicator_survey()
    for i in range(n):
        respond(survey, panel, buurt=buurten[0], age_band=OLD, sex="man" if i % 2 else "vrouw",
                answers={"F": feel(i), "K": mark})  # fmt: skip
    return survey_version_published(survey=survey)


def _row(trend, code):
    return next(row for row in trend.rows if row.code == code)


def test_a_large_change_is_significant_and_a_small_one_is_not(buurten):
    before = wave(buurten, feel=lambda i: "nooit", mark=7)
    after = wave(buurten, feel=lambda i: "vaak" if i < 12 else "nooit", mark=7)

    trend = indicator_trend(before=before, after=after)

    i1 = _row(trend, "I1")
    assert (i1.before.value, i1.after.value, i1.change) == (0.0, 60.0, 60.0)
    assert i1.significant is True
    i3 = _row(trend, "I3")
    assert i3.change == 0.0
    assert i3.significant is False
    assert i1.label.startswith("Voelt zich wel eens onveilig")
    assert trend.channel == "panel"
    assert (trend.before_weighted, trend.after_weighted) == (False, False)
    assert trend.comparable_weighting


def test_withheld_figures_have_no_change_and_no_verdict(buurten):
    before = wave(buurten, feel=lambda i: "nooit", mark=7, n=4)  # under the minimum n
    after = wave(buurten, feel=lambda i: "vaak", mark=8)

    i1 = _row(indicator_trend(before=before, after=after), "I1")
    assert i1.before.value is None
    assert (i1.change, i1.significant) == (None, None)


def test_only_indicators_both_waves_measure(buurten):
    before = wave(buurten, feel=lambda i: "nooit", mark=7)
    other = build_survey(questions=[q("K", type="mark_1_10", indicator_codes=["I3"])])
    after = survey_version_published(survey=other)

    trend = indicator_trend(before=before, after=after, channel="open_link")
    assert [row.code for row in trend.rows] == ["I3"]
    assert trend.rows[0].before.value is None  # the panel wave has no open-link answers


def test_an_unknown_channel_is_refused(buurten):
    version = wave(buurten, feel=lambda i: "nooit", mark=7, n=1)
    with pytest.raises(ValueError, match="telefoon"):
        indicator_trend(before=version, after=version, channel="telefoon")


def test_significance_needs_both_intervals():
    point = TrendPoint(value=50.0, ci_low=40.0, ci_high=60.0, n=20, weighted=False)
    bare = TrendPoint(value=55.0, ci_low=None, ci_high=None, n=20, weighted=False)
    row = TrendRow(code="I1", label="", about="", unit="percent", before=point, after=bare)
    assert row.significant is None
    assert row.change == 5.0

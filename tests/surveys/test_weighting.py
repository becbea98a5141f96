"""Raking to CBS margins, trimming, convergence and the uncertainty formulas
(surveys.weighting), on cases whose answers are worked out by hand in the comments."""

import math

import pytest

from surveys.weighting import (
    WEIGHT_MAX,
    WEIGHT_MIN,
    Margin,
    WeightingNotPossibleError,
    effective_n,
    mean_interval,
    rake,
    wilson_interval,
)

AREA = 0
AGE = 1
SEX = 2


def mean_weight(counts, weights):
    return sum(n * weights[s] for s, n in counts.items()) / sum(counts.values())


# --- Raking ---------------------------------------------------------------------------------


def test_rake_one_margin_gives_population_share_over_sample_share():
    # 25 young, 75 old; population 50/50 → young 0.5/0.25 = 2, old 0.5/0.75 = 2/3.
    counts = {("", "15-24", ""): 25, ("", "65+", ""): 75}
    result = rake(counts=counts, margins=[Margin("age_band", AGE, {"15-24": 1, "65+": 1})])
    assert result.weights[("", "15-24", "")] == pytest.approx(2.0)
    assert result.weights[("", "65+", "")] == pytest.approx(2 / 3)
    assert result.trim_rounds == 0
    assert result.trimmed == 0


def test_rake_two_margins_matches_the_closed_form_solution():
    # Sample (wijk × age): A/young 10, A/old 30, B/young 20, B/old 40; population 50/50 on
    # both margins. Raking keeps the sample's odds ratio (10·40)/(30·20) = 2/3, so the fitted
    # table is [[x, 50−x], [50−x, x]] with x²/(50−x)² = 2/3: x = 50·√(2/3)/(1+√(2/3)).
    counts = {("A", "y", ""): 10, ("A", "o", ""): 30, ("B", "y", ""): 20, ("B", "o", ""): 40}
    margins = [Margin("wijk", AREA, {"A": 50, "B": 50}), Margin("age", AGE, {"y": 50, "o": 50})]
    result = rake(counts=counts, margins=margins)
    x = 50 * math.sqrt(2 / 3) / (1 + math.sqrt(2 / 3))
    expected = {
        ("A", "y", ""): x / 10,
        ("A", "o", ""): (50 - x) / 30,
        ("B", "y", ""): (50 - x) / 20,
        ("B", "o", ""): x / 40,
    }
    for stratum, weight in expected.items():
        assert result.weights[stratum] == pytest.approx(weight, rel=1e-5)
    assert mean_weight(counts, result.weights) == pytest.approx(1.0)
    assert result.max_margin_error < 1e-5


def test_rake_converges_within_the_limit_and_reports_sweeps():
    counts = {("A", "y", ""): 10, ("A", "o", ""): 30, ("B", "y", ""): 20, ("B", "o", ""): 40}
    margins = [Margin("wijk", AREA, {"A": 50, "B": 50}), Margin("age", AGE, {"y": 50, "o": 50})]
    result = rake(counts=counts, margins=margins)
    assert 1 < result.iterations < 50
    # One sweep is not enough to fit both margins: the limit is reported, not ignored.
    with pytest.raises(WeightingNotPossibleError) as caught:
        rake(counts=counts, margins=margins, max_iterations=1)
    assert caught.value.code == "not_converged"


def test_rake_reports_margins_that_contradict_the_sample_as_not_converged():
    # Everyone in A is young and everyone in B old, so A's share (50 %) and the young share
    # (30 %) cannot both be met: raking oscillates until the limit.
    counts = {("A", "y", ""): 10, ("B", "o", ""): 10}
    margins = [Margin("wijk", AREA, {"A": 50, "B": 50}), Margin("age", AGE, {"y": 30, "o": 70})]
    with pytest.raises(WeightingNotPossibleError) as caught:
        rake(counts=counts, margins=margins)
    assert caught.value.code == "not_converged"


def test_trimming_caps_weights_and_keeps_mean_one():
    # 2 young, 98 old, population 50/50: untrimmed young weight 25. Trimmed to 5; the old
    # then carry the rest of the total 100: (100 − 2·5)/98.
    counts = {("", "y", ""): 2, ("", "o", ""): 98}
    result = rake(counts=counts, margins=[Margin("age", AGE, {"y": 50, "o": 50})])
    assert result.weights[("", "y", "")] == pytest.approx(WEIGHT_MAX)
    assert result.weights[("", "o", "")] == pytest.approx(90 / 98)
    assert mean_weight(counts, result.weights) == pytest.approx(1.0)
    assert result.trimmed == 2
    assert result.trim_rounds >= 1
    # The young share is 10 % instead of 50 %: the bounds keep the margin from being met.
    assert result.max_margin_error == pytest.approx(0.8)


def test_trimming_lower_bound():
    # 90 young, 10 old, population 40/60: young 0.4/0.9 = 0.444, old 0.6/0.1 = 6 → 5; the
    # young then carry the rest of the total 100: (100 − 10·5)/90 = 0.556.
    counts = {("", "y", ""): 90, ("", "o", ""): 10}
    result = rake(counts=counts, margins=[Margin("age", AGE, {"y": 40, "o": 60})])
    assert result.weights[("", "o", "")] == pytest.approx(WEIGHT_MAX)
    assert result.weights[("", "y", "")] == pytest.approx(50 / 90)
    # Population 2/98 would need young 0.022 and old 9.8; both bounds bind and the common
    # scale keeps the mean at 1 (young 50/90 again, old 5).
    result = rake(counts=counts, margins=[Margin("age", AGE, {"y": 2, "o": 98})])
    assert result.weights[("", "o", "")] == pytest.approx(WEIGHT_MAX)
    assert result.weights[("", "y", "")] == pytest.approx(50 / 90)
    assert mean_weight(counts, result.weights) == pytest.approx(1.0)
    # 95 young, 5 old, population 99/1: young 1.04, old 0.2 (bound), mean 1.
    counts = {("", "y", ""): 95, ("", "o", ""): 5}
    result = rake(counts=counts, margins=[Margin("age", AGE, {"y": 99, "o": 1})])
    assert result.weights[("", "o", "")] == pytest.approx(WEIGHT_MIN)
    assert result.weights[("", "y", "")] == pytest.approx((100 - 5 * 0.2) / 95)
    assert min(result.weights.values()) >= WEIGHT_MIN
    assert max(result.weights.values()) <= WEIGHT_MAX


def test_trimming_with_three_margins_keeps_bounds_and_mean():
    counts = {
        ("A", "y", "man"): 1,
        ("A", "y", "vrouw"): 3,
        ("A", "o", "man"): 30,
        ("A", "o", "vrouw"): 40,
        ("B", "y", "man"): 2,
        ("B", "o", "vrouw"): 25,
        ("B", "o", "man"): 20,
    }
    margins = [
        Margin("wijk", AREA, {"A": 60, "B": 40}),
        Margin("age", AGE, {"y": 45, "o": 55}),
        Margin("sex", SEX, {"man": 50, "vrouw": 50}),
    ]
    result = rake(counts=counts, margins=margins)
    assert all(WEIGHT_MIN - 1e-12 <= w <= WEIGHT_MAX + 1e-12 for w in result.weights.values())
    assert mean_weight(counts, result.weights) == pytest.approx(1.0)
    assert result.trimmed > 0


def test_respondents_without_a_value_are_left_out_of_that_margin_only():
    # Sex known for 80 (20 man, 60 vrouw), blank for 20; population 50/50. The 80 are
    # scaled to 40/40 (man 2, vrouw 2/3); the 20 keep weight 1, and the mean stays 1.
    counts = {("", "", "man"): 20, ("", "", "vrouw"): 60, ("", "", ""): 20}
    result = rake(counts=counts, margins=[Margin("sex", SEX, {"man": 1, "vrouw": 1})])
    assert result.weights[("", "", "man")] == pytest.approx(2.0)
    assert result.weights[("", "", "vrouw")] == pytest.approx(2 / 3)
    assert result.weights[("", "", "")] == pytest.approx(1.0)


def test_a_margin_nobody_answered_cannot_be_fitted():
    counts = {("", "", ""): 20}
    with pytest.raises(WeightingNotPossibleError) as caught:
        rake(counts=counts, margins=[Margin("sex", SEX, {"man": 1, "vrouw": 1})])
    assert caught.value.code == "margin_without_respondents"
    assert caught.value.detail == {"margin": "sex"}


def test_a_population_group_without_respondents_cannot_be_fitted():
    counts = {("", "y", ""): 20}
    with pytest.raises(WeightingNotPossibleError) as caught:
        rake(counts=counts, margins=[Margin("age", AGE, {"y": 1, "o": 1})])
    assert caught.value.code == "category_without_respondents"
    assert caught.value.detail == {"margin": "age", "categories": ["o"]}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bounds": (0, 5)}, "bounds"),
        ({"bounds": (1.5, 5)}, "bounds"),
        ({"max_iterations": 0}, "limits"),
        ({"tolerance": 0}, "limits"),
    ],
)
def test_rake_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        rake(counts={("", "y", ""): 1}, margins=[Margin("a", AGE, {"y": 1})], **kwargs)


def test_rake_rejects_bad_counts_and_margins():
    with pytest.raises(ValueError, match="non-negative integers"):
        rake(counts={("", "y", ""): -1}, margins=[Margin("a", AGE, {"y": 1})])
    with pytest.raises(ValueError, match="non-negative population"):
        rake(counts={("", "y", ""): 1}, margins=[Margin("a", AGE, {"y": -1})])
    with pytest.raises(ValueError, match="at least one margin"):
        rake(counts={("", "y", ""): 1}, margins=[])
    with pytest.raises(WeightingNotPossibleError):
        rake(counts={}, margins=[Margin("a", AGE, {"y": 1})])


# --- Uncertainty ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    # Newcombe (1998), Statistics in Medicine 17:857–872, table I, method 3 (Wilson score).
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
     (1, 29, 0.0061, 0.1718)],
)  # fmt: skip
def test_wilson_interval_matches_published_values(successes, n, low, high):
    ci = wilson_interval(successes / n, n)
    assert (round(ci[0], 4), round(ci[1], 4)) == (low, high)


def test_wilson_interval_rejects_bad_input():
    with pytest.raises(ValueError, match="positive"):
        wilson_interval(0.5, 0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        wilson_interval(1.5, 10)


def test_effective_n_is_kish():
    # Weights 1, 1, 2: (Σw)²/Σw² = 16/6.
    assert effective_n(4.0, 6.0) == pytest.approx(16 / 6)
    # Equal weights: n_eff = n.
    assert effective_n(10 * 0.7, 10 * 0.49) == pytest.approx(10)
    assert effective_n(0.0, 0.0) == 0.0


def test_mean_interval_unweighted_is_the_t_free_normal_interval():
    # 6, 7, 8: mean 7, sample sd 1, half width 1.96/√3.
    mean, low, high, n_eff = mean_interval([(6, 1, 1.0), (7, 1, 1.0), (8, 1, 1.0)])
    assert mean == pytest.approx(7)
    assert n_eff == pytest.approx(3)
    assert high - mean == pytest.approx(1.959964 / math.sqrt(3), rel=1e-6)
    assert mean - low == pytest.approx(high - mean)


def test_mean_interval_weighted():
    # 0 with weight 1, 10 with weight 3: mean 7.5; n_eff = 16/10 = 1.6; weighted variance
    # (1·56.25 + 3·6.25)/4 = 18.75, corrected ·1.6/0.6 = 50, so sd = √50 and the half width
    # is 1.96·√50/√1.6.
    mean, low, high, n_eff = mean_interval([(0, 1, 1.0), (10, 1, 3.0)])
    assert mean == pytest.approx(7.5)
    assert mean - low == pytest.approx(high - mean)
    assert n_eff == pytest.approx(1.6)
    assert high - mean == pytest.approx(1.959964 * math.sqrt(50) / math.sqrt(1.6), rel=1e-6)
    # Counts multiply: two respondents of value 6 equal one with count 2.
    assert mean_interval([(6, 2, 1.0), (8, 1, 1.0)]) == pytest.approx(
        mean_interval([(6, 1, 1.0), (6, 1, 1.0), (8, 1, 1.0)])
    )
    assert mean_interval([]) is None

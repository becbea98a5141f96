"""Survey weights: raking (iterative proportional fitting) to CBS population margins, and the
uncertainty of weighted figures (domain.md §9.1, §9.2; docs/adr/0004-survey-weighting.md).

Respondents are grouped in *strata* (wijk, age band, sex); every respondent of one stratum gets
the same weight, so everything here works on stratum counts and nothing is loaded per
respondent. The weights are fitted at gemeente level to three margins of the population aged
15 and over:

* age band: CBS `age_15_24`, `age_25_44`, `age_45_64`, `age_65_plus`;
* sex: CBS `men` / `women` (CBS publishes these for all ages only, so this margin is the sex
  ratio of the whole population; see the ADR);
* area: the wijk of the respondent's buurt, its population 15+ being the sum of its four age
  bands.

A respondent without a value for a margin (sex "anders", "liever_niet" or blank, no age band,
no buurt or a buurt outside the municipality) is left out of *that* margin's adjustment only:
each margin step rescales the respondents that have a value for it so that their weighted
distribution matches the population shares, keeping their weighted total unchanged; the others
keep their weight in that step.

Weights are normalised to mean 1 over the respondents and trimmed to [0.2, 5]: clip and
renormalise, one raking sweep, repeated (at most `MAX_TRIM_ROUNDS` times) until the weights
stay within the bounds or stop changing; a last clip-and-renormalise makes the bounds hold
exactly. The margins are then met as far as the bounds allow (`max_margin_error` says how
far). When figures are missing or a margin cannot be fitted the results are unweighted and
`Weighting.reason` says why; this module never raises for data that merely cannot be
weighted.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo.codes import AreaLevel, parent_code_of
from geo.models import AreaPopulation
from participation.models import PanelMembership
from surveys.models import Response, SurveyVersion

# Stratum of a respondent: (wijk code, age band, sex), "" where unknown.
Stratum = tuple[str, str, str]

WEIGHT_MIN = 0.2
WEIGHT_MAX = 5.0
TOLERANCE = 1e-6  # largest relative deviation from a margin share counted as fitted
MAX_ITERATIONS = 200  # raking sweeps over all margins
MAX_TRIM_ROUNDS = 500  # clip → sweep → renormalise rounds
Z_95 = 1.959963984540054

AGE_FIELDS: dict[str, str] = {
    PanelMembership.AgeBand.AGE_15_24: "age_15_24",
    PanelMembership.AgeBand.AGE_25_44: "age_25_44",
    PanelMembership.AgeBand.AGE_45_64: "age_45_64",
    PanelMembership.AgeBand.AGE_65_PLUS: "age_65_plus",
}
SEX_FIELDS: dict[str, str] = {
    PanelMembership.Sex.MAN: "men",
    PanelMembership.Sex.VROUW: "women",
}
MARGIN_AREA, MARGIN_AGE, MARGIN_SEX = "wijk", "age_band", "sex"
MARGIN_POSITION = {MARGIN_AREA: 0, MARGIN_AGE: 1, MARGIN_SEX: 2}

# Why results are not weighted (Weighting.reason).
REASON_MESSAGES: dict[str, Any] = {
    "mixed_channels": _(
        "De antwoorden komen via de open link én het burgerpanel. Die wegen we niet samen: "
        "kies één kanaal voor gewogen cijfers."
    ),
    "no_responses": _("Er zijn nog geen ingevulde vragenlijsten."),
    "no_population": _(
        "Er zijn geen CBS-bevolkingscijfers van het jaar van de vragenlijst of eerder."
    ),
    "population_incomplete": _(
        "De CBS-bevolkingscijfers zijn onvolledig of geheimgehouden voor een kenmerk waarop "
        "we wegen."
    ),
    "margin_without_respondents": _(
        "Niemand heeft een kenmerk opgegeven waarop we wegen (leeftijdsgroep, geslacht of buurt)."
    ),
    "category_without_respondents": _(
        "Een groep uit de bevolking (een leeftijdsgroep, geslacht of wijk) heeft geen "
        "respondenten, dus de verdeling is niet te herstellen."
    ),
    "not_converged": _("De weging kwam niet tot een oplossing binnen het maximum aantal rondes."),
}
MARGIN_LABELS: dict[str, Any] = {
    MARGIN_AREA: _("wijk"),
    MARGIN_AGE: _("leeftijdsgroep"),
    MARGIN_SEX: _("geslacht"),
}


class WeightingNotPossibleError(Exception):
    """The margins cannot be fitted; `code` is one of REASON_MESSAGES."""

    def __init__(self, code: str, **detail: Any) -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}")


# --- Raking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Margin:
    """Population totals per category of one stratum position (0 wijk, 1 age band, 2 sex).
    Strata whose category is not in `targets` have no value for this margin."""

    name: str
    position: int
    targets: Mapping[str, float]

    def category(self, stratum: Stratum) -> str | None:
        value = stratum[self.position]
        return value if value in self.targets else None


@dataclass(frozen=True)
class RakeResult:
    weights: dict[Stratum, float]
    iterations: int  # raking sweeps, over all rounds
    trim_rounds: int
    trimmed: int  # respondents whose weight ended at a bound
    max_margin_error: float  # largest |weighted share − population share| / population share


def _margin_error(
    counts: Mapping[Stratum, int], weights: Mapping[Stratum, float], margins: Sequence[Margin]
) -> float:
    worst = 0.0
    for margin in margins:
        totals: dict[str, float] = defaultdict(float)
        for stratum, n in counts.items():
            category = margin.category(stratum)
            if category is not None:
                totals[category] += n * weights[stratum]
        base = math.fsum(totals.values())
        population = math.fsum(margin.targets.values())
        for category, target in margin.targets.items():
            share = target / population
            worst = max(worst, abs(totals.get(category, 0.0) / base - share) / share)
    return worst


def _sweep(
    counts: Mapping[Stratum, int], weights: dict[Stratum, float], margins: Sequence[Margin]
) -> None:
    """One raking sweep: each margin in turn, scaling only the strata that have a value."""
    for margin in margins:
        totals: dict[str, float] = defaultdict(float)
        for stratum, n in counts.items():
            category = margin.category(stratum)
            if category is not None:
                totals[category] += n * weights[stratum]
        base = math.fsum(totals.values())
        population = math.fsum(margin.targets.values())
        factors = {
            category: (target / population) * base / totals[category]
            for category, target in margin.targets.items()
        }
        for stratum in counts:
            category = margin.category(stratum)
            if category is not None:
                weights[stratum] *= factors[category]


def _normalise(counts: Mapping[Stratum, int], weights: dict[Stratum, float]) -> None:
    total = math.fsum(n for n in counts.values())
    mean = math.fsum(n * weights[s] for s, n in counts.items()) / total
    for stratum in weights:
        weights[stratum] /= mean


def _trim(
    counts: Mapping[Stratum, int], weights: dict[Stratum, float], low: float, high: float
) -> None:
    """Clip to [low, high] and renormalise to mean 1 exactly: find the common scale c with
    Σ n·clip(c·w) = Σ n (the left side grows with c, from Σ n·low ≤ Σ n to Σ n·high ≥ Σ n,
    so c exists since low ≤ 1 ≤ high), by bisection; then the strata inside the bounds are
    scaled exactly to make up the total."""
    total = math.fsum(counts.values())

    def clipped(c: float, s: Stratum) -> float:
        return min(max(c * weights[s], low), high)

    def mass(c: float) -> float:
        return math.fsum(n * clipped(c, s) for s, n in counts.items())

    c_low = low / max(weights.values())
    c_high = high / min(weights.values())
    for _step in range(200):
        middle = math.sqrt(c_low * c_high)
        if middle in (c_low, c_high):
            break
        if mass(middle) < total:
            c_low = middle
        else:
            c_high = middle
    c = c_high
    free = [s for s in counts if low < c * weights[s] < high]
    fixed = {s: clipped(c, s) for s in counts if s not in free}
    free_total = math.fsum(counts[s] * weights[s] for s in free)
    if free_total > 0:
        scale = (total - math.fsum(counts[s] * w for s, w in fixed.items())) / free_total
        for s in free:
            weights[s] = min(max(scale * weights[s], low), high)
    weights.update(fixed)


def _within(weights: Mapping[Stratum, float], low: float, high: float, slack: float) -> bool:
    return all(low * (1 - slack) <= w <= high * (1 + slack) for w in weights.values())


def _check_margins(counts: Mapping[Stratum, int], margins: Sequence[Margin]) -> None:
    for margin in margins:
        if not margin.targets or any(t < 0 for t in margin.targets.values()):
            raise ValueError(f"Margin {margin.name!r} needs non-negative population totals.")
        if any(t == 0 for t in margin.targets.values()):
            raise ValueError(f"Margin {margin.name!r}: leave out categories without population.")
        present = {margin.category(s) for s, n in counts.items() if n > 0} - {None}
        if not present:
            raise WeightingNotPossibleError("margin_without_respondents", margin=margin.name)
        missing = sorted(set(margin.targets) - present)
        if missing:
            raise WeightingNotPossibleError(
                "category_without_respondents", margin=margin.name, categories=missing
            )


def rake(
    *,
    counts: Mapping[Stratum, int],
    margins: Sequence[Margin],
    bounds: tuple[float, float] = (WEIGHT_MIN, WEIGHT_MAX),
    tolerance: float = TOLERANCE,
    max_iterations: int = MAX_ITERATIONS,
    max_trim_rounds: int = MAX_TRIM_ROUNDS,
) -> RakeResult:
    """Weights per stratum such that, for every margin, the weighted distribution of the
    respondents with a value for it matches the population shares; normalised to mean 1 and
    trimmed to `bounds`.

    Raises ValueError for malformed input, and `WeightingNotPossibleError` when the margins cannot
    be fitted (no respondent has a value for a margin, a population category has no
    respondents, or untrimmed raking does not converge within `max_iterations` sweeps)."""
    low, high = bounds
    if not 0 < low <= 1 <= high:
        raise ValueError("Weight bounds must satisfy 0 < low ≤ 1 ≤ high.")
    if max_iterations < 1 or max_trim_rounds < 0 or tolerance <= 0:
        raise ValueError("Iteration limits must be positive.")
    if any(not isinstance(n, int) or n < 0 for n in counts.values()):
        raise ValueError("Stratum counts must be non-negative integers.")
    counts = {s: n for s, n in counts.items() if n > 0}
    if not counts:
        raise WeightingNotPossibleError("no_responses")
    if not margins:
        raise ValueError("Raking needs at least one margin.")
    _check_margins(counts, margins)

    weights = dict.fromkeys(counts, 1.0)
    iterations = 0

    def rake_until_fitted() -> bool:
        nonlocal iterations
        for _sweep_number in range(max_iterations):
            if _margin_error(counts, weights, margins) <= tolerance:
                return True
            _sweep(counts, weights, margins)
            iterations += 1
        return _margin_error(counts, weights, margins) <= tolerance

    if not rake_until_fitted():
        raise WeightingNotPossibleError("not_converged", iterations=iterations)
    _normalise(counts, weights)

    # Trimming: trim (clip and renormalise), one raking sweep, renormalise; repeated until the
    # weights stay within the bounds, stop changing (the bounds keep a margin from being
    # met) or the limit is reached. The last trim makes the bounds hold exactly.
    trim_rounds = 0
    while not _within(weights, low, high, 1e-9) and trim_rounds < max_trim_rounds:
        trim_rounds += 1
        before = dict(weights)
        _trim(counts, weights, low, high)
        _sweep(counts, weights, margins)
        iterations += 1
        _normalise(counts, weights)
        if all(abs(weights[s] - before[s]) <= tolerance * before[s] for s in weights):
            break
    if trim_rounds:
        _trim(counts, weights, low, high)

    at_bound = sum(
        n
        for s, n in counts.items()
        if math.isclose(weights[s], low) or math.isclose(weights[s], high)
    )
    return RakeResult(
        weights=weights,
        iterations=iterations,
        trim_rounds=trim_rounds,
        trimmed=at_bound if trim_rounds else 0,
        max_margin_error=_margin_error(counts, weights, margins),
    )


# --- Uncertainty ----------------------------------------------------------------------------


def effective_n(weight_sum: float, weight_square_sum: float) -> float:
    """Kish: n_eff = (Σw)² / Σw²."""
    if weight_square_sum <= 0:
        return 0.0
    return weight_sum * weight_sum / weight_square_sum


def wilson_interval(proportion: float, n_eff: float, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a proportion (0–1) with the effective sample size."""
    if n_eff <= 0:
        raise ValueError("The Wilson interval needs a positive (effective) n.")
    if not 0 <= proportion <= 1:
        raise ValueError("A proportion lies between 0 and 1.")
    z2 = z * z
    denominator = 1 + z2 / n_eff
    centre = (proportion + z2 / (2 * n_eff)) / denominator
    half = z * math.sqrt(proportion * (1 - proportion) / n_eff + z2 / (4 * n_eff * n_eff))
    half /= denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(
    values: Iterable[tuple[float, int, float]], z: float = Z_95
) -> tuple[float, float, float, float] | None:
    """(mean, low, high, n_eff) of (value, count, weight) triples: the weighted mean
    ± z·sd_w/√n_eff, with sd_w the weighted standard deviation corrected by n_eff/(n_eff−1)
    (the ordinary sample sd when all weights are 1). None without values; with n_eff ≤ 1 the
    interval is the mean itself."""
    items = [(float(v), c, w) for v, c, w in values if c]
    weight_sum = math.fsum(c * w for _v, c, w in items)
    if weight_sum <= 0:
        return None
    square_sum = math.fsum(c * w * w for _v, c, w in items)
    mean = math.fsum(c * w * v for v, c, w in items) / weight_sum
    n_eff = effective_n(weight_sum, square_sum)
    if n_eff <= 1:
        return mean, mean, mean, n_eff
    variance = math.fsum(c * w * (v - mean) ** 2 for v, c, w in items) / weight_sum
    sd = math.sqrt(variance * n_eff / (n_eff - 1))
    half = z * sd / math.sqrt(n_eff)
    return mean, mean - half, mean + half, n_eff


# --- Population margins and the survey's weights --------------------------------------------


@dataclass(frozen=True)
class Weighting:
    """The weights of one set of responses, or why there are none (`reason`)."""

    weighted: bool
    reason: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    population_year: int | None = None
    margins: tuple[str, ...] = ()
    weights: dict[Stratum, float] = field(default_factory=dict)
    n: int = 0
    n_eff: float | None = None
    weight_min: float | None = None
    weight_max: float | None = None
    iterations: int = 0
    trimmed: int = 0
    max_margin_error: float | None = None
    left_out: dict[str, int] = field(default_factory=dict)  # respondents per margin

    @property
    def reason_message(self) -> str:
        return str(REASON_MESSAGES.get(self.reason, "")) if self.reason else ""

    def weight(self, stratum: Stratum) -> float:
        return self.weights.get(stratum, 1.0) if self.weighted else 1.0


def unweighted(reason: str, **detail: Any) -> Weighting:
    return Weighting(weighted=False, reason=reason, detail=detail)


def stratum_of(buurt_code: str | None, wijk_code: str | None, age_band: str, sex: str) -> Stratum:
    code = buurt_code or ""
    wijk = wijk_code or (parent_code_of(code) or "" if code else "")
    return wijk, age_band or "", sex or ""


def strata_count(*, responses: QuerySet[Response]) -> dict[tuple[str, str, Stratum], int]:
    """Responses per (channel, buurt code, stratum), one grouped query."""
    rows = (
        responses.values("channel", "buurt__code", "buurt__parent_code", "age_band", "sex")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[tuple[str, str, Stratum], int] = defaultdict(int)
    for row in rows:
        stratum = stratum_of(
            row["buurt__code"], row["buurt__parent_code"], row["age_band"], row["sex"]
        )
        out[(row["channel"], row["buurt__code"] or "", stratum)] += row["n"]
    return dict(out)


def survey_reference_year(*, version: SurveyVersion) -> int:
    """The year of the fieldwork: the survey's opening date, else the version's publication."""
    moment: datetime = version.survey.opens_at or version.published_at or timezone.now()
    return timezone.localtime(moment).year


def _complete(row: AreaPopulation | None, fields: Iterable[str]) -> bool:
    return row is not None and all(
        getattr(row, f) is not None and not row.is_suppressed(f) for f in fields
    )


def _population_rows(
    municipality_code: str, year: int
) -> tuple[AreaPopulation | None, dict[str, AreaPopulation]]:
    """The gemeente row and the wijk rows (by code, newest area vintage first) of one year."""
    digits = municipality_code[2:6]
    rows = (
        AreaPopulation.objects.filter(
            year=year,
            area__level__in=[AreaLevel.GEMEENTE, AreaLevel.WIJK],
            area__code__regex=rf"^(GM{digits}|WK{digits}[0-9A-Z]{{2}})$",
        )
        .select_related("area")
        .defer("area__boundary", "area__boundary_simplified")
        .order_by("area__code", "-area__year")
    )
    gemeente: AreaPopulation | None = None
    wijken: dict[str, AreaPopulation] = {}
    for row in rows:
        if row.area.level == AreaLevel.GEMEENTE:
            gemeente = gemeente or row
        else:
            wijken.setdefault(row.area.code, row)
    return gemeente, wijken


def _summed_margin(
    name: str,
    fields: Mapping[str, str],
    gemeente: AreaPopulation | None,
    wijken: Mapping[str, AreaPopulation],
) -> Margin:
    """Gemeente totals, else the sum over all wijken when every wijk has the figures."""
    if _complete(gemeente, fields.values()):
        totals = {cat: float(getattr(gemeente, f)) for cat, f in fields.items()}
    elif wijken and all(_complete(row, fields.values()) for row in wijken.values()):
        totals = {
            cat: float(sum(getattr(row, f) for row in wijken.values())) for cat, f in fields.items()
        }
    else:
        raise WeightingNotPossibleError(
            "population_incomplete", margin=name, fields=sorted(fields.values())
        )
    return Margin(name, MARGIN_POSITION[name], {c: t for c, t in totals.items() if t > 0})


def _area_margin(
    wijken: Mapping[str, AreaPopulation], counts: Mapping[Stratum, int], municipality_code: str
) -> Margin:
    """Population 15+ per wijk. A wijk of the municipality with respondents but without
    (complete, positive) figures makes the margin unusable; wijken without figures and
    without respondents are simply not part of it."""
    prefix = "WK" + municipality_code[2:6]
    targets = {
        code: float(sum(getattr(row, f) for f in AGE_FIELDS.values()))
        for code, row in wijken.items()
        if _complete(row, AGE_FIELDS.values())
    }
    targets = {code: total for code, total in targets.items() if total > 0}
    unfigured = sorted({s[0] for s in counts if s[0].startswith(prefix) and s[0] not in targets})
    if unfigured:
        raise WeightingNotPossibleError(
            "population_incomplete", margin=MARGIN_AREA, areas=unfigured
        )
    if not targets:
        raise WeightingNotPossibleError("population_incomplete", margin=MARGIN_AREA, areas=[])
    return Margin(MARGIN_AREA, MARGIN_POSITION[MARGIN_AREA], targets)


def weighting_compute(
    *, version: SurveyVersion, counts: Mapping[Stratum, int], channels: int = 1
) -> Weighting:
    """The raking weights of the responses of `version` counted per stratum in `counts`
    (the set being analysed: one channel), against the population of the survey's
    municipality in the latest year ≤ the survey year that has figures. `channels` is the
    number of response channels in the set: open-link and panel responses are never
    weighted together."""
    if channels > 1:
        return unweighted("mixed_channels")
    counts = {s: n for s, n in counts.items() if n > 0}
    if not counts:
        return unweighted("no_responses")
    survey = version.survey
    year = survey_reference_year(version=version)
    digits = survey.municipality_code[2:6]
    population_year = AreaPopulation.objects.filter(
        year__lte=year,
        area__level__in=[AreaLevel.GEMEENTE, AreaLevel.WIJK],
        area__code__regex=rf"^(GM{digits}|WK{digits}[0-9A-Z]{{2}})$",
    ).aggregate(year=Max("year"))["year"]
    if population_year is None:
        return unweighted("no_population", survey_year=year)
    gemeente, wijken = _population_rows(survey.municipality_code, population_year)
    try:
        margins = [
            _area_margin(wijken, counts, survey.municipality_code),
            _summed_margin(MARGIN_AGE, AGE_FIELDS, gemeente, wijken),
            _summed_margin(MARGIN_SEX, SEX_FIELDS, gemeente, wijken),
        ]
        result = rake(counts=counts, margins=margins)
    except WeightingNotPossibleError as exc:
        return unweighted(exc.code, population_year=population_year, **exc.detail)
    n = sum(counts.values())
    weight_sum = math.fsum(n_s * result.weights[s] for s, n_s in counts.items())
    square_sum = math.fsum(n_s * result.weights[s] ** 2 for s, n_s in counts.items())
    return Weighting(
        weighted=True,
        population_year=population_year,
        margins=tuple(m.name for m in margins),
        weights=result.weights,
        n=n,
        n_eff=effective_n(weight_sum, square_sum),
        weight_min=min(result.weights.values()),
        weight_max=max(result.weights.values()),
        iterations=result.iterations,
        trimmed=result.trimmed,
        max_margin_error=result.max_margin_error,
        left_out={
            m.name: sum(n_s for s, n_s in counts.items() if m.category(s) is None) for m in margins
        },
    )

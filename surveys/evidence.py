"""Evidence blocks from surveys for the veiligheidsplan: the Veiligheidsmonitor indicators of
one questionnaire version (domain.md §9), weighted to CBS figures with 95 % intervals where
possible, published figures only (groups and figures under the minimum n withheld), with the
source a block needs to stand on its own (docs/ivp.md)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, Min
from django.utils import timezone, translation

from geo.codes import AreaLevel
from geo.selectors import area_list
from participation.evidence import EvidenceDraft, software_version
from participation.models import EvidenceBlock
from surveys.indicators import IndicatorRow, indicator_rows
from surveys.models import Response, SurveyVersion
from surveys.results import UNKNOWN_AREA, SurveyResults, min_cell_n, survey_results
from surveys.selectors import questionnaire_get
from surveys.weighting import MARGIN_LABELS, REASON_MESSAGES

UNITS = {"percent": "%", "mark": "cijfer 1–10", "score_0_10": "score 0–10"}

COLUMNS_BASE = [
    {"key": "indicator", "label": "Indicator", "label_en": "Indicator"},
    {"key": "about", "label": "Over", "label_en": "About"},
]
COLUMNS_FIGURES = [
    {"key": "value", "label": "Waarde", "label_en": "Value", "numeric": True},
    {
        "key": "ci_low",
        "label": "95%-interval van",
        "label_en": "95% interval from",
        "numeric": True,
    },
    {"key": "ci_high", "label": "95%-interval tot", "label_en": "95% interval to", "numeric": True},
    {"key": "n", "label": "n", "label_en": "n", "numeric": True},
    {"key": "n_eff", "label": "n effectief", "label_en": "effective n", "numeric": True},
    {"key": "unit", "label": "Eenheid", "label_en": "Unit"},
]


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def _row(row: IndicatorRow, label_en: str, area: str | None) -> dict[str, Any]:
    v = row.value
    withheld = v.suppressed or v.value is None
    out: dict[str, Any] = {
        "indicator": f"{row.code} {row.label}",
        "indicator_en": f"{row.code} {label_en}",
        "about": row.about or None,
        "value": None if withheld else _round(v.value),
        "ci_low": None if withheld else _round(v.ci_low),
        "ci_high": None if withheld else _round(v.ci_high),
        "n": None if withheld else v.n,
        "n_eff": None if withheld else _round(v.n_eff, 0),
        "unit": UNITS.get(v.unit, v.unit),
        "code": row.code,
    }
    if area is not None:
        out["area"] = area
    return out


def _rows(
    questions_by_code: dict[str, Any], results: dict[str, Any], area: str | None, codes: set[str]
) -> list[dict[str, Any]]:
    with translation.override("nl"):
        dutch = indicator_rows(questions_by_code=questions_by_code, results=results)
    with translation.override("en"):
        english = indicator_rows(questions_by_code=questions_by_code, results=results)
    return [
        _row(nl, en.label, area)
        for nl, en in zip(dutch, english, strict=True)
        if not codes or nl.code in codes
    ]


def _fieldwork(version: SurveyVersion, channel: str | None) -> dict[str, str | None]:
    qs = Response.objects.filter(survey_version=version, submitted_at__isnull=False)
    if channel:
        qs = qs.filter(channel=channel)
    span = qs.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
    return {
        key: timezone.localdate(value).isoformat() if value else None for key, value in span.items()
    }


def _weighting_source(results: SurveyResults) -> dict[str, Any]:
    w = results.weighting
    with translation.override("nl"):
        margins = [str(MARGIN_LABELS.get(m, m)) for m in w.margins]
        reason = str(REASON_MESSAGES.get(w.reason, w.reason)) if w.reason else ""
    return {
        "weighted": w.weighted,
        "method": "raking op CBS-kerncijfers (gemeente)" if w.weighted else None,
        "margins": margins,
        "population_year": w.population_year,
        "n_eff": _round(w.n_eff, 0),
        "weight_range": [_round(w.weight_min, 2), _round(w.weight_max, 2)] if w.weighted else None,
        "reason": w.reason or None,
        "reason_text": reason or None,
        "intervals": "Wilson (percentages) of ±1,96·sd/√n_eff (gemiddelden), 95%",
    }


def survey_indicators_evidence(
    *,
    version: SurveyVersion,
    channel: str | None = None,
    breakdown: str | None = None,
    codes: tuple[str, ...] = (),
    title: str = "",
) -> EvidenceDraft:
    """The indicators of a questionnaire version as an evidence draft: for the whole
    gemeente, and per wijk with `breakdown="wijk"` (groups under the minimum n withheld as a
    whole). `codes` limits the indicators (I1…I17); `channel` "panel" or "open_link"."""
    if breakdown not in (None, AreaLevel.WIJK):
        raise ValueError(f"Unknown breakdown {breakdown!r}")
    results = survey_results(version=version, channel=channel, breakdown=breakdown)
    questions_by_code = {q.code: q for _s, qs in questionnaire_get(version=version) for q in qs}
    wanted = set(codes)
    rows = _rows(questions_by_code, results.questions, "Gemeente" if breakdown else None, wanted)
    if breakdown:
        names = dict(area_list(level=AreaLevel.WIJK).values_list("code", "name"))
        for group in results.groups:
            if group.code == UNKNOWN_AREA:
                continue
            area = f"{names.get(group.code, group.code)} ({group.code})"
            if group.suppressed:
                rows.append({"area": area, "indicator": None, "about": "minder dan de minimale n"})
                continue
            rows += _rows(questions_by_code, group.questions, area, wanted)
    columns = (
        ([{"key": "area", "label": "Gebied", "label_en": "Area"}] if breakdown else [])
        + COLUMNS_BASE
        + COLUMNS_FIGURES
    )
    survey = version.survey
    weighting = _weighting_source(results)
    what = "gewogen naar CBS-kerncijfers" if weighting["weighted"] else "ongewogen"
    default_title = (
        f"Veiligheidsmonitor-indicatoren uit ‘{survey.title}’ (versie {version.number}, {what})"
    )
    channel_label = {"panel": "burgerpanel", "open_link": "open link"}.get(channel or "", "alle")
    source = {
        "description": (
            f"Vragenlijst ‘{survey.title}’ van Buurtstem, versie {version.number}, kanaal "
            f"{channel_label}: indicatoren volgens de Veiligheidsmonitor (domain.md §9), "
            f"{what}."
            + (
                " Indicatief: deelname via een open link is geen steekproef."
                if results.indicative
                else ""
            )
        ),
        "dataset": "buurtstem.surveys",
        "survey": {"slug": survey.slug, "title": survey.title, "version": version.number},
        "channel": channel,
        "indicative": results.indicative,
        "breakdown": breakdown,
        "indicators": sorted(wanted) or None,
        "period": _fieldwork(version, channel),
        "respondents": results.n,
        "weighting": weighting,
        "disclosure": {
            "rule": "minimum_n",
            "min_n": min_cell_n(),
            "text": (
                f"Cijfers over minder dan {min_cell_n()} antwoorden zijn weggelaten, ook per "
                "wijk; soms een tweede wijk, zodat de eerste niet uit het totaal volgt."
            ),
        },
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "software": software_version(),
    }
    payload = {"columns": columns, "rows": rows, "total": None}
    return EvidenceDraft(
        kind=EvidenceBlock.Kind.SURVEY_INDICATORS,
        title=(title or default_title)[:200],
        payload=payload,
        source=source,
    )

"""Evidence blocks from reports for the veiligheidsplan: reports per 1,000 inhabitants,
published figures only (small counts withheld, rates from rounded counts), with the source
the block needs to stand on its own in the plan (docs/ivp.md)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from participation.evidence import EvidenceDraft, software_version
from participation.models import EvidenceBlock, Theme
from reports.analysis import AreaRate, RateFilters, report_rates
from reports.models import ReportCategory
from reports.selectors import public_count_rounding, public_min_count

LEVEL_LABELS = {"buurt": "buurt", "wijk": "wijk", "gemeente": "gemeente"}


COLUMNS = [
    {"key": "area", "label": "Gebied", "label_en": "Area"},
    {"key": "inhabitants", "label": "Inwoners", "label_en": "Inhabitants", "numeric": True},
    {"key": "reports", "label": "Meldingen", "label_en": "Reports", "numeric": True},
    {"key": "rate", "label": "Per 1.000 inwoners", "label_en": "Per 1,000", "numeric": True},
    {
        "key": "previous_rate",
        "label": "Vorige periode per 1.000",
        "label_en": "Previous period per 1,000",
        "numeric": True,
    },
    {"key": "change", "label": "Verschil", "label_en": "Change", "numeric": True},
]


def _row(rate: AreaRate) -> dict[str, Any]:
    return {
        "area": f"{rate.name} ({rate.code})",
        "inhabitants": rate.inhabitants,
        "reports": rate.current.reports,
        "rate": rate.current.rate,
        "previous_rate": rate.previous.rate,
        "change": rate.change,
    }


def _what(filters: RateFilters) -> str:
    parts = []
    if filters.theme:
        theme = Theme.objects.filter(slug=filters.theme).first()
        parts.append(f"thema {theme.name if theme else filters.theme}")
    if filters.category:
        category = ReportCategory.objects.filter(slug=filters.category).first()
        parts.append(f"categorie {category.name if category else filters.category}")
    return ", ".join(parts) or "alle categorieën (niet vertrouwelijk)"


def report_rates_evidence(
    *,
    filters: RateFilters,
    level: str,
    municipality_code: str,
    area_codes: frozenset[str] | None = None,
    title: str = "",
) -> EvidenceDraft:
    """The published table of `reports.analysis.report_rates` as an evidence draft.
    Confidential categories are never part of evidence (the plan is public)."""
    public_filters = RateFilters(
        date_from=filters.date_from,
        date_to=filters.date_to,
        sensitivities=tuple(
            s for s in filters.sensitivities if s != ReportCategory.Sensitivity.CONFIDENTIAL
        ),
        theme=filters.theme,
        category=filters.category,
    )
    table = report_rates(
        filters=public_filters,
        level=level,
        municipality_code=municipality_code,
        published=True,
        area_codes=area_codes,
    )
    previous = public_filters.previous()
    years = sorted(
        {r.population_year for r in [*table.rows, table.total] if r and r.population_year}
    )
    what = _what(public_filters)
    default_title = (
        f"Meldingen per 1.000 inwoners per {LEVEL_LABELS.get(level, level)}, "
        f"{public_filters.date_from:%d-%m-%Y} t/m {public_filters.date_to:%d-%m-%Y} ({what})"
    )
    payload = {
        "unit": "per_1000",
        "columns": COLUMNS,
        "rows": [_row(r) for r in table.rows],
        "total": _row(table.total) if table.total else None,
        "notes": {r.code: r.note for r in table.rows if r.note},
    }
    source = {
        "description": (
            "Meldingen van inwoners in Buurtstem (meldpunt), per 1.000 inwoners (indicator "
            f"I18). Geteld: {what}; meldingen die niet zijn samengevoegd of geannuleerd, op "
            "de datum van melden."
        ),
        "dataset": "buurtstem.reports",
        "indicator": "I18",
        "level": level,
        "period": {
            "from": public_filters.date_from.isoformat(),
            "to": public_filters.date_to.isoformat(),
        },
        "previous_period": {
            "from": previous.date_from.isoformat(),
            "to": previous.date_to.isoformat(),
        },
        "filters": {
            "theme": public_filters.theme,
            "category": public_filters.category,
            "sensitivities": list(public_filters.sensitivities),
            "areas": sorted(area_codes) if area_codes is not None else None,
        },
        "population": {
            "source": "CBS Kerncijfers wijken en buurten",
            "years": years,
        },
        "disclosure": {
            "rule": "small_count",
            "min_count": public_min_count(),
            "rounding": public_count_rounding(),
            "text": (
                f"Aantallen van 1 tot {public_min_count()} zijn weggelaten; andere aantallen "
                f"zijn afgerond op {public_count_rounding()}-tallen; cijfers per 1.000 zijn "
                "berekend met het afgeronde aantal."
            ),
        },
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "software": software_version(),
    }
    return EvidenceDraft(
        kind=EvidenceBlock.Kind.REPORT_RATES,
        title=(title or default_title)[:200],
        payload=payload,
        source=source,
    )

"""Names of the §9 indicators (domain.md) and of what a value is about (a cluster, an option,
a grid row), for the staff results page and for evidence blocks in the veiligheidsplan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from surveys.models import Question
from surveys.results import IndicatorValue, QuestionResult, indicators_compute
from surveys.scales import NUISANCE, OVERLAST_CLUSTERS, SCALES

# The formula follows from the code (surveys.results.indicators_compute).
INDICATOR_LABELS: dict[str, Any] = {
    "I1": gettext_lazy("Voelt zich wel eens onveilig in de eigen buurt"),
    "I2": gettext_lazy("Voelt zich vaak onveilig in de buurt"),
    "I3": gettext_lazy("Rapportcijfer leefbaarheid"),
    "I4": gettext_lazy("Rapportcijfer veiligheid"),
    "I5": gettext_lazy("Veel fysieke verloedering"),
    "I6": gettext_lazy("Veel sociale overlast"),
    "I7": gettext_lazy("Veel verkeersoverlast"),
    "I8": gettext_lazy("Veel overlast totaal"),
    "I9": gettext_lazy("Overlast komt voor"),
    "I10": gettext_lazy("Schaalscore fysieke voorzieningen (0–10)"),
    "I11": gettext_lazy("Schaalscore sociale cohesie (0–10)"),
    "I12": gettext_lazy("Slachtofferschap"),
    "I13": gettext_lazy("Aangifte of melding gedaan"),
    "I14": gettext_lazy("Oordeel over de gemeente (eens)"),
    "I15": gettext_lazy("Tevreden over de politie in de buurt"),
    "I16": gettext_lazy("Vermijdt onveilige plekken (vaak)"),
    "I17": gettext_lazy("Prioriteit voor de buurt"),
}


@dataclass
class IndicatorRow:
    code: str
    label: str
    question: str
    about: str  # the cluster / option / row, or ""
    percent: bool
    value: IndicatorValue


def _localized(item: dict[str, Any]) -> str:
    if (get_language() or "nl").startswith("en") and item.get("label_en"):
        return item["label_en"]
    return item.get("label", "")


def answer_labels(question: Question) -> dict[str, str]:
    """Labels of the answer values of a question, in the active language."""
    labels = {o.get("value"): _localized(o) for o in question.options}
    scale = question.scale if question.type == "grid" else question.type
    labels.update({p.value: p.localized_label for p in SCALES.get(scale, ())})
    labels.update({p.value: p.localized_label for p in NUISANCE})
    labels["niet"] = _("Komt niet voor")
    return labels


def indicator_rows(
    *, questions_by_code: dict[str, Question], results: dict[str, QuestionResult]
) -> list[IndicatorRow]:
    """The indicators of a set of question results, named in the active language."""
    english = (get_language() or "nl").startswith("en")
    rows = []
    for indicator in indicators_compute(questions=results):
        question = questions_by_code[indicator.question]
        labels = answer_labels(question)
        labels.update({r.get("key"): _localized(r) for r in question.rows})
        labels.update({k: v[1] if english else v[0] for k, v in OVERLAST_CLUSTERS.items()})
        labels.update({"totaal": _("Overlast totaal"), "vaak_of_soms": _("vaak of soms")})
        label = INDICATOR_LABELS.get(indicator.code, indicator.code)
        if indicator.code == "I16" and indicator.key == "vaak_of_soms":
            label = _("Vermijdt onveilige plekken (vaak of soms)")
        rows.append(
            IndicatorRow(
                code=indicator.code,
                label=str(label),
                question=indicator.question,
                about="" if indicator.key == "vaak_of_soms" else labels.get(indicator.key, ""),
                percent=indicator.unit == "percent",
                value=indicator,
            )
        )
    return rows

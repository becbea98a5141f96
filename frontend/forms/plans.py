"""Forms of the veiligheidsplan pages (/beheer/ivp/). Field checks only: the rules live in
`participation.services.plans` (their DomainErrors are shown at the field they name)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from frontend.forms.report_map import DateInput
from participation.models import PlanGoal, PlanPriority, SafetyPlan
from participation.selectors import plan_theme_choices
from surveys.indicators import INDICATOR_LABELS
from surveys.selectors import survey_versions_with_responses


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    start_year = forms.IntegerField(label=_("Eerste jaar"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Laatste jaar"), min_value=2000, max_value=2100)
    summary = forms.CharField(
        label=_("Samenvatting"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(
        label=_("Vastgesteld door de raad op"),
        widget=DateInput(),
        help_text=_("Na vaststellen kan niets in het plan meer veranderen."),
    )


class PriorityForm(forms.Form):
    theme = forms.ChoiceField(label=_("Veiligheidsveld of thema"))
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=PlanPriority.Kind.choices,
        initial=PlanPriority.Kind.SPEERPUNT,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Titel"), max_length=200)
    rationale = forms.CharField(
        label=_("Waarom dit een prioriteit is"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, plan: SafetyPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.themes = {str(t.pk): t for t in plan_theme_choices(plan=plan)}
        self.fields["theme"].choices = [("", _("Kies een thema"))] + [
            (pk, f"{t.code} {t.localized_name}") for pk, t in self.themes.items()
        ]

    def clean_theme(self) -> Any:
        return self.themes[self.cleaned_data["theme"]]


class GoalForm(forms.Form):
    description = forms.CharField(
        label=_("Doel"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Specifiek en tijdgebonden, bijvoorbeeld ‘minder overlast van jongeren in de "
            "binnenstad’."
        ),
    )
    indicator = forms.CharField(label=_("Indicator"), max_length=200)
    indicator_code = forms.CharField(
        label=_("Indicatorcode (niet verplicht)"),
        max_length=10,
        required=False,
        help_text=_("Bijvoorbeeld I18 voor meldingen per 1.000 inwoners."),
    )
    unit = forms.ChoiceField(label=_("Eenheid"), choices=PlanGoal.Unit.choices)
    baseline_value = forms.CharField(label=_("Nulmeting (waarde)"), required=False, max_length=20)
    baseline_year = forms.IntegerField(label=_("Jaar van de nulmeting"), required=False)
    target_value = forms.CharField(label=_("Doel (waarde)"), max_length=20)
    target_year = forms.IntegerField(label=_("Doeljaar"))
    ambition_value = forms.CharField(
        label=_("Ambitie (niet verplicht)"), required=False, max_length=20
    )
    source = forms.CharField(label=_("Bron"), required=False, max_length=300)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=300)


class EvidenceTargetForm(forms.Form):
    """Where a new evidence block goes, and its title."""

    target = forms.ChoiceField(label=_("Hoort bij"))
    title = forms.CharField(
        label=_("Titel (niet verplicht)"),
        max_length=200,
        required=False,
        help_text=_("Leeg: een titel die zegt wat er is geteld."),
    )

    def __init__(self, *args: Any, plan: SafetyPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("plan", _("Het plan als geheel"))]
        for priority in plan.priorities.all():
            options = [(f"p{priority.pk}", _("De prioriteit zelf"))]
            options += [(f"g{goal.pk}", goal.indicator) for goal in priority.goals.all()]
            choices.append((priority.title, options))
        self.fields["target"].choices = choices
        self.plan = plan

    def target_objects(self) -> tuple[PlanPriority | None, PlanGoal | None]:
        value = self.cleaned_data["target"]
        for priority in self.plan.priorities.all():
            if value == f"p{priority.pk}":
                return priority, None
            for goal in priority.goals.all():
                if value == f"g{goal.pk}":
                    return priority, goal
        return None, None


INDICATOR_CHOICES = [("", _("Alle indicatoren"))] + [
    (code, f"{code} {label}") for code, label in INDICATOR_LABELS.items()
]


class SurveyEvidenceForm(forms.Form):
    """Which survey figures to show (GET) and freeze (POST)."""

    versie = forms.ChoiceField(label=_("Vragenlijst"))
    kanaal = forms.ChoiceField(
        label=_("Kanaal"),
        required=False,
        choices=[
            ("panel", _("Burgerpanel")),
            ("open_link", _("Open link (indicatief)")),
            ("", _("Alle kanalen (ongewogen)")),
        ],
    )
    uitsplitsing = forms.ChoiceField(
        label=_("Gebieden"),
        required=False,
        choices=[("", _("Alleen de hele gemeente")), ("wijk", _("Gemeente en per wijk"))],
    )
    indicator = forms.ChoiceField(label=_("Indicator"), required=False, choices=INDICATOR_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {str(v.pk): v for v in survey_versions_with_responses()}
        self.fields["versie"].choices = [
            (pk, f"{v.survey.title} – versie {v.number} ({v.submitted})")
            for pk, v in self.versions.items()
        ]

    def clean_versie(self) -> Any:
        return self.versions[self.cleaned_data["versie"]]

    def query_string(self) -> str:
        data = {
            "versie": self.cleaned_data["versie"].pk,
            "kanaal": self.cleaned_data.get("kanaal") or "",
            "uitsplitsing": self.cleaned_data.get("uitsplitsing") or "",
            "indicator": self.cleaned_data.get("indicator") or "",
        }
        return urlencode(data)

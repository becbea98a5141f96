"""The filter form of the report analysis (GET): area level, period, veld/thema, category."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from frontend.forms.report_map import DateInput, FilterFormMixin
from geo.codes import AreaLevel
from participation.models import Theme
from reports.analysis import RateFilters
from reports.selectors import category_tree

LEVEL_CHOICES = [(AreaLevel.WIJK, _("Wijken")), (AreaLevel.BUURT, _("Buurten"))]
MAX_DAYS = 3 * 366


def theme_choices() -> list[tuple[str, Any]]:
    """Veiligheidsvelden with their thema's as option groups ("Alles in …" first)."""
    choices: list[tuple[str, Any]] = [("", _("Alle velden en thema's"))]
    themes = list(Theme.objects.filter(municipality_code="", is_active=True).order_by("code"))
    for veld in (t for t in themes if t.kind == Theme.Kind.VELD):
        options = [(veld.slug, _("Alles in %(name)s") % {"name": veld.localized_name})]
        options += [(t.slug, t.localized_name) for t in themes if t.parent_id == veld.pk]
        choices.append((veld.localized_name, options))
    return choices


def category_choices(*, sensitivities: tuple[str, ...]) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", _("Alle categorieën"))]
    for main, subs in category_tree():
        visible = [s for s in subs if s.sensitivity in sensitivities]
        if not subs:
            if main.sensitivity in sensitivities and main.accepts_reports:
                choices.append((main.slug, main.localized_name))
            continue
        if not visible:
            continue
        options = [(main.slug, _("Alles in %(name)s") % {"name": main.localized_name})]
        options += [(s.slug, s.localized_name) for s in visible]
        choices.append((main.localized_name, options))
    return choices


class ReportRateFilterForm(FilterFormMixin, forms.Form):
    """Bound to request.GET; empty fields mean the defaults (wijken, the last 12 months)."""

    niveau = forms.ChoiceField(label=_("Gebieden"), choices=LEVEL_CHOICES, required=False)
    van = forms.DateField(
        label=_("Van"),
        required=False,
        widget=DateInput(),
        help_text=_("Eerste dag, bijvoorbeeld 2025-01-01. Leeg: 12 maanden tot en met vandaag."),
    )
    tot = forms.DateField(
        label=_("Tot en met"),
        required=False,
        widget=DateInput(),
        help_text=_("Laatste dag, bijvoorbeeld 2025-12-31."),
    )
    thema = forms.ChoiceField(label=_("Veiligheidsveld of thema"), required=False)
    categorie = forms.ChoiceField(label=_("Categorie"), required=False)

    def __init__(self, *args: Any, today: date, sensitivities: tuple[str, ...], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.today = today
        self.sensitivities = sensitivities
        self.fields["thema"].choices = theme_choices()
        self.fields["categorie"].choices = category_choices(sensitivities=sensitivities)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = self.period_of(data)
        if end < start:
            self.add_error(
                "tot", _("De laatste dag ligt vóór de eerste dag. Kies een latere datum.")
            )
        elif (end - start).days >= MAX_DAYS:
            self.add_error("van", _("Kies een periode van hooguit drie jaar."))
        elif end > self.today:
            self.add_error("tot", _("De laatste dag ligt in de toekomst."))
        return data

    def period_of(self, data: dict[str, Any]) -> tuple[date, date]:
        end = data.get("tot") or self.today
        start = data.get("van") or end - timedelta(days=364)
        return start, end

    @property
    def level(self) -> str:
        return self.cleaned_data.get("niveau") or AreaLevel.WIJK

    def to_filters(self) -> RateFilters:
        start, end = self.period_of(self.cleaned_data)
        return RateFilters(
            date_from=start,
            date_to=end,
            sensitivities=self.sensitivities,
            theme=self.cleaned_data.get("thema") or None,
            category=self.cleaned_data.get("categorie") or None,
        )

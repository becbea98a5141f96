"""Indicator trends between two survey waves (/beheer/vragenlijsten/trend/): the change
against the earlier wave and whether its 95 % intervals overlap (domain.md §9, I20)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from frontend.views.mixins import StaffPageMixin
from frontend.views.staff_reports import error_links
from surveys.models import Response
from surveys.selectors import survey_versions_with_responses
from surveys.trends import indicator_trend


class TrendForm(forms.Form):
    voor = forms.ChoiceField(label=_("Eerdere meting (nulmeting)"))
    na = forms.ChoiceField(label=_("Latere meting"))
    kanaal = forms.ChoiceField(
        label=_("Kanaal"),
        required=False,
        choices=[("panel", _("Burgerpanel")), ("open_link", _("Open link (indicatief)"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {str(v.pk): v for v in survey_versions_with_responses()}
        choices = [
            (pk, f"{v.survey.title} – versie {v.number} ({v.submitted})")
            for pk, v in self.versions.items()
        ]
        self.fields["voor"].choices = choices
        self.fields["na"].choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("voor") and data.get("voor") == data.get("na"):
            self.add_error("na", _("Kies twee verschillende metingen."))
        return data


class SurveyTrendView(StaffPageMixin, TemplateView):
    template_name = "frontend/staff/surveys/trend.html"
    permission_required = ("participation.access_staff_pages", "surveys.view_results")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        data = self.request.GET if "voor" in self.request.GET else None
        form = TrendForm(data)
        if data is None and len(form.versions) >= 2:
            # Default: the two most recent waves, the older as the nulmeting.
            keys = list(form.versions)
            form = TrendForm({"voor": keys[1], "na": keys[0], "kanaal": "panel"})
        context["form"] = form
        if form.is_bound and form.is_valid():
            context["trend"] = indicator_trend(
                before=form.versions[form.cleaned_data["voor"]],
                after=form.versions[form.cleaned_data["na"]],
                channel=form.cleaned_data.get("kanaal") or Response.Channel.PANEL,
            )
        elif form.is_bound:
            context["error_summary"] = error_links(form, form_id="trend-form")
        return context

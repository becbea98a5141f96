"""Reports per 1,000 inhabitants: the staff analysis (/beheer/analyse/, exact figures) and the
wijkraad summary (/wijkraad/<slug>/, published figures for the wijkraad's own areas)."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from frontend.forms.analysis import ReportRateFilterForm
from frontend.views.mixins import StaffPageMixin
from geo.codes import AreaLevel
from participation.models import Wijkraad
from participation.selectors import wijkraad_list_for_user
from reports.analysis import (
    AreaRate,
    RateFilters,
    report_rate_trend,
    report_rates,
    report_rates_levels,
    report_rates_per_veld,
    sensitivities_for,
)
from reports.selectors import public_min_count
from surveys.evidence import survey_indicators_evidence
from surveys.selectors import survey_versions_with_responses

TREND_YEARS = 3
# The headline Veiligheidsmonitor indicators a wijkraad sees for its wijken.
WIJKRAAD_INDICATORS = ("I1", "I3", "I4", "I8")
NOTES = {
    "water": _("alleen water"),
    "no_population": _("geen inwonersaantal"),
    "withheld_by_cbs": _("inwonersaantal geheim (CBS)"),
}


def _note(row: AreaRate) -> str:
    return str(NOTES.get(row.note, ""))


class _RatesMixin:
    request: HttpRequest

    def sensitivities(self) -> tuple[str, ...]:
        return sensitivities_for(
            may_see_confidential=self.request.user.has_perm("reports.view_confidential")
        )

    def filter_form(self) -> ReportRateFilterForm:
        return ReportRateFilterForm(
            self.request.GET, today=timezone.localdate(), sensitivities=self.sensitivities()
        )


class StaffReportRatesView(StaffPageMixin, _RatesMixin, TemplateView):
    """Policy staff: reports per 1,000 inhabitants per wijk or buurt, exact counts."""

    template_name = "frontend/staff/analysis/rates.html"
    permission_required = ("participation.access_staff_pages", "reports.view_report_rates")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.filter_form()
        context["form"] = form
        if not form.is_valid():
            return context
        filters = form.to_filters()
        code = settings.BUURTSTEM_MUNICIPALITY_CODE
        table = report_rates(
            filters=filters, level=form.level, municipality_code=code, published=False
        )
        inhabitants, velden = report_rates_per_veld(
            filters=filters, municipality_code=code, published=False
        )
        context.update(
            table=table,
            rows=[(row, _note(row)) for row in table.rows],
            total_note=_note(table.total) if table.total else "",
            previous=filters.previous(),
            velden=velden,
            veld_inhabitants=inhabitants,
            trend=report_rate_trend(
                sensitivities=filters.sensitivities,
                municipality_code=code,
                published=False,
                years=TREND_YEARS,
                today=timezone.localdate(),
                theme=filters.theme,
            ),
            includes_confidential=len(filters.sensitivities) == 3,
            csv_url=reverse("frontend:staff-analysis-rates-csv") + "?" + form.query_string(),
        )
        return context


class StaffReportRatesCsvView(StaffPageMixin, _RatesMixin, View):
    """The table of the analysis page as CSV (exact figures: an internal staff document)."""

    permission_required = ("participation.access_staff_pages", "reports.view_report_rates")

    def get(self, request: HttpRequest) -> HttpResponse:
        form = self.filter_form()
        if not form.is_valid():
            return HttpResponse(
                "; ".join(link.message for link in form.error_links()),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        filters = form.to_filters()
        table = report_rates(
            filters=filters,
            level=form.level,
            municipality_code=settings.BUURTSTEM_MUNICIPALITY_CODE,
            published=False,
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"meldingen-per-1000-{form.level}-{filters.date_from}-{filters.date_to}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        writer = csv.writer(response)
        writer.writerow(_csv_header(filters))
        for row in [*table.rows, *([table.total] if table.total else [])]:
            writer.writerow(_csv_row(row))
        return response


def _csv_header(filters: RateFilters) -> list[str]:
    return [
        "code",
        "naam",
        "niveau",
        "inwoners",
        "peiljaar_inwoners",
        f"meldingen_{filters.date_from}_{filters.date_to}",
        "betrokken_inwoners",
        "per_1000",
        "meldingen_vorige_periode",
        "per_1000_vorige_periode",
        "verschil_per_1000",
        "opmerking",
    ]


def _csv_row(row: AreaRate) -> list[Any]:
    def blank(value: Any) -> Any:
        return "" if value is None else value

    return [
        row.code,
        row.name,
        row.level,
        blank(row.inhabitants),
        blank(row.population_year),
        blank(row.current.reports),
        blank(row.current.people),
        blank(row.current.rate),
        blank(row.previous.reports),
        blank(row.previous.rate),
        blank(row.change),
        row.note,
    ]


# --- Wijkraden ---------------------------------------------------------------------------------


class WijkraadListView(LoginRequiredMixin, View):
    """/wijkraad/: the wijkraden the user belongs to (straight to the one when there is one)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        wijkraden = list(wijkraad_list_for_user(user=request.user))
        if len(wijkraden) == 1:
            return HttpResponseRedirect(
                reverse("frontend:wijkraad-summary", args=[wijkraden[0].slug])
            )
        return render(request, "frontend/wijkraad/list.html", {"wijkraden": wijkraden})


class WijkraadSummaryView(LoginRequiredMixin, _RatesMixin, TemplateView):
    """A wijkraad's own areas: published figures only (small counts withheld, the rest
    rounded), never single reports. Only for members of this wijkraad."""

    template_name = "frontend/wijkraad/summary.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        wijkraad = wijkraad_list_for_user(user=request.user).filter(slug=kwargs["slug"]).first()
        if wijkraad is None:
            raise Http404(_("Deze wijkraad bestaat niet of u bent er geen lid van."))
        self.wijkraad: Wijkraad = wijkraad
        return super().dispatch(request, *args, **kwargs)

    def sensitivities(self) -> tuple[str, ...]:
        return sensitivities_for(may_see_confidential=False)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.filter_form()
        context.update(wijkraad=self.wijkraad, form=form, min_count=public_min_count())
        if not form.is_valid():
            return context
        filters = form.to_filters()
        code = settings.BUURTSTEM_MUNICIPALITY_CODE
        scope = frozenset(self.wijkraad.areas.values_list("code", flat=True))
        tables = report_rates_levels(
            filters=filters,
            levels=(AreaLevel.WIJK, AreaLevel.BUURT),
            municipality_code=code,
            published=True,
            area_codes=scope,
        )
        wijken, buurten = tables[AreaLevel.WIJK], tables[AreaLevel.BUURT]
        inhabitants, velden = report_rates_per_veld(
            filters=filters, municipality_code=code, published=True, area_codes=scope
        )
        context["survey"] = _wijkraad_survey(scope)
        context.update(
            wijk_rows=[(row, _note(row)) for row in wijken.rows],
            buurt_rows=[(row, _note(row)) for row in buurten.rows],
            total=wijken.total,
            total_note=_note(wijken.total) if wijken.total else "",
            previous=filters.previous(),
            filters=filters,
            velden=velden,
            veld_inhabitants=inhabitants,
            trend=report_rate_trend(
                sensitivities=filters.sensitivities,
                municipality_code=code,
                published=True,
                years=TREND_YEARS,
                today=timezone.localdate(),
                area_codes=scope,
                theme=filters.theme,
            ),
        )
        return context


def _wijkraad_survey(scope: frozenset[str]) -> dict[str, Any] | None:
    """The headline indicators of the latest survey wave with panel answers, for the
    gemeente and the wijken of the scope (a buurt counts with its wijk): the published,
    weighted figures of `surveys.evidence`, small groups withheld."""
    version = survey_versions_with_responses().filter(survey__panel__isnull=False).first()
    if version is None:
        return None
    wijken = {code if code.startswith("WK") else "WK" + code[2:8] for code in scope}
    draft = survey_indicators_evidence(
        version=version, channel="panel", breakdown=AreaLevel.WIJK, codes=WIJKRAAD_INDICATORS
    )
    rows = [
        row
        for row in draft.payload["rows"]
        if row.get("area") == "Gemeente"
        or any(row.get("area", "").endswith(f"({code})") for code in wijken)
    ]
    return {"title": version.survey.title, "source": draft.source, "rows": rows}

"""The public meldingen map (/meldingen/kaart/) and the same data as a table (/meldingen/).

Both read the filter form from the query string and call the public selectors of reports:
public categories only, moderated text only, locations as grid cells or buurten, counts after
the small-count rule (docs/reports-public-map.md)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from frontend.forms.report_map import DEFAULT_PERIOD, PublicReportFilterForm
from geo.codes import AreaLevel
from geo.selectors import area_list
from reports.selectors import (
    PublicFilters,
    public_counts_per_buurt,
    public_min_count,
    public_report_rows,
    public_text,
)

PAGE_SIZE = 25
EXCERPT_CHARS = 200


class PublicReportFilterMixin:
    """Binds the filter form to the query string (the period defaults to 12 months)."""

    request: Any

    def filter_form(self) -> PublicReportFilterForm:
        data = self.request.GET.copy()
        if not data.get("periode"):
            data["periode"] = DEFAULT_PERIOD
        return PublicReportFilterForm(data, today=timezone.localdate())

    def filter_context(self) -> dict[str, Any]:
        form = self.filter_form()
        valid = form.is_valid()
        query = form.query_string() if valid else ""
        filters = form.to_filters() if valid else None
        return {
            "form": form,
            "filters": filters,
            "query": query,
            "map_url": _with_query(reverse("frontend:report-map"), query),
            "table_url": _with_query(reverse("frontend:report-list-public"), query),
            "min_count": public_min_count(),
        }


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


def _api_query(filters: PublicFilters) -> str:
    params = {
        "categories": ",".join(filters.categories),
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
    }
    return urlencode({k: v for k, v in params.items() if v})


class ReportMapView(PublicReportFilterMixin, TemplateView):
    template_name = "frontend/report_map/map.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.filter_context())
        municipality_code = settings.BUURTSTEM_MUNICIPALITY_CODE
        gemeente = (
            area_list(level=AreaLevel.GEMEENTE, municipality_code=municipality_code)
            .only("min_lat", "min_lon", "max_lat", "max_lon", "year")
            .first()
        )
        buurt = (
            area_list(level=AreaLevel.BUURT, municipality_code=municipality_code)
            .only("year")
            .first()
        )
        context["has_areas"] = buurt is not None
        if buurt is not None:
            context["areas_url"] = (
                reverse("api-v1:geo:area-list") + f"?level=buurt&year={buurt.year}"
            )
            context["code_prefix"] = "BU" + municipality_code[2:6]
        if gemeente is not None:
            g = gemeente
            context["bounds_json"] = json.dumps([[g.min_lat, g.min_lon], [g.max_lat, g.max_lon]])
        filters = context["filters"]
        if filters is not None:
            context["cells_url"] = _with_query(
                reverse("api-v1:reports:public-map"), _api_query(filters)
            )
            context["summary"] = public_counts_per_buurt(
                filters=filters, municipality_code=municipality_code
            )
        return context


class ReportListPublicView(PublicReportFilterMixin, TemplateView):
    template_name = "frontend/report_map/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.filter_context())
        filters = context["filters"]
        if filters is None:
            return context
        page = Paginator(public_report_rows(filters=filters, by="buurt"), PAGE_SIZE).get_page(
            self.request.GET.get("pagina")
        )
        context["page"] = page
        context["rows"] = [
            {
                "category": report.category.localized_name,
                "buurt": report.buurt.name,
                "month": report.created_at,
                "status": report.get_status_display(),
                "text": public_text(report),
            }
            for report in page
        ]
        context["summary"] = public_counts_per_buurt(
            filters=filters, municipality_code=settings.BUURTSTEM_MUNICIPALITY_CODE
        )
        context["excerpt_chars"] = EXCERPT_CHARS
        return context

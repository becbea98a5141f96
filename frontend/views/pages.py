"""Public pages: home (buurt overview with map and list), accessibility statement, privacy."""

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.views.generic import TemplateView

from frontend.views.surveys import DEVICE_COOKIE as SURVEY_DEVICE_COOKIE
from frontend.views.surveys import RESUME_COOKIE as SURVEY_RESUME_COOKIE
from geo.codes import AreaLevel
from geo.models import Area, AreaPopulation
from geo.selectors import area_list, area_population_map
from reports.api.views import DEVICE_COOKIE as REPORT_DEVICE_COOKIE

# Boundaries are large JSON documents; the overview only needs names, codes and the bbox.
_GEOMETRY_FIELDS = Area.GEOMETRY_FIELDS


@dataclass(frozen=True)
class Inhabitants:
    """An inhabitants figure as the page shows it: a number, withheld by CBS, or unknown."""

    value: int | None
    suppressed: bool
    year: int | None

    @classmethod
    def from_population(cls, population: AreaPopulation | None) -> "Inhabitants":
        if population is None:
            return cls(value=None, suppressed=False, year=None)
        return cls(
            value=population.inhabitants,
            suppressed=population.inhabitants is None and population.is_suppressed("inhabitants"),
            year=population.year,
        )


@dataclass(frozen=True)
class BuurtRow:
    code: str
    name: str
    inhabitants: Inhabitants


@dataclass
class WijkGroup:
    code: str
    name: str
    inhabitants: Inhabitants
    buurten: list[BuurtRow] = field(default_factory=list)


@dataclass(frozen=True)
class MunicipalityOverview:
    gemeente: Area | None
    wijken: list[WijkGroup]
    buurt_count: int
    buurt_year: int | None
    population_year: int | None
    area_source: str
    population_source: str

    @property
    def bounds_json(self) -> str:
        """[[south, west], [north, east]] of the municipality as Leaflet expects it, as JSON;
        empty without a gemeente (the map then fits the buurten)."""
        if self.gemeente is None:
            return ""
        g = self.gemeente
        return json.dumps([[g.min_lat, g.min_lon], [g.max_lat, g.max_lon]])

    def _buurt_inhabitants(self) -> list[Inhabitants]:
        return [b.inhabitants for w in self.wijken for b in w.buurten]

    @property
    def has_suppressed(self) -> bool:
        """Whether the page shows "geheim" somewhere (and so must explain it)."""
        return any(w.inhabitants.suppressed for w in self.wijken) or any(
            i.suppressed for i in self._buurt_inhabitants()
        )

    @property
    def has_unknown(self) -> bool:
        """Whether a buurt shows "onbekend" (and the page must explain it)."""
        return any(i.value is None and not i.suppressed for i in self._buurt_inhabitants())


def _sort_key(name: str) -> str:
    return name.casefold().lstrip("'’")


def _municipality_overview(*, municipality_code: str) -> MunicipalityOverview | None:
    """Wijken with their buurten and latest inhabitants for the home page; None without
    buurten in the database."""
    buurten = area_list(level=AreaLevel.BUURT, municipality_code=municipality_code).defer(
        *_GEOMETRY_FIELDS
    )
    buurt_list = list(buurten)
    if not buurt_list:
        return None
    wijken: QuerySet[Area] = area_list(
        level=AreaLevel.WIJK, municipality_code=municipality_code
    ).defer(*_GEOMETRY_FIELDS)
    gemeente = (
        area_list(level=AreaLevel.GEMEENTE, municipality_code=municipality_code)
        .defer(*_GEOMETRY_FIELDS)
        .first()
    )
    buurt_populations = area_population_map(areas=buurten)
    wijk_populations = area_population_map(areas=wijken)

    groups: dict[str, WijkGroup] = {
        wijk.code: WijkGroup(
            code=wijk.code,
            name=wijk.name,
            inhabitants=Inhabitants.from_population(wijk_populations.get(wijk.pk)),
        )
        for wijk in wijken
    }
    orphans = WijkGroup(code="", name="", inhabitants=Inhabitants(None, False, None))
    for buurt in buurt_list:
        # A buurt's wijk follows from its code (BU0546 01 02 → WK0546 01).
        wijk_code = buurt.parent_code or "WK" + buurt.code[2:8]
        groups.get(wijk_code, orphans).buurten.append(
            BuurtRow(
                code=buurt.code,
                name=buurt.name,
                inhabitants=Inhabitants.from_population(buurt_populations.get(buurt.pk)),
            )
        )
    wijk_groups = sorted(
        (group for group in groups.values() if group.buurten), key=lambda g: _sort_key(g.name)
    )
    if orphans.buurten:
        wijk_groups.append(orphans)
    for group in wijk_groups:
        group.buurten.sort(key=lambda b: _sort_key(b.name))

    population_years = [p.year for p in buurt_populations.values()]
    population_sources = {p.source for p in buurt_populations.values() if p.source}
    return MunicipalityOverview(
        gemeente=gemeente,
        wijken=wijk_groups,
        buurt_count=len(buurt_list),
        buurt_year=buurt_list[0].year,
        population_year=max(population_years) if population_years else None,
        area_source=buurt_list[0].source,
        population_source="; ".join(sorted(population_sources)),
    )


class HomeView(TemplateView):
    template_name = "frontend/pages/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        municipality_code = settings.BUURTSTEM_MUNICIPALITY_CODE
        context["overview"] = _municipality_overview(municipality_code=municipality_code)
        context["buurt_code_prefix"] = "BU" + municipality_code[2:6]
        return context


class AccessibilityStatementView(TemplateView):
    """The toegankelijkheidsverklaring (required for Dutch government websites)."""

    template_name = "frontend/pages/accessibility_statement.html"
    # Update both dates whenever the statement or the test results change.
    statement_date = datetime.date(2026, 11, 25)
    last_tested_date = datetime.date(2026, 11, 25)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["statement_date"] = self.statement_date
        context["last_tested_date"] = self.last_tested_date
        return context


class PrivacyStatementView(TemplateView):
    template_name = "frontend/pages/privacy_statement.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["session_cookie_name"] = settings.SESSION_COOKIE_NAME
        context["csrf_cookie_name"] = settings.CSRF_COOKIE_NAME
        context["language_cookie_name"] = settings.LANGUAGE_COOKIE_NAME
        context["report_device_cookie_name"] = REPORT_DEVICE_COOKIE
        context["survey_device_cookie_name"] = SURVEY_DEVICE_COOKIE
        context["survey_resume_cookie_name"] = SURVEY_RESUME_COOKIE
        return context

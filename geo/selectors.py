"""Read use cases for areas."""

from dataclasses import dataclass

from django.db.models import Max, QuerySet

from geo.codes import AreaLevel
from geo.index import buurt_id_for_point
from geo.models import Area, AreaIndexStamp, AreaPopulation


def area_index_version() -> int:
    stamp = AreaIndexStamp.objects.filter(pk=1).values_list("version", flat=True).first()
    return int(stamp or 0)


def area_latest_year(*, level: str = AreaLevel.BUURT, code_prefix: str = "") -> int | None:
    qs = Area.objects.filter(level=level)
    if code_prefix:
        qs = qs.filter(code__startswith=code_prefix)
    return qs.aggregate(year=Max("year"))["year"]


def buurt_boundaries_for_index(
    *, municipality_code: str, year: int | None
) -> list[tuple[int, dict]]:
    """(id, boundary) of the buurten of one municipality (all when the code is empty) for
    one vintage (the latest when year is None)."""
    prefix = "BU" + municipality_code[2:6] if municipality_code else ""
    if year is None:
        year = area_latest_year(level=AreaLevel.BUURT, code_prefix=prefix)
    qs = Area.objects.filter(level=AreaLevel.BUURT, year=year)
    if prefix:
        qs = qs.filter(code__startswith=prefix)
    return list(qs.order_by("code").values_list("id", "boundary"))


def area_list(
    *,
    level: str | None = None,
    year: int | None = None,
    parent_code: str | None = None,
    municipality_code: str | None = None,
) -> QuerySet[Area]:
    """Areas of one level and vintage (latest vintage of that level when year is None)."""
    qs = Area.objects.all()
    if level:
        qs = qs.filter(level=level)
        if year is None:
            year = qs.aggregate(year=Max("year"))["year"]
    if year is not None:
        qs = qs.filter(year=year)
    if parent_code:
        qs = qs.filter(parent_code=parent_code)
    if municipality_code:
        digits = municipality_code[2:6]
        qs = qs.filter(code__regex=rf"^(GM|WK|BU){digits}")
    return qs.order_by("level", "code")


def area_get(*, code: str, year: int | None = None) -> Area:
    qs = Area.objects.filter(code=code)
    if year is not None:
        return qs.get(year=year)
    area = qs.order_by("-year").first()
    if area is None:
        raise Area.DoesNotExist(code)
    return area


def area_population_latest(*, area: Area) -> AreaPopulation | None:
    return area.populations.order_by("-year").first()


def area_population_map(*, areas: QuerySet[Area]) -> dict[int, AreaPopulation]:
    """Latest population row per area, one query."""
    result: dict[int, AreaPopulation] = {}
    for pop in AreaPopulation.objects.filter(area__in=areas).order_by("area_id", "-year"):
        result.setdefault(pop.area_id, pop)
    return result


@dataclass(frozen=True)
class AreaLookup:
    buurt: Area
    wijk: Area | None
    gemeente: Area | None


def area_lookup_point(*, lat: float, lon: float) -> AreaLookup:
    """The buurt containing a WGS84 point and its wijk and gemeente; raises a domain error
    for invalid, swapped or outside coordinates."""
    buurt = Area.objects.select_related("parent__parent").get(
        pk=buurt_id_for_point(lat=lat, lon=lon)
    )
    wijk = buurt.parent or Area.objects.filter(code=buurt.parent_code).order_by("-year").first()
    gemeente = None
    if wijk is not None:
        gemeente = wijk.parent or (
            Area.objects.filter(code=wijk.parent_code).order_by("-year").first()
        )
    return AreaLookup(buurt=buurt, wijk=wijk, gemeente=gemeente)

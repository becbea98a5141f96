"""Read use cases for areas: lists, single areas, key figures, point lookups."""

import pytest

from geo.exceptions import NoAreasError, OutsideMunicipalityError
from geo.models import Area
from geo.selectors import (
    area_get,
    area_index_version,
    area_latest_year,
    area_list,
    area_lookup_point,
    area_population_latest,
    area_population_map,
    buurt_boundaries_for_index,
)
from geo.services import area_index_bump
from tests.geo.factories import AreaFactory, AreaPopulationFactory

pytestmark = pytest.mark.django_db

LEIDEN = (52.158, 4.49)


def test_area_list_returns_latest_vintage_of_level_when_year_is_not_given():
    # given
    AreaFactory(code="BU05469000", year=2022)
    newer = AreaFactory(code="BU05469000", year=2023)
    AreaFactory(code="WK054690", level="wijk", year=2024)

    # when
    areas = list(area_list(level="buurt"))

    # then: the newer wijk vintage does not decide the buurt vintage
    assert areas == [newer]


def test_area_list_filters_by_year_and_parent_when_given():
    # given
    a = AreaFactory(code="BU05469000", year=2022)
    AreaFactory(code="BU05469100", year=2022)
    AreaFactory(code="BU05469001", year=2023)

    # when
    areas = list(area_list(level="buurt", year=2022, parent_code="WK054690"))

    # then
    assert areas == [a]


def test_area_list_keeps_only_one_municipality_when_municipality_code_given():
    # given
    leiden = AreaFactory(code="BU05469000")
    AreaFactory(code="BU05379000")

    # when
    areas = list(area_list(level="buurt", municipality_code="GM0546"))

    # then
    assert areas == [leiden]


def test_area_list_orders_by_level_and_code_when_no_level_given():
    # given
    AreaFactory(code="WK054690", level="wijk")
    AreaFactory(code="BU05469001")
    AreaFactory(code="BU05469000")

    # when
    codes = [a.code for a in area_list()]

    # then
    assert codes == ["BU05469000", "BU05469001", "WK054690"]


def test_area_get_returns_latest_vintage_when_year_is_not_given():
    # given
    AreaFactory(code="BU05469000", year=2022)
    newer = AreaFactory(code="BU05469000", year=2023)

    # when / then
    assert area_get(code="BU05469000") == newer
    assert area_get(code="BU05469000", year=2022).year == 2022


@pytest.mark.parametrize("year", [None, 2021])
def test_area_get_raises_does_not_exist_when_code_or_year_is_unknown(year):
    # given
    AreaFactory(code="BU05469000", year=2022)

    # when / then
    with pytest.raises(Area.DoesNotExist):
        area_get(code="BU05469999" if year is None else "BU05469000", year=year)


def test_area_population_map_returns_latest_row_per_area_when_areas_have_several_years(
    django_assert_num_queries,
):
    # given
    a, b = AreaFactory(), AreaFactory()
    AreaPopulationFactory(area=a, year=2023, inhabitants=1)
    latest = AreaPopulationFactory(area=a, year=2024, inhabitants=2)
    AreaFactory()  # no figures

    # when
    with django_assert_num_queries(1):
        result = area_population_map(areas=Area.objects.all())

    # then
    assert result == {a.pk: latest}
    assert b.pk not in result
    assert area_population_latest(area=a) == latest
    assert area_population_latest(area=b) is None


def test_area_latest_year_is_none_when_no_areas_match():
    # given
    AreaFactory(code="BU05469000", year=2022)

    # when / then
    assert area_latest_year(level="buurt", code_prefix="BU0537") is None
    assert area_latest_year(level="buurt", code_prefix="BU0546") == 2022


def test_buurt_boundaries_for_index_returns_one_vintage_of_one_municipality_when_asked():
    # given
    a = AreaFactory(code="BU05469000", year=2022)
    AreaFactory(code="BU05469000", year=2021)
    AreaFactory(code="BU05379000", year=2023)
    AreaFactory(code="WK054690", level="wijk", year=2022)

    # when
    rows = buurt_boundaries_for_index(municipality_code="GM0546", year=None)

    # then
    assert rows == [(a.pk, a.boundary)]
    assert len(buurt_boundaries_for_index(municipality_code="", year=None)) == 1  # 2023 only


def test_area_index_version_counts_bumps_when_stamp_is_bumped():
    # given
    before = area_index_version()

    # when
    area_index_bump()
    area_index_bump()

    # then
    assert area_index_version() == before + 2


def test_area_lookup_point_returns_buurt_wijk_gemeente_when_point_in_leiden(leiden):
    # given
    lat, lon = LEIDEN

    # when
    result = area_lookup_point(lat=lat, lon=lon)

    # then
    assert result.buurt.code.startswith("BU0546")
    assert result.wijk is not None
    assert result.wijk.code == "WK" + result.buurt.code[2:8]
    assert result.gemeente is not None
    assert result.gemeente.code == "GM0546"
    assert result.buurt.parent == result.wijk


def test_area_lookup_point_finds_parents_by_code_when_parents_are_of_another_vintage(leiden):
    # given: the buurt's parent link is missing (e.g. wijken imported for another year)
    lat, lon = LEIDEN
    buurt = area_lookup_point(lat=lat, lon=lon).buurt
    Area.objects.filter(level__in=["buurt", "wijk"]).update(parent=None)

    # when
    result = area_lookup_point(lat=lat, lon=lon)

    # then
    assert result.buurt == buurt
    assert result.wijk.code == buurt.parent_code
    assert result.gemeente.code == "GM0546"


def test_area_lookup_point_has_no_wijk_when_only_buurten_exist():
    # given
    buurt = AreaFactory(code="BU05469000")

    # when
    result = area_lookup_point(lat=buurt.label_lat, lon=buurt.label_lon)

    # then
    assert result.buurt == buurt
    assert result.wijk is None
    assert result.gemeente is None


def test_area_lookup_point_raises_outside_when_point_outside_municipality(leiden):
    # given / when / then
    with pytest.raises(OutsideMunicipalityError):
        area_lookup_point(lat=52.37, lon=4.89)  # Amsterdam


def test_area_lookup_point_raises_no_areas_when_database_is_empty():
    # given / when / then
    with pytest.raises(NoAreasError):
        area_lookup_point(lat=LEIDEN[0], lon=LEIDEN[1])

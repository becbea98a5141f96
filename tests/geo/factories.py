"""Areas and key figures for tests that do not go through the importer.

An area is a square in RD New (`col`/`row` on the test grid of tests.geo.builders); its WGS84
boundary, bbox, label point and area are derived the same way the importer derives them.
"""

import factory
from factory.django import DjangoModelFactory

from geo.codes import AreaLevel, parent_code_of
from geo.importing import PreparedGeometry, geojson_coords_to_lists, prepare_geometry
from geo.models import Area, AreaPopulation
from tests.geo.builders import rd_square


def _prepared(obj) -> PreparedGeometry:
    return prepare_geometry(obj.geometry_rd)


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area

    class Params:
        col = factory.Sequence(lambda n: n)
        row = 0
        geometry_rd = factory.LazyAttribute(lambda o: rd_square(o.col, o.row))

    level = AreaLevel.BUURT
    code = factory.Sequence(lambda n: f"BU0546{9000 + n % 1000:04d}")
    name = factory.Sequence(lambda n: f"Testbuurt {n}")
    year = 2022
    parent_code = factory.LazyAttribute(lambda o: parent_code_of(o.code) or "")
    boundary = factory.LazyAttribute(lambda o: geojson_coords_to_lists(_prepared(o).boundary))
    boundary_simplified = factory.LazyAttribute(
        lambda o: geojson_coords_to_lists(_prepared(o).boundary_simplified)
    )
    min_lon = factory.LazyAttribute(lambda o: _prepared(o).bounds[0])
    min_lat = factory.LazyAttribute(lambda o: _prepared(o).bounds[1])
    max_lon = factory.LazyAttribute(lambda o: _prepared(o).bounds[2])
    max_lat = factory.LazyAttribute(lambda o: _prepared(o).bounds[3])
    label_lon = factory.LazyAttribute(lambda o: _prepared(o).label[0])
    label_lat = factory.LazyAttribute(lambda o: _prepared(o).label[1])
    area_m2 = factory.LazyAttribute(lambda o: _prepared(o).area_m2)
    is_water = False
    source = "tests"


class AreaPopulationFactory(DjangoModelFactory):
    class Meta:
        model = AreaPopulation

    area = factory.SubFactory(AreaFactory)
    year = 2024
    inhabitants = 1000
    suppressed_fields = factory.LazyFunction(list)
    source = "tests"

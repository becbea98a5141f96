"""Areas → GeoJSON features (the one place that shapes area output for maps)."""

from typing import Any

from geo.models import Area, AreaPopulation


def area_feature(
    area: Area, *, full: bool = False, population: AreaPopulation | None = None
) -> dict[str, Any]:
    props: dict[str, Any] = {
        "code": area.code,
        "name": area.name,
        "level": area.level,
        "year": area.year,
        "parent_code": area.parent_code or None,
        "is_water": area.is_water,
        "area_ha": round(area.area_m2 / 10_000, 1),
        "label": [area.label_lat, area.label_lon],
    }
    if population is not None:
        props["inhabitants"] = population.inhabitants
        props["inhabitants_suppressed"] = population.is_suppressed("inhabitants")
        props["population_year"] = population.year
    return {
        "type": "Feature",
        "id": area.code,
        "geometry": area.boundary if full else area.boundary_simplified,
        "properties": props,
        "bbox": [area.min_lon, area.min_lat, area.max_lon, area.max_lat],
    }


def feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}

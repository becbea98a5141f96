import pytest

from geo.exceptions import OutsideMunicipalityError
from geo.selectors import area_lookup_point

pytestmark = pytest.mark.django_db


def test_lookup_returns_buurt_wijk_gemeente_when_point_in_leiden(leiden):
    result = area_lookup_point(lat=52.158, lon=4.49)
    assert result.buurt.code.startswith("BU0546")
    assert result.wijk is not None and result.wijk.code == "WK" + result.buurt.code[2:8]
    assert result.gemeente is not None and result.gemeente.code == "GM0546"


def test_lookup_raises_when_point_outside_municipality(leiden):
    with pytest.raises(OutsideMunicipalityError):
        area_lookup_point(lat=52.37, lon=4.89)  # Amsterdam

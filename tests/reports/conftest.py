"""Fixtures for the reports tests: a small test municipality, the default categories,
role holders, points inside and outside, and a view of stored files."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from pyproj import Transformer

from geo.codes import AreaLevel
from geo.models import Area
from participation.models import User
from participation.services import user_role_grant
from participation.taxonomy import taxonomy_seed_default
from reports.categories import report_categories_seed_default
from reports.models import ReportCategory
from tests.geo.builders import RD_X, RD_Y, SIZE
from tests.geo.factories import AreaFactory
from tests.participation.factories import UserFactory

_to_wgs84 = Transformer.from_crs(28992, 4326, always_xy=True)


def point(col: float, dx: float = SIZE / 2, dy: float = SIZE / 2) -> tuple[float, float]:
    """(lat, lon) of a point `dx`, `dy` metres into column `col` of the test grid."""
    lon, lat = _to_wgs84.transform(RD_X + col * SIZE + dx, RD_Y + dy)
    return round(lat, 7), round(lon, 7)


@dataclass
class Town:
    """Four 200 m square buurten in a row, west to east, in gemeente GM0546:
    BU05469000, BU05469001 (wijk WK054690) and BU05469100, BU05469101 (wijk WK054691)."""

    buurten: list[Area]

    def buurt(self, code: str) -> Area:
        return next(b for b in self.buurten if b.code == code)


@pytest.fixture
def town(db) -> Town:
    wijk_a = AreaFactory(level=AreaLevel.WIJK, code="WK054690", parent_code="GM0546", col=20)
    wijk_b = AreaFactory(level=AreaLevel.WIJK, code="WK054691", parent_code="GM0546", col=21)
    buurten = [
        AreaFactory(code="BU05469000", name="Noordbuurt", parent=wijk_a, col=0),
        AreaFactory(code="BU05469001", name="Middenbuurt", parent=wijk_a, col=1),
        AreaFactory(code="BU05469100", name="Havenbuurt", parent=wijk_b, col=2),
        AreaFactory(code="BU05469101", name="Oostbuurt", parent=wijk_b, col=3),
    ]
    return Town(buurten=buurten)


@pytest.fixture
def categories(db) -> dict[str, ReportCategory]:
    """The default IVP taxonomy and report categories, by slug."""
    taxonomy_seed_default()
    report_categories_seed_default()
    return {c.slug: c for c in ReportCategory.objects.all()}


ROLES = (
    "anonymous",
    "resident",
    "panel_member",
    "wijkraad_member",
    "policy_staff",
    "moderator",
    "administrator",
)


@pytest.fixture
def role_user(db) -> Callable[[str], User | AnonymousUser]:
    """`role_user("moderator")`: a fresh account in that role (no permission caches)."""
    from tests.participation.factories import (
        PanelMembershipFactory,
        WijkraadFactory,
        WijkraadMembershipFactory,
    )

    def make(role: str) -> User | AnonymousUser:
        if role == "anonymous":
            return AnonymousUser()
        user = UserFactory()
        if role == "panel_member":
            PanelMembershipFactory(user=user)
        elif role == "wijkraad_member":
            WijkraadMembershipFactory(user=user, wijkraad=WijkraadFactory())
        elif role in ("policy_staff", "moderator", "administrator"):
            user_role_grant(user=user, role_key=role, granted_by=None)
        elif role != "resident":
            raise ValueError(role)
        return User.objects.get(pk=user.pk)

    return make


def stored_files(directory: str = "") -> set[str]:
    """Every file in the default storage (in-memory in tests), recursively."""
    try:
        dirs, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return set()
    found = {f"{directory}/{name}".lstrip("/") for name in files}
    for sub in dirs:
        found |= stored_files(f"{directory}/{sub}".lstrip("/"))
    return found


@pytest.fixture
def files_written() -> Callable[[], set[str]]:
    """Files written to storage since the test started."""
    before = stored_files()

    def written() -> set[str]:
        return stored_files() - before

    return written


@pytest.fixture
def exact_public_counts(settings) -> None:
    """Switch the small-count rule off (no "<5", no rounding), for tests of how reports are
    aggregated; the rule itself is tested with the real settings."""
    settings.REPORTS_PUBLIC_MIN_COUNT = 1
    settings.REPORTS_PUBLIC_COUNT_ROUNDING = 1

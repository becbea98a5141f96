"""Read use cases: role holders and the staff overview (aggregates only)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from geo.codes import AreaLevel
from participation.selectors import (
    staff_overview_get,
    staff_role_holders,
    user_get_by_email,
)
from participation.services import user_role_grant
from tests.geo.factories import AreaFactory, AreaPopulationFactory
from tests.participation.factories import (
    BurgerpanelFactory,
    PanelMembershipFactory,
    UserFactory,
    WijkraadFactory,
)
from tests.participation.helpers import TEST_TOTP_SECRET

pytestmark = pytest.mark.django_db


def test_user_get_by_email_ignores_case_and_spaces():
    user = UserFactory(email="medewerker@example.test")
    assert user_get_by_email(email="  Medewerker@Example.test ") == user
    with pytest.raises(type(user).DoesNotExist):
        user_get_by_email(email="onbekend@example.test")


def test_staff_role_holders_lists_roles_and_totp(django_assert_max_num_queries):
    admin = UserFactory(email="a@example.test")
    both = UserFactory(email="b@example.test")
    UserFactory(email="c@example.test")  # a resident: not listed
    user_role_grant(user=admin, role_key="administrator", granted_by=None)
    user_role_grant(user=both, role_key="moderator", granted_by=None)
    user_role_grant(user=both, role_key="policy_staff", granted_by=None)
    TOTP.activate(admin, TEST_TOTP_SECRET)
    with django_assert_max_num_queries(3):
        holders = staff_role_holders()
    assert [h.user.email for h in holders] == ["a@example.test", "b@example.test"]
    assert [r.key for r in holders[0].roles] == ["administrator"]
    assert [r.key for r in holders[1].roles] == ["policy_staff", "moderator"]
    assert [h.has_totp for h in holders] == [True, False]


def test_staff_overview_counts_areas_per_level_and_vintage():
    AreaFactory(level=AreaLevel.GEMEENTE, code="GM0546", parent_code="", col=0)
    AreaFactory(level=AreaLevel.WIJK, code="WK054690", col=0)
    buurt = AreaFactory(code="BU05469000", col=0)
    AreaFactory(code="BU05469001", col=1)
    AreaFactory(code="BU05469000", year=2024, col=0)
    AreaPopulationFactory(area=buurt, year=2023)
    AreaPopulationFactory(area=buurt, year=2024)
    WijkraadFactory()
    WijkraadFactory(is_active=False)
    panel = BurgerpanelFactory()
    PanelMembershipFactory(panel=panel)
    PanelMembershipFactory(panel=panel)

    overview = staff_overview_get()

    assert [(c.level, c.year, c.count) for c in overview.area_counts] == [
        ("gemeente", 2022, 1),
        ("wijk", 2022, 1),
        ("buurt", 2024, 1),
        ("buurt", 2022, 2),
    ]
    assert overview.population_latest_year == 2024
    assert overview.wijkraad_count == 1
    assert overview.panel_member_count == 2


def test_staff_overview_on_an_empty_database():
    overview = staff_overview_get()
    assert overview.area_counts == []
    assert overview.population_latest_year is None
    assert overview.wijkraad_count == 0
    assert overview.panel_member_count == 0

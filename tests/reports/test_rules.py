"""Who may do what with reports: role × permission × report sensitivity."""

import pytest
from rules.permissions import permissions as registered_permissions

from reports.models import ReportCategory
from tests.reports.conftest import ROLES
from tests.reports.factories import ReportCategoryFactory, ReportFactory

pytestmark = pytest.mark.django_db

STAFF = {"policy_staff", "moderator", "administrator"}
MOD_ADMIN = {"moderator", "administrator"}
EVERYONE = set(ROLES)
OBJECTS = ("none", "public", "restricted", "confidential")


def same(roles: set[str]) -> dict[str, set[str]]:
    return dict.fromkeys(OBJECTS, roles)


# permission → object kind → roles that hold it
EXPECTED: dict[str, dict[str, set[str]]] = {
    "reports.add_report": same(EVERYONE),
    "reports.view_backoffice": same(STAFF),
    "reports.view_report": {
        "none": STAFF,
        "public": STAFF,
        "restricted": STAFF,
        "confidential": MOD_ADMIN,
    },
    "reports.handle_report": {
        "none": STAFF,
        "public": STAFF,
        "restricted": STAFF,
        "confidential": MOD_ADMIN,
    },
    "reports.moderate_report": same(MOD_ADMIN),
    "reports.view_personal_data": same(MOD_ADMIN),
    "reports.view_confidential": same(MOD_ADMIN),
    "reports.export_reports": same({"policy_staff", "administrator"}),
    "reports.view_report_rates": same({"policy_staff", "administrator"}),
    "reports.import_reports": same({"administrator"}),
    "reports.manage_categories": same({"administrator"}),
    "reports.manage_open311": same({"administrator"}),
}

MATRIX = [
    (role, perm, kind, role in EXPECTED[perm][kind])
    for perm in EXPECTED
    for kind in OBJECTS
    for role in ROLES
]


def test_every_registered_reports_permission_is_in_the_matrix():
    registered = {name for name in registered_permissions if name.startswith("reports.")}
    assert registered == set(EXPECTED)


@pytest.mark.parametrize(("role", "perm", "kind", "expected"), MATRIX)
def test_report_permission_matrix(role, perm, kind, expected, role_user, town):
    # given
    user = role_user(role)
    report = None
    if kind != "none":
        category = ReportCategoryFactory(sensitivity=ReportCategory.Sensitivity(kind))
        report = ReportFactory(category=category, buurt=town.buurten[0])
    # when / then
    assert user.has_perm(perm, report) is expected


def test_inactive_administrator_holds_no_report_permission(role_user, town):
    user = role_user("administrator")
    user.is_active = False
    user.save()
    report = ReportFactory(buurt=town.buurten[0])
    assert not any(user.has_perm(perm, report) for perm in EXPECTED if perm != "reports.add_report")

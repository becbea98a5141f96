# ruff: noqa: F811 (fixtures imported from other test modules)
"""/api/v1/plans/: the veiligheidsplan, read-only, for policy staff and administrators with a
session confirmed by two-step verification; documented in the schema."""

import pytest

from participation.models import Theme
from participation.services import (
    evidence_attach,
    goal_add,
    plan_create,
    priority_add,
    user_role_grant,
)
from tests.frontend.test_analysis_pages import client_as  # noqa: F401 (fixture)
from tests.frontend.test_plan_pages import GOAL, PAYLOAD, SOURCE
from tests.participation.conftest import _clear_cache  # noqa: F401 (fixture)
from tests.participation.factories import UserFactory
from tests.reports.conftest import categories, role_user, town  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/plans/"
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
def plan(categories):
    plan = plan_create(
        municipality_code="GM0546", title="IVP Testdorp", start_year=2027, end_year=2030
    )
    priority = priority_add(plan=plan, theme=Theme.objects.get(slug="jeugdoverlast"), title="Jeugd")
    goal = goal_add(priority=priority, **GOAL)
    evidence_attach(
        plan=plan,
        goal=goal,
        kind="report_rates",
        title="Cijfers",
        payload=PAYLOAD,
        source=SOURCE,
        created_by=None,
    )
    evidence_attach(
        plan=plan,
        kind="report_rates",
        title="Algemeen",
        payload=PAYLOAD,
        source=SOURCE,
        created_by=None,
    )
    return plan


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_as, plan, role):
    client = client_as(role)
    for url in (LIST, f"{LIST}{plan.uuid}/"):
        expected = 200 if role in ("policy_staff", "administrator") else 403
        assert client.get(url).status_code == expected, url


def test_staff_without_a_confirmed_session_are_refused(client, plan):
    user = UserFactory()
    user_role_grant(user=user, role_key="policy_staff", granted_by=None)
    client.force_login(user)
    assert client.get(LIST).status_code == 403


def test_list_and_detail(client_as, plan):
    client = client_as("policy_staff")

    [summary] = client.get(LIST).json()
    assert summary["title"] == "IVP Testdorp"
    assert (summary["priority_count"], summary["evidence_count"]) == (1, 2)

    detail = client.get(f"{LIST}{plan.uuid}/").json()
    assert detail["plan"]["status"] == "concept"
    assert [b["title"] for b in detail["evidence"]] == ["Algemeen"]
    goal = detail["priorities"][0]["goals"][0]
    assert goal["target_value"] == "5.00"
    assert goal["evidence"][0]["digest_verified"] is True
    assert goal["evidence"][0]["payload"] == PAYLOAD


def test_unknown_plan_is_404(client_as, plan):
    assert (
        client_as("policy_staff").get(f"{LIST}00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )


def test_schema_documents_the_plan_api(client):
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    assert {"get"} <= set(paths["/api/v1/plans/"])
    assert {"get"} <= set(paths["/api/v1/plans/{uuid}/"])

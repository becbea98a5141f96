# ruff: noqa: F811 (fixtures imported from other test modules)
"""The veiligheidsplan pages (/beheer/ivp/): permissions per role, creating a plan, priorities
and goals with errors at the field, evidence from reports frozen into the plan, withdrawing it,
adopting, and the exports."""

import re
from datetime import date

import pytest
from django.urls import reverse

from participation.models import EvidenceBlock, PlanGoal, PlanPriority, SafetyPlan, Theme
from participation.services import (
    evidence_attach,
    evidence_withdraw,
    goal_add,
    plan_adopt,
    plan_create,
    priority_add,
)
from tests.frontend.html_audit import csp_audit
from tests.frontend.test_analysis_pages import client_as  # noqa: F401 (fixture)
from tests.participation.conftest import _clear_cache  # noqa: F401 (fixture)
from tests.participation.factories import UserFactory
from tests.reports.conftest import categories, role_user, town  # noqa: F401 (fixtures)
from tests.reports.test_analysis import populated, reported  # noqa: F401 (fixtures)
from tests.surveys.conftest import buurten  # noqa: F401 (fixture)
from tests.surveys.weighting_helpers import gemeente_and_wijk_1, young_and_old

pytestmark = pytest.mark.django_db

LIST = reverse("frontend:staff-plan-list")
LOGIN = reverse("account_login")
NON_STAFF = ("resident", "panel_member", "wijkraad_member")
STAFF = ("policy_staff", "moderator", "administrator")
ALLOWED = {"policy_staff", "administrator"}
GOAL = {
    "description": "Minder overlast van jongeren",
    "indicator": "Meldingen jeugdoverlast per 1.000 inwoners",
    "indicator_code": "I18",
    "unit": "per_1000",
    "baseline_value": "5,9",
    "baseline_year": "2025",
    "target_value": "5,0",
    "target_year": "2030",
    "ambition_value": "4,8",
    "source": "Buurtstem",
}
PAYLOAD = {"columns": [{"key": "area", "label": "Gebied"}], "rows": [{"area": "Noord"}]}
SOURCE = {"description": "Meldingen van inwoners"}


@pytest.fixture
def plan(categories):
    return plan_create(
        municipality_code="GM0546", title="IVP Testdorp", start_year=2027, end_year=2030
    )


@pytest.fixture
def priority(plan):
    return priority_add(plan=plan, theme=Theme.objects.get(slug="jeugdoverlast"), title="Jeugd")


@pytest.fixture
def goal(priority):
    return goal_add(priority=priority, **GOAL)


@pytest.fixture
def block(plan, goal):
    return evidence_attach(
        plan=plan,
        goal=goal,
        kind="report_rates",
        title="Cijfers",
        payload=PAYLOAD,
        source=SOURCE,
        created_by=None,
    )


def url(name, plan, **kwargs):
    return reverse(f"frontend:staff-plan-{name}", kwargs={"uuid": plan.uuid, **kwargs})


def _gets(plan):
    return [
        LIST,
        url("detail", plan),
        url("evidence-reports", plan),
        url("evidence-survey", plan),
        url("export-json", plan),
        url("annex", plan),
    ]


@pytest.mark.parametrize("role", ["anonymous", *NON_STAFF, *STAFF])
def test_pages_permission_matrix(client_as, plan, role):
    client = client_as(role)
    for page in _gets(plan):
        response = client.get(page)
        if role == "anonymous":
            assert response.status_code == 302, page
            assert response["Location"].startswith(f"{LOGIN}?next="), page
        else:
            assert response.status_code == (200 if role in ALLOWED else 403), page


@pytest.mark.parametrize("role", ["anonymous", *NON_STAFF, "moderator"])
def test_actions_are_refused_to_others_and_change_nothing(
    client_as, plan, priority, goal, block, role
):
    client = client_as(role)
    posts = [
        (LIST, {"title": "X", "start_year": 2027, "end_year": 2030}),
        (url("update", plan), {"title": "X", "start_year": 2027, "end_year": 2030}),
        (url("adopt", plan), {"adopted_on": "2026-11-01"}),
        (url("priority-add", plan), {"theme": "1", "kind": "speerpunt", "title": "X"}),
        (url("priority-delete", plan, pk=priority.pk), {}),
        (url("goal-add", plan, pk=priority.pk), GOAL),
        (url("goal-delete", plan, pk=goal.pk), {}),
        (url("evidence-reports", plan), {"niveau": "wijk", "target": "plan"}),
        (url("evidence-withdraw", plan, block=block.uuid), {"reason": "x"}),
    ]
    for page, data in posts:
        response = client.post(page, data)
        if role == "anonymous":
            assert response.status_code == 302, page
            assert response["Location"].startswith(f"{LOGIN}?next="), page
        else:
            assert response.status_code == 403, page
    assert SafetyPlan.objects.count() == 1
    plan.refresh_from_db()
    assert (plan.title, plan.status) == ("IVP Testdorp", "concept")
    assert (PlanPriority.objects.count(), PlanGoal.objects.count()) == (1, 1)
    assert EvidenceBlock.objects.get().withdrawn_at is None


def test_a_policy_officer_builds_a_plan(client_as, categories):
    client = client_as("policy_staff")

    response = client.post(
        LIST, {"title": "IVP 2027–2030", "start_year": "2027", "end_year": "2030"}
    )
    plan = SafetyPlan.objects.get()
    assert response["Location"] == url("detail", plan)

    theme = Theme.objects.get(slug="jeugdoverlast")
    response = client.post(
        url("priority-add", plan), {"theme": theme.pk, "kind": "speerpunt", "title": "Jeugd"}
    )
    priority = PlanPriority.objects.get()
    assert response["Location"].endswith(f"#priority-{priority.pk}")

    response = client.post(url("goal-add", plan, pk=priority.pk), GOAL)
    goal = PlanGoal.objects.get()
    assert response["Location"].endswith(f"#goal-{goal.pk}")

    html = client.get(url("detail", plan)).content.decode()
    assert "Meldingen jeugdoverlast per 1.000 inwoners (I18)" in html
    assert "5,9 (2025)" in html
    assert csp_audit(html).problems == []


@pytest.mark.parametrize(
    ("page", "data", "anchor", "message"),
    [
        (
            "list",
            {"title": "", "start_year": "2027", "end_year": "2030"},
            "id_title",
            "Dit veld is vereist",
        ),
        (
            "list",
            {"title": "IVP", "start_year": "2030", "end_year": "2027"},
            "id_end_year",
            "vóór het eerste jaar",
        ),
        ("goal", {**GOAL, "target_year": "2035"}, "goal-{p}-target_year", "looptijd van het plan"),
        (
            "goal",
            {**GOAL, "unit": "percent", "target_value": "120"},
            "goal-{p}-target_value",
            "past niet bij de eenheid",
        ),
        (
            "priority",
            {"theme": "", "kind": "speerpunt", "title": "X"},
            "id_theme",
            "Dit veld is vereist",
        ),
        ("adopt", {"adopted_on": "2099-01-01"}, "id_adopted_on", "in de toekomst"),
    ],
)
def test_errors_are_named_at_the_field_and_summarised(
    client_as, plan, priority, page, data, anchor, message
):
    client = client_as("policy_staff")
    target = {
        "list": LIST,
        "goal": url("goal-add", plan, pk=priority.pk),
        "priority": url("priority-add", plan),
        "adopt": url("adopt", plan),
    }[page]

    response = client.post(target, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in html
    assert f'href="#{anchor.format(p=priority.pk)}"' in html
    assert message in html
    assert SafetyPlan.objects.count() == 1
    assert PlanGoal.objects.count() == 0


def test_a_duplicate_priority_is_a_form_error(client_as, plan, priority):
    response = client_as("policy_staff").post(
        url("priority-add", plan),
        {"theme": str(priority.theme.pk), "kind": "speerpunt", "title": "Nog eens"},
    )
    # the used theme is no longer offered, so it is an invalid choice
    assert response.status_code == 400
    assert 'href="#id_theme"' in response.content.decode()


def test_evidence_from_reports_is_previewed_then_frozen_at_a_goal(client_as, reported, plan, goal):
    client = client_as("policy_staff")
    page = url("evidence-reports", plan)

    preview = client.get(f"{page}?van=2026-01-01&tot=2026-06-30")
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Testdorp (GM0546)" in html
    assert ">15<" in html  # published: 13 rounded
    assert ">13<" not in html
    assert csp_audit(html).problems == []

    response = client.post(
        page,
        {
            "van": "2026-01-01",
            "tot": "2026-06-30",
            "niveau": "wijk",
            "target": f"g{goal.pk}",
            "title": "",
        },
    )
    block = EvidenceBlock.objects.get()
    assert response["Location"].endswith(f"#block-{block.uuid}")
    assert (block.goal, block.priority) == (goal, goal.priority)
    assert block.created_by == client.user
    assert block.source["period"] == {"from": "2026-01-01", "to": "2026-06-30"}

    detail = client.get(url("detail", plan)).content.decode()
    assert block.title in detail
    assert "klopt" in detail
    assert block.digest in detail


def test_evidence_with_bad_filters_or_target_is_not_frozen(client_as, reported, plan):
    client = client_as("policy_staff")
    response = client.post(
        url("evidence-reports", plan), {"van": "2026-06-30", "tot": "2026-01-01", "target": "g999"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_tot"' in html
    assert 'href="#id_target"' in html
    assert EvidenceBlock.objects.count() == 0


def test_withdrawing_evidence_keeps_it_visible_as_withdrawn(client_as, plan, block):
    client = client_as("policy_staff")

    missing = client.post(url("evidence-withdraw", plan, block=block.uuid), {"reason": ""})
    assert missing.status_code == 400
    assert f'href="#withdraw-{block.uuid}-reason"' in missing.content.decode()

    client.post(url("evidence-withdraw", plan, block=block.uuid), {"reason": "Verkeerde periode"})
    block.refresh_from_db()
    assert block.withdrawn_reason == "Verkeerde periode"
    detail = client.get(url("detail", plan)).content.decode()
    assert "Verkeerde periode" in detail
    annex = client.get(url("annex", plan)).content.decode()
    assert block.title not in annex


def test_adopting_freezes_the_pages(client_as, plan, priority, block):
    client = client_as("policy_staff")
    response = client.post(url("adopt", plan), {"adopted_on": "2026-11-01"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.adopted_on == date(2026, 11, 1)

    html = client.get(url("detail", plan)).content.decode()
    assert "Dit plan is vastgesteld" in html
    assert 'id="priority-form"' not in html
    assert "Bewijs intrekken" not in html

    refused = client.post(
        url("priority-add", plan), {"theme": "1", "kind": "speerpunt", "title": "X"}
    )
    assert refused.status_code == 400
    evidence = client.post(url("evidence-reports", plan), {"niveau": "wijk", "target": "plan"})
    assert evidence.status_code == 302
    assert EvidenceBlock.objects.count() == 1


def test_json_export_has_everything_with_digests(client_as, plan, goal, block):
    response = client_as("administrator").get(url("export-json", plan))

    assert response["Content-Type"] == "application/json"
    assert f"veiligheidsplan-{plan.uuid}.json" in response["Content-Disposition"]
    data = response.json()
    assert data["plan"]["title"] == "IVP Testdorp"
    exported_goal = data["priorities"][0]["goals"][0]
    assert exported_goal["baseline_value"] == "5.90"
    exported = exported_goal["evidence"][0]
    assert exported["digest_sha256"] == block.digest
    assert exported["digest_verified"] is True
    assert exported["payload"] == PAYLOAD


def test_unknown_plans_priorities_goals_and_blocks_are_404(client_as, plan, priority, goal, block):
    client = client_as("policy_staff")
    other = plan_create(municipality_code="GM0546", title="Ander", start_year=2031, end_year=2034)
    assert (
        client.get(
            re.sub(r"[0-9a-f-]{36}", "00000000-0000-0000-0000-000000000000", url("detail", plan))
        ).status_code
        == 404
    )
    assert client.post(url("goal-add", other, pk=priority.pk), GOAL).status_code == 404
    assert client.post(url("goal-delete", other, pk=goal.pk)).status_code == 404
    assert client.post(url("priority-delete", other, pk=priority.pk)).status_code == 404
    assert (
        client.post(url("evidence-withdraw", other, block=block.uuid), {"reason": "x"}).status_code
        == 404
    )


def test_evidence_from_a_survey_is_previewed_then_frozen(client_as, buurten, plan):
    gemeente_and_wijk_1()
    survey = young_and_old(buurten)
    version = survey.versions.get()
    client = client_as("policy_staff")
    page = url("evidence-survey", plan)

    empty = client.get(page).content.decode()
    assert f'value="{version.pk}"' in empty
    assert "Voorbeeld" not in empty

    preview = client.get(f"{page}?versie={version.pk}&kanaal=panel&indicator=I1")
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "I1 Voelt zich wel eens onveilig" in html
    assert ">50<" in html  # weighted (unweighted: 30)
    assert csp_audit(html).problems == []

    response = client.post(
        page, {"versie": version.pk, "kanaal": "panel", "indicator": "I1", "target": "plan"}
    )
    block = EvidenceBlock.objects.get()
    assert response["Location"].endswith(f"#block-{block.uuid}")
    assert block.kind == "survey_indicators"
    assert block.source["weighting"]["weighted"] is True
    detail = client.get(url("detail", plan)).content.decode()
    assert "Weging" in detail
    assert "raking op CBS-kerncijfers" in detail


def test_survey_evidence_with_an_unknown_version_is_a_form_error(client_as, buurten, plan):
    client = client_as("policy_staff")
    html = client.get(f"{url('evidence-survey', plan)}?versie=999").content.decode()
    assert 'href="#id_versie"' in html
    response = client.post(url("evidence-survey", plan), {"versie": "999", "target": "plan"})
    assert response.status_code == 400
    assert EvidenceBlock.objects.count() == 0


# --- The public page of an adopted plan ---------------------------------------------------------


def test_only_adopted_plans_are_public_without_staff_names(client, plan, priority, goal, block):
    staff = UserFactory(display_name="Beleid Medewerker", email="beleid.geheim@example.test")
    named = evidence_attach(
        plan=plan,
        priority=priority,
        kind="report_rates",
        title="Zichtbaar blok",
        payload=PAYLOAD,
        source=SOURCE,
        created_by=staff,
    )
    evidence_withdraw(block=block, reason="Verkeerde periode")
    public = reverse("frontend:plan-public", kwargs={"uuid": plan.uuid})

    assert client.get(public).status_code == 404  # a draft
    assert plan.title not in client.get(reverse("frontend:plan-public-list")).content.decode()

    plan_adopt(plan=plan, adopted_on=date(2026, 11, 1))
    listing = client.get(reverse("frontend:plan-public-list")).content.decode()
    assert plan.title in listing
    html = client.get(public).content.decode()
    assert named.title in html
    assert named.digest in html
    assert block.title not in html  # withdrawn
    assert "Beleid Medewerker" not in html
    assert "beleid.geheim@example.test" not in html
    assert "Bewijs intrekken" not in html
    assert csp_audit(html).problems == []


def test_plans_of_another_municipality_are_not_public(client, settings, plan, priority):
    plan_adopt(plan=plan, adopted_on=date(2026, 11, 1))
    settings.BUURTSTEM_MUNICIPALITY_CODE = "GM0363"
    public = reverse("frontend:plan-public", kwargs={"uuid": plan.uuid})
    assert client.get(public).status_code == 404

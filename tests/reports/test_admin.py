"""Django admin for reports: categories editable by administrators, reports read-only with
actions that go through the services, personal and confidential data behind permissions."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from participation.services import user_role_grant
from reports.models import Report, ReportEvent
from tests.participation.factories import UserFactory
from tests.reports.factories import ReportFactory, ReportMessageFactory

pytestmark = pytest.mark.django_db

EMAIL = "melder-in-admin@example.test"


def _staff_client(client, role: str, *, superuser: bool = False):
    user = UserFactory(is_staff=True, is_superuser=superuser)
    user_role_grant(user=user, role_key=role, granted_by=None)
    client.force_login(user)
    return client, user


@pytest.fixture
def report(town, categories):
    report = ReportFactory(
        buurt=town.buurten[0],
        category=categories["zwerfafval"],
        contact_email=EMAIL,
        contact_consent=True,
        description="Origineel verhaal met details",
    )
    ReportMessageFactory(report=report)
    return report


@pytest.mark.parametrize("model", ["report", "reportcategory", "reportevent"])
def test_admin_changelists_render_when_user_is_moderator(model, client, report):
    client, _ = _staff_client(client, "moderator")
    ReportEvent.objects.create(report=report, action="report.created")
    assert client.get(reverse(f"admin:reports_{model}_changelist")).status_code == 200
    assert client.get(reverse("admin:index")).content.decode().count("/reports/") >= 1


def test_admin_report_page_is_read_only_and_shows_personal_data_when_permitted(client, report):
    client, _ = _staff_client(client, "moderator")
    response = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert EMAIL in html
    assert "Origineel verhaal" in html
    assert not response.context["adminform"].form.fields  # nothing editable
    assert client.get(reverse("admin:reports_report_add")).status_code == 403
    assert client.get(reverse("admin:reports_report_delete", args=[report.pk])).status_code == 403


def test_admin_report_page_hides_personal_data_when_user_is_policy_staff(client, report):
    client, _ = _staff_client(client, "policy_staff")
    response = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert EMAIL not in html
    assert "Origineel verhaal" not in html


def test_admin_report_list_hides_confidential_reports_when_user_is_policy_staff(
    client, report, town, categories
):
    secret = ReportFactory(buurt=town.buurten[0], category=categories["ondermijning-vermoeden"])
    client, _ = _staff_client(client, "policy_staff")
    html = client.get(reverse("admin:reports_report_changelist")).content.decode()
    assert report.reference in html
    assert secret.reference not in html
    page = client.get(reverse("admin:reports_report_change", args=[secret.pk]))
    assert page.status_code == 302  # "does not exist" redirect
    client2, _ = _staff_client(client.__class__(), "moderator")
    assert (
        secret.reference in client2.get(reverse("admin:reports_report_changelist")).content.decode()
    )


def test_admin_status_action_changes_status_through_the_service(client, report):
    client, user = _staff_client(client, "policy_staff")
    response = client.post(
        reverse("admin:reports_report_changelist"),
        {"action": "status_afgehandeld", ACTION_CHECKBOX_NAME: [report.pk]},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    assert report.closed_at is not None
    event = ReportEvent.objects.get(report=report, action="report.status_changed")
    assert event.actor == user


def test_admin_status_action_reports_refusal_when_transition_is_invalid(client, report):
    report.status = Report.Status.RESOLVED
    report.save()
    client, _ = _staff_client(client, "policy_staff")
    response = client.post(
        reverse("admin:reports_report_changelist"),
        {"action": "status_geannuleerd", ACTION_CHECKBOX_NAME: [report.pk]},
        follow=True,
    )
    assert "niet mogelijk" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED


def test_admin_moderation_action_is_offered_only_to_moderators(client, report):
    policy, _ = _staff_client(client, "policy_staff")
    actions = policy.get(reverse("admin:reports_report_changelist")).context["action_form"]
    choices = {value for value, _ in actions.fields["action"].choices}
    assert "moderation_approved" not in choices
    assert "status_afgehandeld" in choices

    moderator, user = _staff_client(client.__class__(), "moderator")
    moderator.post(
        reverse("admin:reports_report_changelist"),
        {"action": "moderation_approved", ACTION_CHECKBOX_NAME: [report.pk]},
    )
    report.refresh_from_db()
    assert report.moderation == Report.Moderation.APPROVED
    assert report.public_description == "Origineel verhaal met details"
    assert ReportEvent.objects.get(action="report.moderated").actor == user


def test_admin_category_is_editable_by_administrator_only(client, categories):
    category = categories["zwerfafval"]
    url = reverse("admin:reports_reportcategory_change", args=[category.pk])
    admin_client, _ = _staff_client(client, "administrator")
    data = {
        "name": "Zwerfvuil",
        "name_en": "Litter",
        "description": "",
        "description_en": "",
        "parent": category.parent_id,
        "theme": category.theme_id,
        "sensitivity": "public",
        "redirect_channel": "",
        "accepts_reports": "on",
        "is_active": "on",
        "position": 3,
    }
    assert admin_client.post(url, data).status_code == 302
    category.refresh_from_db()
    assert category.name == "Zwerfvuil"
    assert category.slug == "zwerfafval"  # read-only once created

    policy_client, _ = _staff_client(client.__class__(), "policy_staff")
    response = policy_client.post(url, {**data, "name": "Anders"})
    assert response.status_code == 403
    category.refresh_from_db()
    assert category.name == "Zwerfvuil"


def test_admin_audit_log_cannot_be_changed_or_deleted(client, report):
    event = ReportEvent.objects.create(report=report, action="report.created")
    client, _ = _staff_client(client, "administrator", superuser=True)
    page = client.get(reverse("admin:reports_reportevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert not page.context["adminform"].form.fields
    assert (
        client.post(reverse("admin:reports_reportevent_delete", args=[event.pk])).status_code == 403
    )
    assert ReportEvent.objects.filter(pk=event.pk).exists()

"""Django admin: pages render, and actions go through the services."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse

from participation.models import ConsentText, PanelMembership, User
from participation.selectors import user_role_keys
from participation.services import user_role_grant
from tests.geo.factories import AreaFactory
from tests.participation.factories import (
    BurgerpanelFactory,
    ConsentTextFactory,
    PanelMembershipFactory,
    UserFactory,
    WijkraadFactory,
    WijkraadMembershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    """A technical administrator: Django superuser (for the admin) with the Beheerder role."""
    user = UserFactory(email="root@example.test", is_staff=True, is_superuser=True)
    user_role_grant(user=user, role_key="administrator", granted_by=None)
    return user


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


MODELS = ["user", "wijkraad", "wijkraadmembership", "burgerpanel", "consenttext", "panelmembership"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_and_add_pages_render(admin_client, model):
    WijkraadMembershipFactory(wijkraad=WijkraadFactory(areas=[AreaFactory(code="BU05469000")]))
    PanelMembershipFactory()
    assert admin_client.get(reverse(f"admin:participation_{model}_changelist")).status_code == 200
    add = admin_client.get(reverse(f"admin:participation_{model}_add"))
    assert add.status_code == (403 if model == "panelmembership" else 200)


def test_admin_user_change_page_shows_roles_read_only(admin_client, admin_user):
    response = admin_client.get(reverse("admin:participation_user_change", args=[admin_user.pk]))
    assert response.status_code == 200
    assert "Beheerder" in response.content.decode()
    assert "groups" not in response.context["adminform"].form.fields
    assert "email" not in response.context["adminform"].form.fields


def test_admin_creates_a_user_by_email(admin_client):
    response = admin_client.post(
        reverse("admin:participation_user_add"),
        {"email": "Nieuw@Example.test", "usable_password": "false"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@example.test")
    assert not user.has_usable_password()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (
        "nieuw@example.test",
        False,
        True,
    )


def test_admin_creates_a_user_with_a_password(admin_client):
    response = admin_client.post(
        reverse("admin:participation_user_add"),
        {
            "email": "met@example.test",
            "usable_password": "true",
            "password1": "Lang-genoeg-wachtwoord-7",
            "password2": "Lang-genoeg-wachtwoord-7",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="met@example.test").check_password("Lang-genoeg-wachtwoord-7")


def test_admin_refuses_a_duplicate_address_in_another_case(admin_client):
    UserFactory(email="dubbel@example.test")
    response = admin_client.post(
        reverse("admin:participation_user_add"),
        {"email": "Dubbel@Example.test", "usable_password": "false"},
    )
    assert response.status_code == 200
    assert User.objects.filter(email__iexact="dubbel@example.test").count() == 1


def test_admin_action_grants_a_role_through_the_service(admin_client, caplog):
    user = UserFactory()
    with caplog.at_level("INFO", logger="buurtstem.audit"):
        response = admin_client.post(
            reverse("admin:participation_user_changelist"),
            {"action": "grant_moderator", ACTION_CHECKBOX_NAME: [user.pk]},
        )
    assert response.status_code == 302
    assert user_role_keys(user=user) == ["moderator"]
    assert "role granted: role=moderator" in caplog.text


def test_admin_action_reports_domain_errors(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:participation_user_changelist"),
        {"action": "revoke_administrator", ACTION_CHECKBOX_NAME: [admin_user.pk]},
        follow=True,
    )
    assert "laatste beheerder" in response.content.decode()
    assert user_role_keys(user=admin_user) == ["administrator"]


def test_admin_role_actions_need_manage_roles(client):
    technician = UserFactory(is_staff=True)
    technician.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    client.force_login(technician)
    response = client.get(reverse("admin:participation_user_changelist"))
    assert response.status_code == 200
    assert "grant_moderator" not in response.content.decode()


def test_admin_creates_and_publishes_consent_texts_through_the_services(admin_client):
    panel = BurgerpanelFactory()
    ConsentTextFactory(panel=panel, version=1)
    response = admin_client.post(
        reverse("admin:participation_consenttext_add"), {"panel": panel.pk, "body": "Nieuw"}
    )
    assert response.status_code == 302
    draft = ConsentText.objects.get(panel=panel, version=2)
    assert draft.published_at is None
    admin_client.post(
        reverse("admin:participation_consenttext_changelist"),
        {"action": "publish", ACTION_CHECKBOX_NAME: [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.is_published


def test_admin_keeps_published_consent_texts_read_only(admin_client):
    text = ConsentTextFactory()
    url = reverse("admin:participation_consenttext_change", args=[text.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "body" not in response.context["adminform"].form.fields
    delete = admin_client.get(reverse("admin:participation_consenttext_delete", args=[text.pk]))
    assert delete.status_code == 403


def test_admin_withdraw_action_erases_personal_data(admin_client):
    membership = PanelMembershipFactory(buurt=AreaFactory(code="BU05469000"))
    response = admin_client.post(
        reverse("admin:participation_panelmembership_changelist"),
        {"action": "withdraw", ACTION_CHECKBOX_NAME: [membership.pk]},
    )
    assert response.status_code == 302
    membership = PanelMembership.objects.get(pk=membership.pk)
    assert membership.withdrawn_at is not None
    assert (membership.user, membership.buurt, membership.age_band, membership.sex) == (
        None,
        None,
        "",
        "",
    )

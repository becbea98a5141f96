"""Staff pages: sign-in, permission, two-step verification, and the role administration."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from participation.models import User
from participation.selectors import user_role_keys
from tests.geo.factories import AreaFactory
from tests.participation.factories import UserFactory
from tests.participation.helpers import TEST_TOTP_SECRET, login_with_totp, totp_code

pytestmark = pytest.mark.django_db

HOME = reverse("frontend:staff-home")
ROLES = reverse("frontend:staff-roles")


@pytest.mark.parametrize("url", [HOME, ROLES])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("url", [HOME, ROLES])
def test_resident_is_forbidden(client, url):
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [HOME, ROLES])
def test_staff_without_totp_is_sent_to_totp_setup(client, staff_user, url):
    client.force_login(staff_user("administrator", totp=False))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    [message] = list(get_messages(response.wsgi_request))
    assert "tweestapsverificatie" in str(message)


def test_staff_session_without_second_factor_must_confirm_with_totp(client, staff_user):
    # given: TOTP is set up, but this session was signed in without it
    client.force_login(staff_user("policy_staff"))
    # when
    response = client.get(HOME)
    # then: allauth's MFA re-authentication, which returns to the page
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fbeheer%2F"
    response = client.post(response["Location"], {"code": totp_code(TEST_TOTP_SECRET)})
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_staff_home_shows_roles_and_aggregates(client, staff_user):
    AreaFactory(code="BU05469000", col=0)
    user = staff_user("policy_staff")
    login_with_totp(client, user)
    response = client.get(HOME)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Beleidsmedewerker" in content
    assert "Gebieden per niveau en jaargang" in content
    assert reverse("frontend:staff-roles") not in content  # not an administrator


def test_moderator_reaches_staff_home_but_not_roles(client, staff_user):
    login_with_totp(client, staff_user("moderator"))
    assert client.get(HOME).status_code == 200
    assert client.get(ROLES).status_code == 403


@pytest.fixture
def admin_client(client, staff_user):
    admin = staff_user("administrator", email="beheer@example.test")
    login_with_totp(client, admin)
    client.admin = admin
    return client


def test_roles_page_lists_role_holders(admin_client, staff_user):
    staff_user("moderator", email="mod@example.test", totp=False)
    response = admin_client.get(ROLES)
    assert response.status_code == 200
    content = response.content.decode()
    assert "mod@example.test" in content
    assert "beheer@example.test" in content
    assert "nog niet ingesteld" in content


def test_roles_form_grants_a_role(admin_client):
    user = UserFactory(email="nieuw@example.test")
    response = admin_client.post(
        ROLES, {"email": "Nieuw@Example.test", "role": "policy_staff", "action": "grant"}
    )
    assert response.status_code == 302
    assert response["Location"] == ROLES
    assert user_role_keys(user=user) == ["policy_staff"]
    response = admin_client.get(ROLES)
    assert "nieuw@example.test heeft nu de rol Beleidsmedewerker." in response.content.decode()


def test_roles_form_revokes_a_role(admin_client, staff_user):
    user = staff_user("moderator")
    response = admin_client.post(
        ROLES, {"email": user.email, "role": "moderator", "action": "revoke"}
    )
    assert response.status_code == 302
    assert user_role_keys(user=user) == []


def test_roles_form_unknown_email_is_a_form_error_and_writes_nothing(admin_client):
    memberships_before = User.groups.through.objects.count()
    response = admin_client.post(
        ROLES, {"email": "onbekend@example.test", "role": "administrator", "action": "grant"}
    )
    assert response.status_code == 200
    assert "Er is geen account met dit e-mailadres." in response.context["form"].errors["email"][0]
    assert User.groups.through.objects.count() == memberships_before
    assert 'aria-invalid="true"' in response.content.decode()


def test_roles_form_unknown_role_is_a_form_error(admin_client):
    user = UserFactory()
    response = admin_client.post(
        ROLES, {"email": user.email, "role": "Beheerder", "action": "grant"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["role"] == ["Onbekende rol. Kies een rol uit de lijst."]
    assert user_role_keys(user=user) == []


def test_roles_form_shows_domain_errors(admin_client):
    # The administrator is the only one: revoking would leave nobody to manage roles.
    response = admin_client.post(
        ROLES, {"email": admin_client.admin.email, "role": "administrator", "action": "revoke"}
    )
    assert response.status_code == 200
    assert "laatste beheerder" in str(response.context["form"].non_field_errors())
    assert user_role_keys(user=admin_client.admin) == ["administrator"]


def test_roles_form_refuses_double_grant(admin_client):
    response = admin_client.post(
        ROLES, {"email": admin_client.admin.email, "role": "administrator", "action": "grant"}
    )
    assert response.status_code == 200
    assert "heeft deze rol al" in str(response.context["form"].non_field_errors())

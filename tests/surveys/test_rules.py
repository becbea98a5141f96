"""Who may do what with surveys: a role × permission matrix, and respond × survey state."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from participation.services import user_role_grant
from surveys.services import survey_close
from tests.participation.factories import (
    PanelMembershipFactory,
    UserFactory,
    WijkraadFactory,
    WijkraadMembershipFactory,
)
from tests.surveys.helpers import build_survey, q

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "resident",
    "panel_member",
    "wijkraad_member",
    "policy_staff",
    "moderator",
    "administrator",
    "inactive_policy_staff",
)
PERMISSIONS = (
    "surveys.manage_survey",
    "surveys.view_results",
    "surveys.export_responses",
    "surveys.moderate_open_answers",
    "surveys.manage_waves",
)

T, F = True, False
# fmt: off
#                          manage results export moderate waves
EXPECTED = {
    "anonymous":             (F,     F,      F,     F,       F),
    "resident":              (F,     F,      F,     F,       F),
    "panel_member":          (F,     F,      F,     F,       F),
    "wijkraad_member":       (F,     F,      F,     F,       F),
    "policy_staff":          (T,     T,      T,     F,       T),
    "moderator":             (F,     F,      F,     T,       F),
    "administrator":         (T,     T,      T,     T,       T),
    "inactive_policy_staff": (F,     F,      F,     F,       F),
}
# fmt: on


def make_user(role: str):
    if role == "anonymous":
        return AnonymousUser()
    user = UserFactory()
    if role == "panel_member":
        PanelMembershipFactory(user=user)
    elif role == "wijkraad_member":
        WijkraadMembershipFactory(user=user, wijkraad=WijkraadFactory())
    elif role in ("policy_staff", "moderator", "administrator"):
        user_role_grant(user=user, role_key=role, granted_by=None)
    elif role == "inactive_policy_staff":
        user_role_grant(user=user, role_key="policy_staff", granted_by=None)
        user.is_active = False
        user.save()
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize(
    ("role", "permission", "expected"),
    [(r, p, EXPECTED[r][i]) for r in ROLES for i, p in enumerate(PERMISSIONS)],
)
def test_permission_matrix(role, permission, expected):
    user = make_user(role)
    survey = build_survey(questions=[q("Q1")])
    assert user.has_perm(permission) is expected
    assert user.has_perm(permission, survey) is expected


def _survey(state: str):
    if state == "open_link":
        return build_survey(questions=[q("Q1")])
    if state == "panel_only":
        from tests.participation.factories import BurgerpanelFactory

        return build_survey(
            questions=[q("Q1")], distribution="panel_only", panel=BurgerpanelFactory()
        )
    if state == "draft":
        return build_survey(questions=[q("Q1")], publish=False)
    if state == "not_yet_open":
        return build_survey(questions=[q("Q1")], opens_at=timezone.now() + dt.timedelta(days=1))
    survey = build_survey(questions=[q("Q1")])
    survey_close(survey=survey)
    survey.refresh_from_db()
    return survey


# Everyone may respond while a survey takes responses; a panel-only survey additionally needs
# a valid invitation token, which the service checks (the rule cannot know the token).
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("open_link", True),
        ("panel_only", True),
        ("draft", False),
        ("not_yet_open", False),
        ("closed", False),
    ],
)
def test_respond_depends_on_the_survey_state_not_the_role(role, state, expected):
    user = make_user(role)
    assert user.has_perm("surveys.respond", _survey(state)) is expected


def test_respond_needs_a_survey():
    assert UserFactory().has_perm("surveys.respond") is False

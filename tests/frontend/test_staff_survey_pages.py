"""Staff survey pages (/beheer/vragenlijsten/): the role × page permission matrix, the
builder (with bad input), the one-click template, preview, publish, close, results with
suppression, moderation of open answers, the anonymous CSV export and invitation waves."""

import csv
import io
import time
from collections import Counter
from datetime import timedelta

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY
from allauth.account.internal.userkit import user_id_to_str
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from participation.models import User
from participation.services import user_role_grant
from surveys.models import (
    Invitation,
    InvitationWave,
    OpenAnswerModeration,
    Question,
    Section,
    Survey,
)
from surveys.selectors import survey_version_draft, survey_version_published
from surveys.services import invitation_create
from tests.frontend.html_audit import csp_audit
from tests.geo.factories import AreaFactory
from tests.participation.factories import (
    BurgerpanelFactory,
    PanelMembershipFactory,
    UserFactory,
    WijkraadMembershipFactory,
)
from tests.participation.helpers import TEST_TOTP_SECRET
from tests.surveys.helpers import OPTIONS_ABC, build_survey, member, q, submit_open
from tests.surveys.weighting_helpers import gemeente_and_wijk_1, young_and_old

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "panel_member",
    "wijkraad_member",
    "policy_staff",
    "moderator",
    "administrator",
]
STAFF_ROLES = ("policy_staff", "moderator", "administrator")
POLICY = {"policy_staff", "administrator"}
MODERATION = {"moderator", "administrator"}
ANY_STAFF = set(STAFF_ROLES)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def make_user(role: str) -> User | None:
    if role == "anonymous":
        return None
    if role == "resident":
        return UserFactory()
    if role == "panel_member":
        return PanelMembershipFactory().user
    if role == "wijkraad_member":
        return WijkraadMembershipFactory().user
    user = UserFactory()
    user_role_grant(user=user, role_key=role, granted_by=None)
    TOTP.activate(user, TEST_TOTP_SECRET)
    return User.objects.get(pk=user.pk)


def sign_in(client, user: User | None) -> None:
    """Signed in with the record allauth writes after the TOTP step (the real sign-in with
    TOTP is covered by tests/participation/test_staff_views.py and the browser tests)."""
    if user is None:
        return
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()


@pytest.fixture
def as_role(client):
    def login(role: str):
        user = make_user(role)
        sign_in(client, user)
        client.user = user
        return client

    return login


@pytest.fixture
def policy(as_role):
    return as_role("policy_staff")


@pytest.fixture
def draft_survey(db) -> Survey:
    return build_survey(
        publish=False,
        sections=[
            {"title": "Eerste", "questions": [q("Q1"), q("Q2", type="frequency")]},
            {"title": "Tweede", "questions": [q("Q3", type="open_text")]},
        ],
    )


@pytest.fixture
def panel(db):
    return BurgerpanelFactory()


@pytest.fixture
def panel_survey(panel) -> Survey:
    return build_survey(questions=[q("Q1")], distribution="panel_only", panel=panel)


def url(name: str, *args) -> str:
    return reverse(f"frontend:{name}", args=args)


def first_section(survey: Survey) -> Section:
    return Section.objects.filter(version__survey=survey).order_by("version__number", "position")[0]


def question(survey: Survey, code: str) -> Question:
    return Question.objects.filter(version__survey=survey, code=code).latest("version__number")


# --- Permission matrix ----------------------------------------------------------------------

PAGES = [
    # (name, survey fixture or None, extra args, allowed roles)
    ("staff-survey-list", None, (), ANY_STAFF),
    ("staff-survey-create", None, (), POLICY),
    ("staff-survey-detail", "draft", (), POLICY),
    ("staff-survey-section-add", "draft", (), POLICY),
    ("staff-survey-section-edit", "draft", ("section",), POLICY),
    ("staff-survey-section-delete", "draft", ("section",), POLICY),
    ("staff-survey-question-add", "draft", ("section",), POLICY),
    ("staff-survey-question-edit", "draft", ("question",), POLICY),
    ("staff-survey-question-delete", "draft", ("question",), POLICY),
    ("staff-survey-preview", "draft", (), POLICY),
    ("staff-survey-publish", "draft", (), POLICY),
    ("staff-survey-close", "panel", (), POLICY),
    ("staff-survey-results", "panel", (), POLICY),
    ("staff-survey-export", "panel", (), POLICY),
    ("staff-survey-moderation", "panel", (), MODERATION),
    ("staff-survey-waves", "panel", (), POLICY),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "which", "extra", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_page_permission_matrix(
    as_role, draft_survey, panel_survey, role, name, which, extra, allowed
):
    survey = {"draft": draft_survey, "panel": panel_survey, None: None}[which]
    args = [survey.pk] if survey else []
    for kind in extra:
        if kind == "section":
            args.append(first_section(survey).pk)
        else:
            args.append(question(survey, "Q1").pk)
    target = url(name, *args)
    client = as_role(role)

    response = client.get(target)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


ACTIONS = [
    # (name, survey fixture, extra args, data, allowed roles, check that nothing happened)
    ("staff-survey-template", None, (), {"distribution": "open_link"}, POLICY),
    ("staff-survey-section-delete", "draft", ("section",), {}, POLICY),
    ("staff-survey-question-move", "draft", ("question",), {"direction": "down"}, POLICY),
    ("staff-survey-publish", "draft", (), {}, POLICY),
    ("staff-survey-close", "panel", (), {}, POLICY),
    ("staff-survey-new-version", "panel", (), {}, POLICY),
    (
        "staff-survey-waves",
        "panel",
        (),
        {"name": "R1", "mode": "all", "fatigue_window_days": 90},
        POLICY,
    ),
]


def _snapshot() -> tuple:
    return (
        Survey.objects.count(),
        list(Survey.objects.order_by("pk").values_list("status", flat=True)),
        Section.objects.count(),
        list(Question.objects.order_by("pk").values_list("position", flat=True)),
        InvitationWave.objects.count(),
        Survey.objects.filter(versions__number=2).count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "which", "extra", "data", "allowed"), ACTIONS, ids=[a[0] for a in ACTIONS]
)
def test_action_permission_matrix(
    as_role, draft_survey, panel_survey, role, name, which, extra, data, allowed
):
    survey = {"draft": draft_survey, "panel": panel_survey, None: None}[which]
    args = [survey.pk] if survey else []
    for kind in extra:
        args.append(first_section(survey).pk if kind == "section" else question(survey, "Q1").pk)
    client = as_role(role)
    before = _snapshot()

    response = client.post(url(name, *args), data)

    if role in allowed:
        assert response.status_code == 302
        assert _snapshot() != before
    else:
        assert response.status_code in (302, 403)
        if role != "anonymous":
            assert response.status_code == 403
        assert _snapshot() == before


def test_moderation_post_is_only_for_moderators(as_role, draft_survey):
    survey = _survey_with_open_answers(5)
    item = OpenAnswerModeration.objects.filter(answer__response__survey=survey).first()
    target = url("staff-survey-moderation", survey.pk)
    data = {
        "moderation": item.pk,
        f"m{item.pk}-decision": "approved",
        f"m{item.pk}-public_text": "x",
    }
    assert as_role("policy_staff").post(target, data).status_code == 403
    item.refresh_from_db()
    assert item.status == "pending"


def test_staff_home_links_to_the_survey_pages(policy):
    response = policy.get(reverse("frontend:staff-home"))
    assert url("staff-survey-list") in response.content.decode()


# --- List, create, template -----------------------------------------------------------------


def test_list_shows_status_version_distribution_and_counts(policy, panel_survey, draft_survey):
    open_survey = build_survey(questions=[q("Q1")])
    for _ in range(3):
        submit_open(open_survey, {"Q1": "a"})
    response = policy.get(url("staff-survey-list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Buurtenquête veiligheid (Veiligheidsmonitor)" in content
    assert "Nieuwe vragenlijst" in content
    surveys = {s.pk: s for s in response.context["surveys"]}
    assert surveys[open_survey.pk].submitted == 3
    assert surveys[open_survey.pk].submitted_open_link == 3
    assert surveys[draft_survey.pk].published_version is None
    assert surveys[panel_survey.pk].published_version == 1
    assert "alleen burgerpanel" in content
    assert "open link (indicatief)" in content


def test_moderator_sees_the_list_without_builder_actions(as_role, draft_survey):
    content = as_role("moderator").get(url("staff-survey-list")).content.decode()
    assert url("staff-survey-moderation", draft_survey.pk) in content
    assert url("staff-survey-create") not in content
    assert f'href="{url("staff-survey-detail", draft_survey.pk)}"' not in content


def test_create_blank_survey(policy):
    response = policy.post(
        url("staff-survey-create"),
        {"title": "Fietsenstallingen", "distribution": "open_link", "intro": "Hoe staat het?"},
    )
    survey = Survey.objects.get(title="Fietsenstallingen")
    assert response.status_code == 302
    assert response["Location"] == url("staff-survey-detail", survey.pk)
    assert survey.slug == "fietsenstallingen"
    assert survey.created_by == policy.user
    assert survey.municipality_code == "GM0546"
    assert survey_version_draft(survey=survey).number == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"distribution": "open_link"}, "title", "vereist"),
        ({"title": "X", "distribution": "panel_only"}, "panel", "heeft een panel nodig"),
        (
            {"title": "X", "distribution": "open_link", "slug": "Geen Slug!"},
            "slug",
            "kleine letters",
        ),
        (
            {
                "title": "X",
                "distribution": "open_link",
                "opens_at": "2026-05-02T10:00",
                "closes_at": "2026-05-01T10:00",
            },
            "closes_at",
            "na de openingsdatum",
        ),
    ],
)
def test_create_bad_input_is_a_field_error_and_writes_nothing(policy, data, field, message):
    response = policy.post(url("staff-survey-create"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Survey.objects.exists()
    content = response.content.decode()
    assert 'id="error-summary"' in content
    assert f'href="#{response.context["form"][field].id_for_label}"' in content


def test_create_duplicate_slug_is_an_error_on_the_slug(policy, draft_survey):
    response = policy.post(
        url("staff-survey-create"),
        {"title": "X", "distribution": "open_link", "slug": draft_survey.slug},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["slug"]
    assert Survey.objects.count() == 1


def test_template_is_created_in_one_click_for_the_panel(policy, panel):
    list_page = policy.get(url("staff-survey-list"))
    initial = list_page.context["template_form"]["distribution"].value()
    assert initial == f"panel:{panel.pk}"

    response = policy.post(url("staff-survey-template"), {"distribution": initial})

    survey = Survey.objects.get()
    assert response["Location"] == url("staff-survey-detail", survey.pk)
    assert survey.title == "Buurtenquête veiligheid"
    assert survey.distribution == "panel_only"
    assert survey.panel == panel
    codes = list(
        Question.objects.filter(version__survey=survey)
        .order_by("section__position", "position")
        .values_list("code", flat=True)
    )
    assert codes == [*(f"Q{i}" for i in range(1, 15)), "B1", "B2", "B3"]
    assert survey.status == "draft"


def test_template_as_open_link(policy):
    policy.post(url("staff-survey-template"), {"distribution": "open_link"})
    assert Survey.objects.get().distribution == "open_link"


def test_template_with_unknown_distribution_creates_nothing(policy):
    response = policy.post(url("staff-survey-template"), {"distribution": "panel:999"})
    assert response.status_code == 302
    assert not Survey.objects.exists()


# --- Builder --------------------------------------------------------------------------------


def test_builder_shows_sections_questions_and_settings(policy, draft_survey):
    response = policy.get(url("staff-survey-detail", draft_survey.pk))
    content = response.content.decode()
    assert response.context["editable"] is True
    assert "Eerste" in content
    assert "Tweede" in content
    assert "Vraag Q1?" in content
    assert "Vraag Q3?" in content
    assert url("staff-survey-publish", draft_survey.pk) in content
    assert response.context["form"]["title"].value() == "Testvragenlijst"


def test_settings_update(policy, draft_survey):
    response = policy.post(
        url("staff-survey-detail", draft_survey.pk),
        {
            "title": "Nieuwe titel",
            "title_en": "New title",
            "distribution": "open_link",
            "slug": draft_survey.slug,
        },
    )
    assert response.status_code == 302
    draft_survey.refresh_from_db()
    assert (draft_survey.title, draft_survey.title_en) == ("Nieuwe titel", "New title")


def test_settings_update_refuses_bad_dates_and_keeps_the_survey(policy, draft_survey):
    response = policy.post(
        url("staff-survey-detail", draft_survey.pk),
        {
            "title": "Anders",
            "distribution": "open_link",
            "opens_at": "2026-06-01T09:00",
            "closes_at": "2026-05-01T09:00",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closes_at"]
    draft_survey.refresh_from_db()
    assert draft_survey.title == "Testvragenlijst"
    assert draft_survey.opens_at is None


def test_after_publication_distribution_is_fixed(policy, panel_survey):
    response = policy.post(
        url("staff-survey-detail", panel_survey.pk),
        {"title": "Nieuw", "distribution": "open_link", "slug": "iets-anders"},
    )
    assert response.status_code == 302
    panel_survey.refresh_from_db()
    assert panel_survey.title == "Nieuw"
    assert panel_survey.distribution == "panel_only"
    assert panel_survey.slug != "iets-anders"


def test_section_add_edit_move_delete(policy, draft_survey):
    base = draft_survey.pk
    response = policy.post(
        url("staff-survey-section-add", base), {"title": "Derde", "title_en": "Third"}
    )
    assert response.status_code == 302
    third = Section.objects.get(title="Derde")
    assert third.position == 2
    assert third.title_en == "Third"

    policy.post(url("staff-survey-section-edit", base, third.pk), {"title": "Slot"})
    third.refresh_from_db()
    assert third.title == "Slot"

    policy.post(url("staff-survey-section-move", base, third.pk), {"direction": "up"})
    titles = list(
        Section.objects.filter(version__survey=draft_survey)
        .order_by("position")
        .values_list("title", flat=True)
    )
    assert titles == ["Eerste", "Slot", "Tweede"]

    page = policy.get(url("staff-survey-section-delete", base, third.pk))
    assert "Weet je zeker" in page.content.decode()
    policy.post(url("staff-survey-section-delete", base, third.pk))
    assert not Section.objects.filter(pk=third.pk).exists()


def test_section_condition_on_an_earlier_question(policy, draft_survey):
    second = Section.objects.get(title="Tweede")
    response = policy.get(url("staff-survey-section-edit", draft_survey.pk, second.pk))
    choices = [c for c, _label in response.context["form"].fields["cond_question"].choices]
    assert choices == ["", "Q1", "Q2"]  # only questions before this section

    policy.post(
        url("staff-survey-section-edit", draft_survey.pk, second.pk),
        {
            "title": "Tweede",
            "cond_question": "Q2",
            "cond_operator": "in",
            "cond_value": "vaak, soms",
        },
    )
    second.refresh_from_db()
    assert second.condition == {"question": "Q2", "operator": "in", "value": ["vaak", "soms"]}


def test_section_condition_with_bad_json_is_a_field_error(policy, draft_survey):
    second = Section.objects.get(title="Tweede")
    response = policy.post(
        url("staff-survey-section-edit", draft_survey.pk, second.pk),
        {"title": "Nieuw", "cond_json": "{kapot"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cond_json"] == ["Dit is geen geldige JSON."]
    second.refresh_from_db()
    assert second.title == "Tweede"
    assert second.condition is None


QUESTION_TYPES = [
    (
        "single_choice",
        {"options": "ja | Ja | Yes\nnee | Nee | No"},
        {
            "options": [
                {"value": "ja", "label": "Ja", "label_en": "Yes"},
                {"value": "nee", "label": "Nee", "label_en": "No"},
            ]
        },
    ),
    ("multiple_choice", {"options": "a | A\nb | B\nc | C", "max_choices": "2"}, {"max_choices": 2}),
    ("agree_5", {"allow_dont_know": "on"}, {"allow_dont_know": True}),
    ("satisfied_5", {}, {}),
    ("frequency", {"required": "on"}, {"required": True}),
    ("mark_1_10", {"indicator_codes": "i3"}, {"indicator_codes": ["I3"]}),
    ("number", {"min_value": "0", "max_value": "20"}, {"min_value": 0, "max_value": 20}),
    ("open_text", {"max_length": "500"}, {"max_length": 500}),
    (
        "grid",
        {
            "scale": "agree_5",
            "rows": "kennen | Kennen elkaar | Know each other | omgekeerd\nprettig | Prettig",
        },
        {
            "scale": "agree_5",
            "rows": [
                {
                    "key": "kennen",
                    "label": "Kennen elkaar",
                    "label_en": "Know each other",
                    "reverse": True,
                },
                {"key": "prettig", "label": "Prettig"},
            ],
        },
    ),
    (
        "grid",
        {"scale": "options", "options": "x | X\ny | Y", "rows": "r1 | Rij 1"},
        {"scale": "options"},
    ),
    (
        "overlast_grid",
        {"rows": "rommel | Rommel | Litter | fysieke_verloedering"},
        {
            "rows": [
                {
                    "key": "rommel",
                    "label": "Rommel",
                    "label_en": "Litter",
                    "cluster": "fysieke_verloedering",
                }
            ]
        },
    ),
    ("buurt_choice", {"profile_field": "buurt"}, {"profile_field": "buurt"}),
    ("location", {}, {}),
]


@pytest.mark.parametrize(
    ("kind", "extra", "expected"),
    QUESTION_TYPES,
    ids=[f"{t[0]}-{i}" for i, t in enumerate(QUESTION_TYPES)],
)
def test_question_add_of_every_type(policy, draft_survey, kind, extra, expected):
    section = first_section(draft_survey)
    form_page = policy.get(
        url("staff-survey-question-add", draft_survey.pk, section.pk) + f"?type={kind}"
    )
    assert form_page.context["form"]["type"].value() == kind

    response = policy.post(
        url("staff-survey-question-add", draft_survey.pk, section.pk),
        {"code": "N1", "type": kind, "text": "Nieuwe vraag?", "text_en": "New question?", **extra},
    )

    assert response.status_code == 302, response.context["form"].errors
    new = question(draft_survey, "N1")
    assert (new.type, new.text, new.text_en, new.section_id) == (
        kind,
        "Nieuwe vraag?",
        "New question?",
        section.pk,
    )
    for name, value in expected.items():
        assert getattr(new, name) == value


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"type": "single_choice"}, "options", "ten minste twee antwoordmogelijkheden"),
        ({"type": "single_choice", "options": "alleen-een-waarde"}, "options", "Regel 1"),
        (
            {"type": "multiple_choice", "options": "a | A\nb | B", "max_choices": "5"},
            "max_choices",
            "maximaal aantal keuzes",
        ),
        ({"type": "grid", "rows": "r | R"}, "scale", "kies de schaal"),
        (
            {"type": "overlast_grid", "rows": "r | R | R | onbekend_cluster"},
            "rows",
            "overlastcluster",
        ),
        (
            {"type": "number", "min_value": "10", "max_value": "1"},
            "max_value",
            "groter dan het maximum",
        ),
        ({"type": "open_text", "allow_dont_know": "on"}, "allow_dont_know", "geen 'weet niet'"),
        ({"type": "frequency", "code": "1abc"}, "code", "met een letter beginnen"),
        ({"type": "frequency", "code": "Q2"}, "code", "al in gebruik"),
        (
            {"type": "frequency", "indicator_codes": "indicator één"},
            "indicator_codes",
            "indicatoren",
        ),
        ({"type": "frequency", "cond_question": "Q1"}, "cond_operator", "Kies een vergelijking"),
        (
            {"type": "frequency", "cond_question": "Q1", "cond_operator": "equals"},
            "cond_value",
            "Vul de waarde in",
        ),
        (
            {
                "type": "frequency",
                "cond_question": "Q1",
                "cond_operator": "gte",
                "cond_value": "veel",
            },
            "cond_value",
            "getal",
        ),
        ({"type": "frequency", "cond_json": "[1]"}, "cond_json", "JSON-object"),
        ({"type": "frequency", "text": ""}, "text", "vereist"),
    ],
)
def test_question_bad_input_is_a_field_error_and_writes_nothing(
    policy, draft_survey, data, field, message
):
    section = first_section(draft_survey)
    before = list(Question.objects.values_list("pk", "code", "position"))
    payload = {"code": "N1", "text": "Vraag?", **data}

    response = policy.post(url("staff-survey-question-add", draft_survey.pk, section.pk), payload)

    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors.get(field, [])), form.errors
    assert list(Question.objects.values_list("pk", "code", "position")) == before
    content = response.content.decode()
    assert 'aria-invalid="true"' in content
    assert f'href="#{form[field].id_for_label}"' in content


def test_question_edit_with_condition_and_type_change(policy, draft_survey):
    q2 = question(draft_survey, "Q2")
    response = policy.get(url("staff-survey-question-edit", draft_survey.pk, q2.pk))
    form = response.context["form"]
    assert form["type"].value() == "frequency"
    assert [c for c, _l in form.fields["cond_question"].choices] == ["", "Q1"]

    response = policy.post(
        url("staff-survey-question-edit", draft_survey.pk, q2.pk),
        {
            "code": "Q2",
            "type": "single_choice",
            "text": "Anders gevraagd?",
            "options": "ja | Ja\nnee | Nee",
            "max_length": "300",  # not for this type: cleared, not an error
            "cond_question": "Q1",
            "cond_operator": "equals",
            "cond_value": "a",
        },
    )
    assert response.status_code == 302
    q2.refresh_from_db()
    assert q2.type == "single_choice"
    assert q2.max_length is None
    assert q2.condition == {"question": "Q1", "operator": "equals", "value": "a"}
    # The condition is shown on the builder.
    assert (
        "Alleen getoond als Q1 is gelijk aan a"
        in policy.get(url("staff-survey-detail", draft_survey.pk)).content.decode()
    )


def test_numeric_condition_values_are_numbers(policy, draft_survey):
    section = first_section(draft_survey)
    policy.post(
        url("staff-survey-question-add", draft_survey.pk, section.pk),
        {"code": "M", "type": "mark_1_10", "text": "Cijfer?"},
    )
    policy.post(
        url("staff-survey-question-add", draft_survey.pk, section.pk),
        {
            "code": "W",
            "type": "open_text",
            "text": "Waarom?",
            "cond_question": "M",
            "cond_operator": "lte",
            "cond_value": "5",
        },
    )
    assert question(draft_survey, "W").condition == {"question": "M", "operator": "lte", "value": 5}


def test_question_move_and_delete(policy, draft_survey):
    q1 = question(draft_survey, "Q1")
    policy.post(url("staff-survey-question-move", draft_survey.pk, q1.pk), {"direction": "down"})
    codes = list(
        first_section(draft_survey).questions.order_by("position").values_list("code", flat=True)
    )
    assert codes == ["Q2", "Q1"]
    policy.post(url("staff-survey-question-delete", draft_survey.pk, q1.pk))
    assert not Question.objects.filter(pk=q1.pk).exists()


def test_published_version_is_read_only_until_a_new_version(policy, panel_survey):
    detail = policy.get(url("staff-survey-detail", panel_survey.pk))
    content = detail.content.decode()
    assert detail.context["editable"] is False
    assert "Nieuwe versie maken" in content
    assert url("staff-survey-section-add", panel_survey.pk) not in content

    q1 = question(panel_survey, "Q1")
    response = policy.post(
        url("staff-survey-question-edit", panel_survey.pk, q1.pk),
        {"code": "Q1", "type": "frequency", "text": "Anders?"},
    )
    assert response.status_code == 302
    q1.refresh_from_db()
    assert q1.type == "single_choice"
    assert policy.get(url("staff-survey-section-add", panel_survey.pk)).status_code == 302

    policy.post(url("staff-survey-new-version", panel_survey.pk))
    draft = survey_version_draft(survey=panel_survey)
    assert draft.number == 2
    assert policy.get(url("staff-survey-detail", panel_survey.pk)).context["editable"] is True


# --- Preview, publish, close ----------------------------------------------------------------


def test_preview_is_read_only_and_marked(policy, draft_survey):
    section = first_section(draft_survey)
    policy.post(
        url("staff-survey-question-add", draft_survey.pk, section.pk),
        {
            "code": "G",
            "type": "grid",
            "text": "Tabelvraag?",
            "scale": "yes_no",
            "rows": "r1 | Eerste rij\nr2 | Tweede rij",
            "allow_dont_know": "on",
        },
    )
    response = policy.get(url("staff-survey-preview", draft_survey.pk))
    content = response.content.decode()
    assert "<strong>Voorbeeld</strong>" in content
    assert "<fieldset disabled" in content
    assert "Vraag Q1?" in content
    assert "Tabelvraag?" in content
    assert "Eerste rij" in content
    assert "Weet niet / n.v.t." in content
    assert "(Bijna) nooit" in content  # the frequency scale of Q2
    assert "<form" not in content.split('class="bs-preview"')[1].split("</article>")[0]


def test_publish_lists_every_problem_and_publishes_nothing(policy):
    survey = build_survey(
        publish=False,
        questions=[
            q("A", condition={"question": "Y", "operator": "answered"}),
            q("B", condition={"question": "Z", "operator": "answered"}),
        ],
    )
    page = policy.get(url("staff-survey-publish", survey.pk))
    assert len(page.context["problems"]) >= 2

    response = policy.post(url("staff-survey-publish", survey.pk))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Publiceren is niet gelukt" in content
    assert "Vraag A: de voorwaarde verwijst naar Y, dat geen eerdere vraag is." in content
    assert "Vraag B: de voorwaarde verwijst naar Z, dat geen eerdere vraag is." in content
    survey.refresh_from_db()
    assert survey.status == "draft"


def test_publish_and_close(policy, draft_survey):
    response = policy.post(url("staff-survey-publish", draft_survey.pk))
    assert response.status_code == 302
    draft_survey.refresh_from_db()
    assert draft_survey.status == "published"
    assert survey_version_published(survey=draft_survey).number == 1

    assert (
        "niet ongedaan" in policy.get(url("staff-survey-close", draft_survey.pk)).content.decode()
    )
    policy.post(url("staff-survey-close", draft_survey.pk))
    draft_survey.refresh_from_db()
    assert draft_survey.status == "closed"
    assert policy.get(url("staff-survey-detail", draft_survey.pk)).context["closed"] is True


# --- Results, moderation, export ------------------------------------------------------------


def _survey_with_open_answers(n: int, **kwargs) -> Survey:
    survey = build_survey(
        questions=[q("K", options=OPTIONS_ABC), q("T", type="open_text")], **kwargs
    )
    for i in range(n):
        submit_open(survey, {"K": "a" if i % 2 else "b", "T": f"Antwoord {i} van Jan Jansen"})
    return survey


def test_results_with_enough_responses_show_counts_percentages_and_mean(policy, settings):
    settings.SURVEYS_MIN_CELL_N = 3
    survey = build_survey(questions=[q("K"), q("C", type="mark_1_10"), q("F", type="frequency")])
    for k, c in [("a", 6), ("a", 8), ("b", 7), ("a", 9)]:
        submit_open(survey, {"K": k, "C": c, "F": "vaak"})

    response = policy.get(url("staff-survey-results", survey.pk))

    content = response.content.decode()
    assert "<strong>Indicatief</strong>" in content
    k_view = next(v for v in response.context["question_results"] if v.question.code == "K")
    lines = {line.label: (line.count, line.percentage) for line in k_view.blocks[0].lines}
    assert lines["A"] == (3, 75.0)
    assert lines["B"] == (1, 25.0)
    c_view = next(v for v in response.context["question_results"] if v.question.code == "C")
    assert c_view.blocks[0].mean.value == 7.5
    assert "75,0%" in content or "75.0%" in content


def test_results_suppress_small_numbers(policy):
    survey = build_survey(questions=[q("K")])
    for _ in range(4):
        submit_open(survey, {"K": "a"})
    response = policy.get(url("staff-survey-results", survey.pk))
    content = response.content.decode()
    assert response.context["results"].suppressed
    assert "Te weinig antwoorden om te tonen." in content
    assert "minder dan 10" in content


def test_results_page_shows_weighted_indicators_with_intervals(policy, buurten):
    # The hand-checked case of tests/surveys/test_results_weighted.py: I1 weighted 50 %
    # (28.4–71.6), n 20, n_eff 16.8, unweighted 30 %.
    gemeente_and_wijk_1()
    survey = young_and_old(buurten)

    response = policy.get(url("staff-survey-results", survey.pk))

    content = response.content.decode()
    assert response.context["show_weighted"] is True
    assert "CBS-kerncijfers van 2024" in content
    assert "leeftijdsgroep, geslacht en wijk" in content
    row = next(r for r in response.context["indicator_rows"] if r.code == "I1")
    assert (row.value.value, row.value.ci_low, row.value.ci_high) == (50.0, 28.4, 71.6)
    assert "50,0% (28,4–71,6)" in content
    assert '<th scope="row">I1 Voelt zich wel eens onveilig in de eigen buurt</th>' in content
    assert "<caption>Indicatoren voor het veiligheidsplan: gewogen waarde" in content
    assert '<td class="utrecht-table__cell--numeric">16,8</td>' in content
    assert '<td class="utrecht-table__cell--numeric">30,0%</td>' in content  # unweighted
    # The mark: weighted 7.5 with its interval; the distribution has both percentages.
    assert '7,5 <span class="bs-small">(95%-interval 6,8–8,2; n = 20' in content
    assert "Gewogen percentage" in content
    assert "Ongewogen percentage" in content
    assert not csp_audit(content).problems


def test_results_page_weighting_in_english(policy, buurten, settings):
    gemeente_and_wijk_1()
    survey = young_and_old(buurten)
    policy.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    content = policy.get(url("staff-survey-results", survey.pk)).content.decode()

    assert "Weighting and reliability" in content
    assert "CBS key figures of 2024" in content
    assert "Sometimes feels unsafe in own neighbourhood" in content
    assert "Indicators for the safety plan: weighted value" in content


def test_results_page_can_show_the_unweighted_figures(policy, buurten):
    gemeente_and_wijk_1()
    survey = young_and_old(buurten)

    response = policy.get(url("staff-survey-results", survey.pk) + "?cijfers=ongewogen")

    content = response.content.decode()
    assert response.context["show_weighted"] is False
    assert "Je ziet nu de ongewogen cijfers." in content
    assert '6,9 <span class="bs-small">(n = 20, ongewogen)' in content
    assert "Gewogen percentage" not in content
    # The indicator table keeps both.
    assert "50,0% (28,4–71,6)" in content


def test_results_page_says_why_figures_are_unweighted(policy, buurten):
    survey = young_and_old(buurten)

    response = policy.get(url("staff-survey-results", survey.pk))

    content = response.content.decode()
    assert response.context["show_weighted"] is False
    assert "<strong>Ongewogen.</strong> Er zijn geen CBS-bevolkingscijfers" in content
    assert "30,0% (" in content
    assert "Indicatoren voor het veiligheidsplan: ongewogen waarde" in content


def test_panel_results_are_not_marked_indicative(policy, panel_survey):
    response = policy.get(url("staff-survey-results", panel_survey.pk))
    assert "<strong>Indicatief</strong>" not in response.content.decode()


def test_open_answers_need_moderation_before_results(as_role, settings):
    settings.SURVEYS_MIN_OPEN_K = 5
    survey = _survey_with_open_answers(6)
    moderator = as_role("moderator")
    page = moderator.get(url("staff-survey-moderation", survey.pk))
    items = page.context["items"]
    assert len(items) == 6
    assert "Antwoord 0 van Jan Jansen" in page.content.decode()

    first, second = items[0][0], items[1][0]
    response = moderator.post(
        url("staff-survey-moderation", survey.pk),
        {
            "moderation": first.pk,
            f"m{first.pk}-decision": "approved",
            f"m{first.pk}-public_text": "Antwoord van een bewoner",
        },
    )
    assert response.status_code == 302
    moderator.post(
        url("staff-survey-moderation", survey.pk),
        {"moderation": second.pk, f"m{second.pk}-decision": "rejected"},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.public_text, first.moderated_by) == (
        "approved",
        "Antwoord van een bewoner",
        moderator.user,
    )
    assert second.status == "rejected"
    assert len(moderator.get(url("staff-survey-moderation", survey.pk)).context["items"]) == 4

    results = as_role("policy_staff").get(url("staff-survey-results", survey.pk)).content.decode()
    assert "Antwoord van een bewoner" in results
    assert "Jan Jansen" not in results


def test_moderation_bad_decision_is_a_field_error(as_role):
    survey = _survey_with_open_answers(1)
    item = OpenAnswerModeration.objects.get()
    client = as_role("moderator")
    response = client.post(
        url("staff-survey-moderation", survey.pk),
        {"moderation": item.pk, f"m{item.pk}-decision": "maybe"},
    )
    assert response.status_code == 200
    form = {i.pk: f for i, f in response.context["items"]}[item.pk]
    assert form.errors["decision"]
    item.refresh_from_db()
    assert item.status == "pending"


def test_csv_export_contains_no_personal_data(policy, panel, settings):
    settings.SURVEYS_MIN_OPEN_K = 1
    survey = build_survey(
        questions=[q("K"), q("T", type="open_text")], distribution="panel_only", panel=panel
    )
    membership = member(panel, age_band="45-64")
    from tests.surveys.helpers import submit_panel

    submit_panel(survey, membership, {"K": "c", "T": "Mijn buurman Piet de Vries op nummer 12"})
    response = policy.get(url("staff-survey-export", survey.pk))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:7] == ["ref", "channel", "indicative", "buurt", "wijk", "age_band", "sex"]
    assert rows[1][rows[0].index("K")] == "c"
    assert rows[1][rows[0].index("age_band")] == "45-64"
    assert membership.user.email not in content
    assert membership.user.display_name not in content
    assert "Piet de Vries" not in content  # not moderated
    assert str(membership.pk) not in rows[1][:1]


def test_export_without_published_version_is_404(policy, draft_survey):
    assert policy.get(url("staff-survey-export", draft_survey.pk)).status_code == 404


# --- Waves ----------------------------------------------------------------------------------


@pytest.fixture
def buurten(db):
    return [
        AreaFactory(code="BU05469000", name="Noord", col=0),
        AreaFactory(code="BU05469001", name="Zuid", col=1),
    ]


def _members(panel, buurt, band, n):
    return [member(panel, buurt=buurt, age_band=band) for _ in range(n)]


def test_wave_page_shows_candidates_per_buurt_and_age_band(policy, panel_survey, panel, buurten):
    _members(panel, buurten[0], "25-44", 3)
    _members(panel, buurten[1], "65+", 2)
    response = policy.get(url("staff-survey-waves", panel_survey.pk))
    content = response.content.decode()
    assert response.context["candidates"].eligible == 5
    table = {row["code"]: row for row in response.context["target_table"]}
    assert set(table) == {"*", "BU05469000", "BU05469001"}
    noord = {f.name: n for f, n in table["BU05469000"]["cells"]}
    assert noord["target__BU05469000__25-44"] == 3
    assert noord["target__BU05469000__*"] == 3
    assert noord["target__BU05469000__65+"] == 0
    assert "rustperiode van 90 dagen" in content
    assert 'name="target__BU05469001__65+"' in content


def test_stratified_wave_respects_targets_and_sends_emails(
    policy, panel_survey, panel, buurten, django_capture_on_commit_callbacks
):
    noord = _members(panel, buurten[0], "25-44", 4)
    zuid = _members(panel, buurten[1], "65+", 3)
    response = policy.post(
        url("staff-survey-waves", panel_survey.pk),
        {
            "name": "Ronde 1",
            "mode": "stratified",
            "fatigue_window_days": "90",
            "target__BU05469000__25-44": "2",
            "target__BU05469001__*": "5",
        },
    )
    assert response.status_code == 302
    wave = InvitationWave.objects.get()
    assert wave.targets == {"BU05469000|25-44": 2, "BU05469001|*": 5}
    assert not Invitation.objects.exists()  # nothing goes out before "Versturen"

    with django_capture_on_commit_callbacks(execute=True):
        response = policy.post(url("staff-survey-wave-issue", panel_survey.pk, wave.pk))

    assert response.status_code == 302
    invited = Counter(Invitation.objects.values_list("membership__buurt__code", flat=True))
    assert invited == {"BU05469000": 2, "BU05469001": 3}
    assert len(mail.outbox) == 5
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients <= {m.user.email for m in [*noord, *zuid]}
    wave.refresh_from_db()
    assert wave.issued_at is not None
    # Issuing again is refused with a message, nothing new is sent.
    policy.post(url("staff-survey-wave-issue", panel_survey.pk, wave.pk))
    assert len(mail.outbox) == 5


def test_wave_respects_the_fatigue_limit(
    policy, panel_survey, panel, buurten, django_capture_on_commit_callbacks
):
    tired = _members(panel, buurten[0], "25-44", 2)
    fresh = _members(panel, buurten[0], "25-44", 3)
    other = build_survey(questions=[q("Q1")], distribution="panel_only", panel=panel)
    for membership in tired:
        invitation_create(survey=other, membership=membership)

    page = policy.get(url("staff-survey-waves", panel_survey.pk))
    assert page.context["candidates"].excluded_by_fatigue == 2
    assert "2 panelleden vallen af door de rustperiode van 90 dagen" in page.content.decode()

    policy.post(
        url("staff-survey-waves", panel_survey.pk),
        {"name": "Alle", "mode": "all", "fatigue_window_days": "90"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        policy.post(
            url("staff-survey-wave-issue", panel_survey.pk, InvitationWave.objects.get().pk)
        )

    invited = set(
        Invitation.objects.filter(survey=panel_survey).values_list("membership", flat=True)
    )
    assert invited == {m.pk for m in fresh}
    assert len(mail.outbox) == 3


def test_old_invitations_fall_outside_a_short_fatigue_window(policy, panel_survey, panel, buurten):
    tired = _members(panel, buurten[0], "25-44", 2)
    other = build_survey(questions=[q("Q1")], distribution="panel_only", panel=panel)
    for membership in tired:
        invitation_create(survey=other, membership=membership)
    Invitation.objects.filter(survey=other).update(created_at=timezone.now() - timedelta(days=40))
    page = policy.get(url("staff-survey-waves", panel_survey.pk) + "?rustperiode=30")
    assert page.context["candidates"].excluded_by_fatigue == 0
    assert page.context["candidates"].eligible == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"mode": "stratified"}, None, "Geef per stratum"),
        (
            {"mode": "stratified", "target__*__*": "-1"},
            "target__*__*",
            "minstens 0",
        ),
        ({"mode": "all", "name": ""}, "name", "vereist"),
        ({"mode": "all", "fatigue_window_days": ""}, "fatigue_window_days", "vereist"),
        ({"mode": "sometimes"}, "mode", "geldige keuze"),
    ],
)
def test_wave_bad_input_is_a_field_error_and_writes_nothing(
    policy, panel_survey, data, field, message
):
    payload = {"name": "R", "fatigue_window_days": "90", **data}
    response = policy.post(url("staff-survey-waves", panel_survey.pk), payload)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors.get(field or "__all__", [])), errors
    assert not InvitationWave.objects.exists()


def test_waves_need_a_panel_survey(policy, draft_survey):
    response = policy.post(
        url("staff-survey-waves", draft_survey.pk),
        {"name": "R", "mode": "all", "fatigue_window_days": "90"},
    )
    assert response.status_code == 302
    assert not InvitationWave.objects.exists()


def test_issuing_needs_a_published_survey(policy, panel):
    survey = build_survey(
        questions=[q("Q1")], distribution="panel_only", panel=panel, publish=False
    )
    wave = InvitationWave.objects.create(survey=survey, name="R", mode="all")
    response = policy.post(url("staff-survey-wave-issue", survey.pk, wave.pk), follow=True)
    assert "niet open" in response.content.decode()
    wave.refresh_from_db()
    assert wave.issued_at is None


def test_response_rate_overview_suppresses_small_groups(
    policy, panel_survey, panel, buurten, settings
):
    settings.SURVEYS_MIN_CELL_N = 5
    west = AreaFactory(code="BU05469002", name="West", col=2)
    for membership in _members(panel, buurten[0], "25-44", 6):
        invitation_create(survey=panel_survey, membership=membership)
    for membership in _members(panel, buurten[1], "65+", 2):
        invitation_create(survey=panel_survey, membership=membership)
    for membership in _members(panel, west, "25-44", 5):
        invitation_create(survey=panel_survey, membership=membership)
    for inv in Invitation.objects.filter(membership__buurt=buurten[0])[:3]:
        Invitation.objects.filter(pk=inv.pk).update(responded_at=timezone.now())

    response = policy.get(url("staff-survey-waves", panel_survey.pk))

    rows = {label: (cells, total) for label, cells, total in response.context["rate_rows"]}
    assert rows["Noord"][1].rate == 50.0
    assert rows["Zuid"][1].suppressed
    # Complementary suppression: with the overall total published, Zuid (2) could be
    # recovered from it and the other row totals, so the smallest other one is hidden too.
    assert rows["West"][1].suppressed
    content = response.content.decode()
    assert "50,0%" in content or "50.0%" in content
    assert "te weinig" in content

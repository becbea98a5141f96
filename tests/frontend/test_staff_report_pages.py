# ruff: noqa: F811 (fixtures imported from the reports and participation conftest modules)
"""Back office for meldingen (/beheer/meldingen/): permissions per role, filters, map data,
each action with its audit entry, moderation, merge, exports and the import."""

import csv
import io
import json
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reports.exports import COLUMNS, PERSONAL_COLUMNS
from reports.models import Report, ReportEvent, ReportMessage, ReportPhoto
from reports.services import report_merge
from tests.frontend.html_audit import csp_audit
from tests.participation.conftest import _clear_cache, staff_user  # noqa: F401 (fixtures)
from tests.participation.helpers import TEST_TOTP_SECRET, force_login_with_mfa
from tests.reports.conftest import categories, point, role_user, town  # noqa: F401 (fixtures)
from tests.reports.factories import ReportFactory
from tests.reports.images import image_bytes

pytestmark = pytest.mark.django_db

LIST = reverse("frontend:staff-report-list")
QUEUE = reverse("frontend:staff-report-moderation")
IMPORT = reverse("frontend:staff-report-import")
IMPORT_CONFIRM = reverse("frontend:staff-report-import-confirm")
MAP_DATA = reverse("frontend:staff-report-map-data")
CSV_EXPORT = reverse("frontend:staff-report-export-csv")
GEOJSON_EXPORT = reverse("frontend:staff-report-export-geojson")
LOGIN = reverse("account_login")
SECRET_TEXT = "Mijn buurman Jan Jansen op nummer 12 gooit steeds afval naast de container."
REPORTER_EMAIL = "melder.geheim@example.test"

NON_STAFF = ("resident", "panel_member", "wijkraad_member")
STAFF = ("policy_staff", "moderator", "administrator")


def detail_url(report: Report) -> str:
    return reverse("frontend:staff-report-detail", kwargs={"uuid": report.uuid})


def action_url(name: str, report: Report) -> str:
    return reverse(f"frontend:staff-report-{name}", kwargs={"uuid": report.uuid})


@pytest.fixture
def client_as(client, role_user):
    """`client_as("moderator")`: the test client signed in as a new holder of that role;
    staff with TOTP and a session confirmed with it (as after the real TOTP step)."""

    def sign_in(role: str):
        user = role_user(role)
        if role in STAFF:
            TOTP.activate(user, TEST_TOTP_SECRET)
            force_login_with_mfa(client, user)
        elif role != "anonymous":
            client.force_login(user)
        client.user = user
        return client

    return sign_in


@pytest.fixture
def report(town, categories):
    return ReportFactory(
        reference="BS-2026-AAAA",
        buurt=town.buurt("BU05469000"),
        category=categories["zwerfafval"],
        description=SECRET_TEXT,
        contact_email=REPORTER_EMAIL,
        contact_consent=True,
        location_description="voor nummer 12",
    )


@pytest.fixture
def secret_report(town, categories):
    return ReportFactory(
        reference="BS-2026-GEHM",
        buurt=town.buurt("BU05469001"),
        category=categories["ondermijning-vermoeden"],
    )


# --- Who may see what ---------------------------------------------------------------------------

PAGES = ["list", "queue", "import", "map", "csv", "geojson", "detail", "detail_confidential"]
ALLOWED = {
    "policy_staff": {"list", "map", "csv", "geojson", "detail"},
    "moderator": {"list", "queue", "map", "detail", "detail_confidential"},
    "administrator": set(PAGES),
}


def _page_url(page: str, report: Report, secret_report: Report) -> str:
    return {
        "list": LIST,
        "queue": QUEUE,
        "import": IMPORT,
        "map": MAP_DATA,
        "csv": CSV_EXPORT,
        "geojson": GEOJSON_EXPORT,
        "detail": detail_url(report),
        "detail_confidential": detail_url(secret_report),
    }[page]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["anonymous", *NON_STAFF, *STAFF])
def test_page_permission_matrix(client_as, report, secret_report, role, page):
    url = _page_url(page, report, secret_report)

    response = client_as(role).get(url)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")
    elif role in NON_STAFF:
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if page in ALLOWED[role] else 403)


@pytest.mark.parametrize("page", PAGES)
def test_staff_without_totp_are_sent_to_totp_setup(client, staff_user, report, secret_report, page):
    client.force_login(staff_user("administrator", totp=False))

    response = client.get(_page_url(page, report, secret_report))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_session_without_second_factor_must_confirm_it(client, staff_user, report):
    client.force_login(staff_user("moderator"))

    response = client.get(detail_url(report))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_unknown_report_is_404_for_staff_and_403_for_residents(client_as, town):
    url = reverse(
        "frontend:staff-report-detail", kwargs={"uuid": "00000000-0000-0000-0000-000000000001"}
    )
    assert client_as("policy_staff").get(url).status_code == 404
    assert client_as("resident").get(url).status_code == 403


ACTIONS = {
    "status": {"status-status": "in_behandeling"},
    "message": {"message-kind": "internal", "message-body": "Bellen met de wijkagent."},
    "moderate": {"moderation-decision": "approved", "moderation-public_text": "Afval bij de bak."},
    "merge": {"merge-into": "BS-2026-BBBB", "merge-confirm": "on"},
}
ACTION_ALLOWED = {
    "policy_staff": {"status", "message", "merge"},
    "moderator": set(ACTIONS),
    "administrator": set(ACTIONS),
}
EVENT_FOR_ACTION = {
    "status": "report.status_changed",
    "message": "report.message_added.internal",
    "moderate": "report.moderated",
    "merge": "report.merged",
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ["anonymous", *NON_STAFF, *STAFF])
def test_action_permission_matrix_and_audit_entry(client_as, report, town, role, action):
    ReportFactory(reference="BS-2026-BBBB", buurt=town.buurt("BU05469000"))
    client = client_as(role)
    events_before = ReportEvent.objects.filter(report=report).count()

    response = client.post(action_url(action, report), ACTIONS[action])

    event = EVENT_FOR_ACTION[action]
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    elif role in NON_STAFF or action not in ACTION_ALLOWED[role]:
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response["Location"] == detail_url(report)
        logged = ReportEvent.objects.get(report=report, action=event)
        assert logged.actor == client.user
        return
    # refused: nothing changed, nothing logged
    assert ReportEvent.objects.filter(report=report).count() == events_before
    report.refresh_from_db()
    assert (report.status, report.moderation, report.duplicate_of_id) == ("nieuw", "pending", None)


def test_policy_staff_cannot_act_on_a_confidential_report(client_as, secret_report):
    response = client_as("policy_staff").post(
        action_url("status", secret_report), {"status-status": "in_behandeling"}
    )
    assert response.status_code == 403
    secret_report.refresh_from_db()
    assert secret_report.status == "nieuw"


# --- The list, filters, map data -------------------------------------------------------------


@pytest.fixture
def many(town, categories):
    now = timezone.now()
    made = {
        "old-litter": ReportFactory(
            reference="BS-1",
            buurt=town.buurt("BU05469000"),
            category=categories["zwerfafval"],
            description="Oude zakken afval",
        ),
        "youth": ReportFactory(
            reference="BS-2",
            buurt=town.buurt("BU05469100"),
            category=categories["jongerenoverlast"],
            status=Report.Status.IN_PROGRESS,
            description="Groep jongeren bij de speeltuin",
            support_count=4,
        ),
        "traffic": ReportFactory(
            reference="BS-3",
            buurt=town.buurt("BU05469101"),
            category=categories["te-hard-rijden"],
            description="Scooters rijden te hard",
        ),
        "secret": ReportFactory(
            reference="BS-4",
            buurt=town.buurt("BU05469001"),
            category=categories["ondermijning-vermoeden"],
            description="Vreemde drukte bij een pand",
        ),
    }
    for days, key in enumerate(["traffic", "youth", "old-litter"]):
        Report.objects.filter(pk=made[key].pk).update(created_at=now - timedelta(days=days * 10))
    Report.objects.filter(pk=made["secret"].pk).update(created_at=now - timedelta(days=5))
    return made


def _listed(response) -> list[str]:
    return [r.reference for r in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["BS-3", "BS-2", "BS-1"]),
        ({"status": "in_behandeling"}, ["BS-2"]),
        ({"category": "verloedering"}, ["BS-1"]),  # a main category includes its subs
        ({"category": "te-hard-rijden"}, ["BS-3"]),
        ({"theme": "verkeersveiligheid"}, ["BS-3"]),
        ({"area": "WK054691"}, ["BS-3", "BS-2"]),
        ({"area": "BU05469000"}, ["BS-1"]),
        ({"q": "jongeren"}, ["BS-2"]),
        ({"q": "bs-1"}, ["BS-1"]),
        ({"sort": "oldest"}, ["BS-1", "BS-2", "BS-3"]),
        ({"sort": "support"}, ["BS-2", "BS-3", "BS-1"]),
    ],
)
def test_list_filters_and_sorts(client_as, many, query, expected):
    response = client_as("policy_staff").get(LIST, query)

    assert response.status_code == 200
    assert _listed(response) == expected  # never the confidential BS-4 for policy staff


def test_list_filters_on_the_period(client_as, many):
    today = timezone.localdate()
    response = client_as("policy_staff").get(
        LIST,
        {
            "date_from": (today - timedelta(days=15)).isoformat(),
            "date_to": (today - timedelta(days=5)).isoformat(),
        },
    )
    assert _listed(response) == ["BS-2"]


def test_list_shows_confidential_reports_to_moderators(client_as, many):
    response = client_as("moderator").get(LIST)
    assert _listed(response) == ["BS-3", "BS-4", "BS-2", "BS-1"]


def test_list_with_bad_filters_shows_form_errors_and_ignores_them(client_as, many):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_as("policy_staff").get(
        LIST,
        {
            "date_from": tomorrow.isoformat(),
            "date_to": (tomorrow - timedelta(days=2)).isoformat(),
            "status": "kapot",
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "date_to" in form.errors
    assert "status" in form.errors
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'href="#id_date_to"' in html
    # the bad fields are left out; "from tomorrow" still applies
    assert _listed(response) == []
    assert response.context["form"].cleaned_data.get("date_from") == tomorrow


def test_list_is_paginated_and_keeps_the_filters(client_as, town, categories):
    for n in range(55):
        ReportFactory(
            reference=f"BS-P{n:02d}",
            buurt=town.buurt("BU05469000"),
            category=categories["zwerfafval"],
        )
    response = client_as("policy_staff").get(LIST, {"status": "nieuw"})
    page = response.context["page"]
    assert (page.paginator.count, len(page.object_list)) == (55, 50)
    html = response.content.decode()
    assert "?status=nieuw&amp;page=2" in html
    second = client_as("policy_staff").get(LIST, {"status": "nieuw", "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_list_in_map_view_configures_the_map_with_the_selection(client_as, many):
    response = client_as("policy_staff").get(LIST, {"view": "map", "status": "nieuw"})

    html = response.content.decode()
    assert 'id="staff-report-map"' in html
    assert f'data-points-url="{MAP_DATA}?status=nieuw"' in html
    assert "leaflet/leaflet.js" in html
    assert csp_audit(html).problems == []
    # the list view without the map loads no map code
    plain = client_as("policy_staff").get(LIST).content.decode()
    assert "staff-report-map.js" not in plain


def test_map_data_has_exact_points_of_the_selection_for_allowed_categories(client_as, many):
    response = client_as("policy_staff").get(MAP_DATA, {"area": "WK054691"})

    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["total"] == 2
    refs = {f["properties"]["reference"] for f in body["features"]}
    assert refs == {"BS-2", "BS-3"}
    youth = next(f for f in body["features"] if f["properties"]["reference"] == "BS-2")
    assert youth["geometry"]["coordinates"] == [many["youth"].lon, many["youth"].lat]
    everything = client_as("policy_staff").get(MAP_DATA).json()
    assert "BS-4" not in {f["properties"]["reference"] for f in everything["features"]}
    moderator = client_as("moderator").get(MAP_DATA).json()
    assert "BS-4" in {f["properties"]["reference"] for f in moderator["features"]}


# --- The detail page -------------------------------------------------------------------------


def test_detail_shows_contact_data_only_with_the_permission(client_as, report):
    policy = client_as("policy_staff").get(detail_url(report)).content.decode()
    moderator = client_as("moderator").get(detail_url(report)).content.decode()

    for html in (policy, moderator):
        assert SECRET_TEXT in html  # staff who may see the report see the original text
        assert "voor nummer 12" in html
        assert csp_audit(html).problems == []
    assert REPORTER_EMAIL not in policy
    assert "alleen als moderator of beheerder" in policy
    assert REPORTER_EMAIL in moderator


def test_detail_shows_photos_supporters_history_and_audit_log(client_as, report):
    photo = ReportPhoto(report=report, width=40, height=20, size_bytes=10)
    photo.image.save("p.jpg", ContentFile(image_bytes()), save=False)
    photo.save()
    Report.objects.filter(pk=report.pk).update(support_count=3)
    client = client_as("administrator")
    client.post(action_url("status", report), {"status-status": "in_behandeling"})

    response = client.get(detail_url(report))

    html = response.content.decode()
    photo_url = reverse(
        "frontend:staff-report-photo", kwargs={"uuid": report.uuid, "photo_uuid": photo.uuid}
    )
    assert f'src="{photo_url}"' in html
    assert "3 inwoners" in html
    audit = response.context["events"]
    assert [row["label"] for row in audit] == ["Status gewijzigd"]
    assert audit[0]["before"] == [("partner", ""), ("status", "nieuw")]
    assert audit[0]["after"] == [("partner", ""), ("status", "in_behandeling")]
    assert str(client.user) in html
    assert [s["status"] for s in response.context["status_history"]] == ["in behandeling"]
    image = client.get(photo_url)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert image["Cache-Control"] == "private, no-store"


def test_photo_of_another_report_is_404(client_as, report, town):
    other = ReportFactory(buurt=town.buurt("BU05469000"))
    photo = ReportPhoto(report=other, width=40, height=20, size_bytes=10)
    photo.image.save("p.jpg", ContentFile(image_bytes()), save=False)
    photo.save()
    url = reverse(
        "frontend:staff-report-photo", kwargs={"uuid": report.uuid, "photo_uuid": photo.uuid}
    )
    assert client_as("policy_staff").get(url).status_code == 404


# --- Status ----------------------------------------------------------------------------------


def test_status_change_with_message_to_reporter(client_as, report, mailoutbox):
    client = client_as("policy_staff")

    response = client.post(
        action_url("status", report),
        {
            "status-status": "doorgestuurd",
            "status-partner": "handhaving",
            "status-message": "We hebben uw melding doorgestuurd naar handhaving.",
        },
        follow=True,
    )

    assert response.status_code == 200
    report.refresh_from_db()
    assert (report.status, report.partner) == ("doorgestuurd", "handhaving")
    assert report.closed_at is not None
    message = ReportMessage.objects.get(report=report)
    assert message.kind == "public"
    assert message.author == client.user
    assert "De status is nu ‘doorgestuurd naar partner’." in response.content.decode()
    event = ReportEvent.objects.get(report=report, action="report.status_changed")
    assert event.before == {"status": "nieuw", "partner": ""}
    assert event.after == {"status": "doorgestuurd", "partner": "handhaving"}


def test_forwarding_without_partner_is_an_error_on_the_partner_field(client_as, report):
    response = client_as("policy_staff").post(
        action_url("status", report), {"status-status": "doorgestuurd"}
    )

    assert response.status_code == 200
    form = response.context["status_form"]
    assert form.errors["partner"] == ["Kies de partner waarnaar de melding is doorgestuurd."]
    html = response.content.decode()
    assert 'href="#id_status-partner"' in html
    assert 'aria-invalid="true"' in html
    report.refresh_from_db()
    assert report.status == "nieuw"
    assert not ReportEvent.objects.filter(report=report).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "status"),
        ({"status-status": "nieuw"}, "status"),  # not a next status
        ({"status-status": "kapot"}, "status"),
        ({"status-status": "afgehandeld", "status-message": "<b>klaar</b>"}, "message"),
    ],
)
def test_bad_status_input_is_a_form_error(client_as, report, data, field):
    response = client_as("policy_staff").post(action_url("status", report), data)

    assert response.status_code == 200
    assert field in response.context["status_form"].errors
    report.refresh_from_db()
    assert report.status == "nieuw"
    assert not report.messages.exists()


def test_status_form_offers_only_the_next_statuses(client_as, report):
    report.status = Report.Status.RESOLVED
    report.save()
    response = client_as("policy_staff").get(detail_url(report))
    choices = [value for value, _label in response.context["status_form"].fields["status"].choices]
    assert choices == ["in_behandeling"]


def test_merged_duplicate_has_no_status_or_merge_form(client_as, report, town):
    target = ReportFactory(reference="BS-2026-DOEL", buurt=town.buurt("BU05469000"))
    report_merge(duplicate=report, into=target, actor=None)
    client = client_as("policy_staff")

    response = client.get(detail_url(report))

    assert "status_form" not in response.context
    assert "merge_form" not in response.context
    assert "BS-2026-DOEL" in response.content.decode()
    refused = client.post(action_url("status", report), {"status-status": "in_behandeling"})
    assert refused.status_code == 403


# --- Notes and messages ------------------------------------------------------------------------


def test_internal_note_is_stored_and_shown_but_not_sent(client_as, report, mailoutbox):
    client = client_as("policy_staff")
    response = client.post(
        action_url("message", report),
        {"message-kind": "internal", "message-body": "Bellen met de wijkagent."},
        follow=True,
    )

    note = ReportMessage.objects.get(report=report)
    assert (note.kind, note.body) == ("internal", "Bellen met de wijkagent.")
    assert "Bellen met de wijkagent." in response.content.decode()
    assert mailoutbox == []


def test_empty_note_is_a_form_error(client_as, report):
    response = client_as("policy_staff").post(
        action_url("message", report), {"message-kind": "internal", "message-body": "   "}
    )
    assert response.status_code == 200
    assert "body" in response.context["message_form"].errors
    assert not ReportMessage.objects.exists()


# --- Moderation -----------------------------------------------------------------------------


def test_redact_publishes_the_edited_text_and_keeps_the_original(client_as, report):
    client = client_as("moderator")

    client.post(
        action_url("moderate", report),
        {"moderation-decision": "redacted", "moderation-public_text": "Iemand zet afval neer."},
    )

    report.refresh_from_db()
    assert (report.moderation, report.public_description) == ("redacted", "Iemand zet afval neer.")
    assert report.description == SECRET_TEXT
    html = client.get(detail_url(report)).content.decode()
    assert SECRET_TEXT in html
    assert "Iemand zet afval neer." in html
    event = ReportEvent.objects.get(report=report, action="report.moderated")
    assert event.before == {"moderation": "pending", "public_description": ""}


def test_redact_without_text_is_an_error_on_the_text_field(client_as, report):
    response = client_as("moderator").post(
        action_url("moderate", report),
        {"moderation-decision": "redacted", "moderation-public_text": ""},
    )

    assert response.status_code == 200
    assert response.context["moderation_form"].errors["public_text"] == [
        "Geef de openbare tekst op bij goedkeuren of aanpassen."
    ]
    report.refresh_from_db()
    assert report.moderation == "pending"


def test_moderation_without_decision_is_a_form_error(client_as, report):
    response = client_as("moderator").post(action_url("moderate", report), {})
    assert response.status_code == 200
    assert "decision" in response.context["moderation_form"].errors
    assert 'href="#id_moderation-decision_0"' in response.content.decode()


def test_moderation_queue_lists_pending_public_reports_and_returns_there(
    client_as,
    report,
    secret_report,
    town,
    categories,
):
    done = ReportFactory(
        buurt=town.buurt("BU05469000"),
        category=categories["zwerfafval"],
        moderation=Report.Moderation.APPROVED,
    )
    client = client_as("moderator")

    response = client.get(QUEUE)

    queued = [r.reference for r in response.context["page"].object_list]
    assert queued == [report.reference]
    assert done.reference not in queued
    assert secret_report.reference not in queued  # confidential texts are never published
    html = response.content.decode()
    assert SECRET_TEXT in html
    assert f"{detail_url(report)}?next=%2Fbeheer%2Fmeldingen%2Fmoderatie%2F#moderatie" in html

    back = client.post(
        action_url("moderate", report),
        {"moderation-decision": "approved", "moderation-public_text": "", "moderation-next": QUEUE},
    )
    assert back["Location"] == QUEUE
    assert client.get(QUEUE).context["page"].paginator.count == 0


def test_moderation_never_redirects_to_another_site(client_as, report):
    response = client_as("moderator").post(
        action_url("moderate", report),
        {
            "moderation-decision": "approved",
            "moderation-next": "https://evil.example/",
        },
    )
    assert response["Location"] == detail_url(report)


# --- Merge ----------------------------------------------------------------------------------


def test_merge_cancels_the_duplicate_and_counts_its_reporter(client_as, report, town):
    target = ReportFactory(reference="BS-2026-DOEL", buurt=town.buurt("BU05469000"))
    client = client_as("policy_staff")

    response = client.post(
        action_url("merge", report), {"merge-into": "bs-2026-doel", "merge-confirm": "on"}
    )

    assert response.status_code == 302
    report.refresh_from_db()
    target.refresh_from_db()
    assert report.duplicate_of == target
    assert report.status == "geannuleerd"
    assert target.support_count == 1
    assert ReportEvent.objects.get(report=target, action="report.merge_received").actor == (
        client.user
    )


@pytest.mark.parametrize(
    ("into", "confirm", "message"),
    [
        ("BS-0000-NIET", "on", "Er is geen melding met dit kenmerk die jij mag behandelen."),
        ("BS-2026-AAAA", "on", "Deze meldingen kunnen niet worden samengevoegd."),  # itself
        ("BS-2026-GEHM", "on", "Er is geen melding met dit kenmerk die jij mag behandelen."),
        ("BS-2026-DOEL", "", "Vink aan dat je de melding wilt samenvoegen."),
    ],
)
def test_bad_merge_is_a_form_error(client_as, report, secret_report, town, into, confirm, message):
    ReportFactory(reference="BS-2026-DOEL", buurt=town.buurt("BU05469000"))

    response = client_as("policy_staff").post(
        action_url("merge", report), {"merge-into": into, "merge-confirm": confirm}
    )

    assert response.status_code == 200
    errors = response.context["merge_form"].errors
    assert message in [e for field_errors in errors.values() for e in field_errors]
    report.refresh_from_db()
    assert report.duplicate_of is None
    assert report.status == "nieuw"


# --- Exports --------------------------------------------------------------------------------


def _csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_export_without_personal_data_for_policy_staff(client_as, many, report):
    response = client_as("policy_staff").get(CSV_EXPORT)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="meldingen-')
    rows = _csv_rows(response)
    assert tuple(rows[0].keys()) == COLUMNS
    assert {r["reference"] for r in rows} == {"BS-1", "BS-2", "BS-3", report.reference}
    body = response.content.decode()
    assert SECRET_TEXT not in body
    assert REPORTER_EMAIL not in body


def test_export_with_personal_data_for_administrators(client_as, many, report):
    response = client_as("administrator").get(CSV_EXPORT, {"category": "zwerfafval"})

    rows = _csv_rows(response)
    assert tuple(rows[0].keys()) == COLUMNS + PERSONAL_COLUMNS
    assert {r["reference"] for r in rows} == {"BS-1", report.reference}
    mine = next(r for r in rows if r["reference"] == report.reference)
    assert (mine["description"], mine["contact_email"]) == (SECRET_TEXT, REPORTER_EMAIL)


def test_geojson_export_keeps_the_filters(client_as, many):
    response = client_as("policy_staff").get(GEOJSON_EXPORT, {"status": "in_behandeling"})

    assert response["Content-Type"] == "application/geo+json"
    body = json.loads(response.content)
    assert [f["properties"]["reference"] for f in body["features"]] == ["BS-2"]
    assert "description" not in body["features"][0]["properties"]


def test_list_links_to_exports_with_the_filters_only_for_allowed_roles(client_as, many):
    policy = client_as("policy_staff").get(LIST, {"status": "nieuw", "page": 1}).content.decode()
    moderator = client_as("moderator").get(LIST, {"status": "nieuw"}).content.decode()

    assert f'href="{CSV_EXPORT}?status=nieuw"' in policy
    assert f'href="{GEOJSON_EXPORT}?status=nieuw"' in policy
    assert "zonder persoonsgegevens" in policy
    assert CSV_EXPORT not in moderator


# --- Import ---------------------------------------------------------------------------------

MAPPING = b"external_code,slug\nAFV,zwerfafval\nJEU,jongerenoverlast\n"


def _data(rows: list[str]) -> bytes:
    return ("id;categorie;datum;status;omschrijving;lat;lon\n" + "".join(rows)).encode()


def _row(ext: str, cat: str = "AFV", col: int = 0, date: str = "2025-03-05") -> str:
    lat, lon = point(col)
    return f"{ext};{cat};{date};open;Afval;{lat};{lon}\n"


def _upload(client, data: bytes, *, mapping: bytes | None = MAPPING, partial: bool = False):
    post = {
        "data_file": SimpleUploadedFile("meldingen.csv", data, content_type="text/csv"),
        "source_name": "mor",
    }
    if mapping is not None:
        post["mapping_file"] = SimpleUploadedFile("koppeling.csv", mapping)
    if partial:
        post["partial"] = "on"
    return client.post(IMPORT, post)


def test_import_dry_run_with_a_bad_row_writes_nothing_and_offers_no_import(
    client_as,
    town,
    categories,
):
    client = client_as("administrator")

    response = _upload(client, _data([_row("1"), _row("2", cat="XXX"), _row("3", col=2)]))

    assert response.status_code == 200
    result = response.context["result"]
    assert (result.total, result.valid, len(result.errors)) == (3, 2, 1)
    assert response.context["would_write"] is False
    html = response.content.decode()
    assert "onbekende categorie" in html
    assert IMPORT_CONFIRM not in html
    assert not Report.objects.exists()


def test_import_partial_dry_run_then_import_creates_the_good_rows(client_as, town, categories):
    client = client_as("administrator")

    preview = _upload(
        client, _data([_row("1"), _row("2", cat="XXX"), _row("3", col=2)]), partial=True
    )
    assert preview.context["would_write"] is True
    assert not Report.objects.exists()
    token = client.session["staff_report_import"]["token"]

    done = client.post(IMPORT_CONFIRM, {"token": token})

    assert done.status_code == 200
    result = done.context["imported_result"]
    assert (result.imported, len(result.errors), len(result.skipped)) == (2, 1, 0)
    assert set(Report.objects.values_list("external_id", flat=True)) == {"mor:1", "mor:3"}
    assert ReportEvent.objects.filter(action="report.imported", actor=client.user).count() == 2
    assert "2 van 3 rijen ingelezen" in done.content.decode()
    assert "staff_report_import" not in client.session

    # the same file again: skipped, nothing new
    again = _upload(client, _data([_row("1"), _row("3", col=2)]))
    assert len(again.context["result"].skipped) == 2
    assert again.context["would_write"] is False


def test_import_without_mapping_file_uses_our_slugs(client_as, town, categories):
    client = client_as("administrator")
    preview = _upload(client, _data([_row("1", cat="zwerfafval")]), mapping=None)
    assert preview.context["result"].valid == 1
    client.post(IMPORT_CONFIRM, {"token": client.session["staff_report_import"]["token"]})
    assert Report.objects.get().category.slug == "zwerfafval"


@pytest.mark.parametrize(
    ("files", "field", "message"),
    [
        ({"data": ("meldingen.xlsx", b"x")}, "data_file", "Gebruik een .csv- of .geojson-bestand."),
        ({"data": ("meldingen.csv", b"id;x\n1;2\n")}, "data_file", "Kolommen ontbreken"),
        (
            {"data": ("meldingen.csv", None), "mapping": b"code,slug\nA,zwerfafval\n"},
            "mapping_file",
            "external_code en slug",
        ),
        (
            {"data": ("meldingen.csv", None), "mapping": b"external_code,slug\nA,bestaat-niet\n"},
            "mapping_file",
            "onbekende categorie",
        ),
    ],
)
def test_bad_import_files_are_form_errors(client_as, town, categories, files, field, message):
    client = client_as("administrator")
    name, content = files["data"]
    post = {
        "data_file": SimpleUploadedFile(name, content or _data([_row("1")])),
        "source_name": "mor",
    }
    if "mapping" in files:
        post["mapping_file"] = SimpleUploadedFile("koppeling.csv", files["mapping"])

    response = client.post(IMPORT, post)

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors)
    assert f'href="#id_{field}"' in response.content.decode()
    assert "staff_report_import" not in client.session


def test_import_confirm_with_an_unknown_token_imports_nothing(client_as, town, categories):
    client = client_as("administrator")
    _upload(client, _data([_row("1")]))

    response = client.post(IMPORT_CONFIRM, {"token": "0" * 32}, follow=True)

    assert response.redirect_chain[-1][0] == IMPORT
    assert "Deze import is verlopen" in response.content.decode()
    assert not Report.objects.exists()


# --- Staff home ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "queue_link", "import_link"),
    [("policy_staff", False, False), ("moderator", True, False), ("administrator", True, True)],
)
def test_staff_home_links_to_the_back_office(client_as, town, role, queue_link, import_link):
    html = client_as(role).get(reverse("frontend:staff-home")).content.decode()
    assert f'href="{LIST}"' in html
    assert (f'href="{QUEUE}"' in html) is queue_link
    assert (f'href="{IMPORT}"' in html) is import_link


def test_every_page_passes_the_csp_audit(client_as, report):
    client = client_as("administrator")
    for url in (LIST, f"{LIST}?view=map", QUEUE, IMPORT, detail_url(report)):
        html = client.get(url).content.decode()
        assert csp_audit(html).problems == [], url

"""Handling: status workflow, messages to the reporter and internal notes, e-mail."""

import pytest
from django.core import mail
from django.utils import timezone

from core.exceptions import DomainError
from reports.models import Report, ReportEvent, ReportMessage
from reports.services import report_message_add, report_status_change
from tests.participation.factories import UserFactory
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

S = Report.Status
ALL = [S.NEW, S.IN_PROGRESS, S.RESOLVED, S.FORWARDED, S.CANCELLED]
ALLOWED = {
    S.NEW: {S.IN_PROGRESS, S.RESOLVED, S.FORWARDED, S.CANCELLED},
    S.IN_PROGRESS: {S.RESOLVED, S.FORWARDED, S.CANCELLED},
    S.RESOLVED: {S.IN_PROGRESS},
    S.FORWARDED: {S.IN_PROGRESS},
    S.CANCELLED: {S.IN_PROGRESS},
}
CLOSED = {S.RESOLVED, S.FORWARDED, S.CANCELLED}


@pytest.fixture
def staff(role_user):
    return role_user("moderator")


def _report(town, categories, status=S.NEW, **kwargs):
    closed = status in CLOSED
    return ReportFactory(
        buurt=town.buurten[0],
        category=categories["zwerfafval"],
        status=status,
        partner="politie" if status == S.FORWARDED else "",
        closed_at=timezone.now() if closed else None,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [(b, a) for b in ALL for a in ALL if a in ALLOWED[b]],
)
def test_report_status_change_moves_and_audits_when_transition_is_allowed(
    before, after, town, categories, staff
):
    # given
    report = _report(town, categories, before)
    partner = "handhaving" if after == S.FORWARDED else ""
    # when
    changed = report_status_change(report=report, actor=staff, status=after, partner=partner)
    # then
    changed.refresh_from_db()
    assert changed.status == after
    assert changed.partner == partner
    assert (changed.closed_at is not None) is (after in CLOSED)
    event = ReportEvent.objects.get(report=report, action="report.status_changed")
    assert event.actor == staff
    assert event.before == {"status": before, "partner": "politie" if before == S.FORWARDED else ""}
    assert event.after == {"status": after, "partner": partner}


@pytest.mark.parametrize(
    ("before", "after"),
    [(b, a) for b in ALL for a in [*ALL, "onzin", ""] if a not in ALLOWED[b]],
)
def test_report_status_change_refuses_and_changes_nothing_when_transition_is_forbidden(
    before, after, town, categories, staff
):
    # given
    report = _report(town, categories, before)
    # when
    with pytest.raises(DomainError) as exc_info:
        report_status_change(report=report, actor=staff, status=after, partner="politie")
    # then
    assert exc_info.value.code == "invalid_status_transition"
    assert exc_info.value.http_status == 409
    assert exc_info.value.extra == {"field": "status", "from": before, "to": after}
    report.refresh_from_db()
    assert report.status == before
    assert not ReportEvent.objects.exists()


@pytest.mark.parametrize("partner", ["", "buurman", None])
def test_report_status_change_refuses_forwarding_when_partner_is_missing_or_unknown(
    partner, town, categories, staff
):
    report = _report(town, categories)
    with pytest.raises(DomainError) as exc_info:
        report_status_change(report=report, actor=staff, status=S.FORWARDED, partner=partner)
    assert exc_info.value.code == "partner_required"
    report.refresh_from_db()
    assert report.status == S.NEW


def test_report_status_change_clears_partner_and_closed_at_when_reopened(town, categories, staff):
    # given
    report = _report(town, categories)
    report_status_change(report=report, actor=staff, status=S.FORWARDED, partner="jongerenwerk")
    # when
    reopened = report_status_change(report=report, actor=staff, status=S.IN_PROGRESS)
    # then
    reopened.refresh_from_db()
    assert reopened.partner == ""
    assert reopened.closed_at is None
    assert [e.after["status"] for e in ReportEvent.objects.filter(report=report)] == [
        S.FORWARDED,
        S.IN_PROGRESS,
    ]


def test_report_status_change_ignores_partner_when_status_is_not_forwarded(town, categories, staff):
    report = _report(town, categories)
    changed = report_status_change(report=report, actor=staff, status=S.RESOLVED, partner="politie")
    assert changed.partner == ""


def test_report_status_change_refuses_reopening_when_report_was_merged(town, categories, staff):
    into = _report(town, categories)
    duplicate = _report(town, categories, S.CANCELLED, duplicate_of=into)
    with pytest.raises(DomainError) as exc_info:
        report_status_change(report=duplicate, actor=staff, status=S.IN_PROGRESS)
    assert exc_info.value.code == "invalid_status_transition"
    assert exc_info.value.extra["reason"] == "merged"


def test_report_status_change_adds_public_message_when_message_is_given(town, categories, staff):
    report = _report(town, categories)
    report_status_change(
        report=report, actor=staff, status=S.RESOLVED, message="  De lamp is vervangen.  "
    )
    msg = ReportMessage.objects.get(report=report)
    assert msg.kind == ReportMessage.Kind.PUBLIC
    assert msg.body == "De lamp is vervangen."
    assert msg.author == staff
    assert ReportEvent.objects.filter(action="report.message_added.public").count() == 1


def test_report_status_change_refuses_and_changes_nothing_when_message_has_markup(
    town, categories, staff
):
    report = _report(town, categories)
    with pytest.raises(DomainError) as exc_info:
        report_status_change(report=report, actor=staff, status=S.RESOLVED, message="<b>Klaar</b>")
    assert exc_info.value.code == "description_invalid"
    assert exc_info.value.extra["field"] == "message"
    report.refresh_from_db()
    assert report.status == S.NEW
    assert not ReportMessage.objects.exists()


@pytest.mark.parametrize("public", [True, False])
def test_report_message_add_stores_kind_and_audits_when_body_is_valid(
    public, town, categories, staff
):
    report = _report(town, categories)
    msg = report_message_add(report=report, actor=staff, body="We kijken ernaar.", public=public)
    kind = "public" if public else "internal"
    assert msg.kind == kind
    event = ReportEvent.objects.get(report=report)
    assert event.action == f"report.message_added.{kind}"
    assert event.actor == staff
    assert event.after == {"message_id": msg.pk, "length": len("We kijken ernaar.")}


@pytest.mark.parametrize("body", ["", "   ", "<script>x</script>", "x" * 4001])
def test_report_message_add_refuses_when_body_is_empty_markup_or_too_long(
    body, town, categories, staff
):
    report = _report(town, categories)
    with pytest.raises(DomainError) as exc_info:
        report_message_add(report=report, actor=staff, body=body, public=True)
    assert exc_info.value.code == "description_invalid"
    assert exc_info.value.extra["field"] == "body"
    assert not ReportMessage.objects.exists()


# --- E-mail to the reporter -------------------------------------------------------------------


@pytest.mark.urls("tests.reports.urls_for_mail")
def test_public_message_is_emailed_with_tracking_link_when_reporter_consented(
    town, categories, staff, django_capture_on_commit_callbacks, settings
):
    # given
    settings.BUURTSTEM_SITE_URL = "https://buurtstem.example.nl/"
    report = _report(town, categories, contact_email="melder@example.test", contact_consent=True)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        report_message_add(
            report=report, actor=staff, body="De veegwagen komt morgen.", public=True
        )
    # then
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["melder@example.test"]
    assert report.reference in sent.subject
    assert "De veegwagen komt morgen." in sent.body
    assert "https://buurtstem.example.nl/melding/volgen/" in sent.body


@pytest.mark.urls("tests.reports.urls_for_mail")
def test_status_change_is_emailed_when_reporter_consented(
    town, categories, staff, django_capture_on_commit_callbacks
):
    report = _report(town, categories, contact_email="melder@example.test", contact_consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        report_status_change(report=report, actor=staff, status=S.RESOLVED)
    assert len(mail.outbox) == 1
    assert "afgehandeld" in mail.outbox[0].body


@pytest.mark.urls("tests.reports.urls_for_mail")
def test_public_message_goes_to_account_address_when_consent_given_without_contact_email(
    town, categories, staff, django_capture_on_commit_callbacks
):
    user = UserFactory(email="account@example.test")
    report = _report(town, categories, reporter=user, contact_consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        report_message_add(report=report, actor=staff, body="Dank voor uw melding.", public=True)
    assert [m.to for m in mail.outbox] == [["account@example.test"]]


@pytest.mark.urls("tests.reports.urls_for_mail")
@pytest.mark.parametrize(
    "contact",
    [
        {"contact_email": "", "contact_consent": False},
        {"contact_email": "", "contact_consent": True},  # consent but no address anywhere
        {"contact_email": "melder@example.test", "contact_consent": False},
        {
            "contact_email": "melder@example.test",
            "contact_consent": True,
            "contact_anonymised_at": timezone.now(),
        },
    ],
    ids=["anonymous", "consent_without_address", "no_consent", "anonymised"],
)
def test_public_message_is_not_emailed_when_there_is_no_consent_or_address(
    contact, town, categories, staff, django_capture_on_commit_callbacks
):
    report = _report(town, categories, **contact)
    with django_capture_on_commit_callbacks(execute=True):
        report_message_add(report=report, actor=staff, body="We kijken ernaar.", public=True)
        report_status_change(report=report, actor=staff, status=S.RESOLVED)
    assert mail.outbox == []


@pytest.mark.urls("tests.reports.urls_for_mail")
def test_internal_note_is_never_emailed_when_reporter_consented(
    town, categories, staff, django_capture_on_commit_callbacks
):
    report = _report(town, categories, contact_email="melder@example.test", contact_consent=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report_message_add(
            report=report, actor=staff, body="Melder is bekend bij handhaving.", public=False
        )
    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.urls("tests.reports.urls_for_mail")
def test_email_never_contains_internal_notes_when_sent_after_a_note(
    town, categories, staff, django_capture_on_commit_callbacks
):
    report = _report(town, categories, contact_email="melder@example.test", contact_consent=True)
    report_message_add(report=report, actor=staff, body="GEHEIM: adres buurman", public=False)
    with django_capture_on_commit_callbacks(execute=True):
        report_status_change(report=report, actor=staff, status=S.IN_PROGRESS)
    assert len(mail.outbox) == 1
    assert "GEHEIM" not in mail.outbox[0].body

"""Moderation: only moderated text is ever public; the original is kept for staff."""

import pytest

from core.exceptions import DomainError
from reports.models import Report, ReportEvent
from reports.selectors import public_text
from reports.services import report_moderate
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

ORIGINAL = "De buurman op nummer 12 laat zijn hond steeds los lopen in het park."
M = Report.Moderation


@pytest.fixture
def report(town, categories):
    return ReportFactory(
        buurt=town.buurten[0], category=categories["zwerfafval"], description=ORIGINAL
    )


@pytest.fixture
def moderator(role_user):
    return role_user("moderator")


def test_report_moderate_publishes_original_text_when_approved_without_text(report, moderator):
    moderated = report_moderate(report=report, actor=moderator, decision=M.APPROVED)
    moderated.refresh_from_db()
    assert moderated.moderation == M.APPROVED
    assert moderated.public_description == ORIGINAL
    assert public_text(moderated) == ORIGINAL


def test_report_moderate_publishes_given_text_and_keeps_original_when_redacted(report, moderator):
    # when
    moderated = report_moderate(
        report=report,
        actor=moderator,
        decision=M.REDACTED,
        public_text="Een hond loopt steeds los in het park.",
    )
    # then
    moderated.refresh_from_db()
    assert moderated.moderation == M.REDACTED
    assert public_text(moderated) == "Een hond loopt steeds los in het park."
    assert moderated.description == ORIGINAL
    event = ReportEvent.objects.get(report=report)
    assert event.action == "report.moderated"
    assert event.actor == moderator
    assert event.before == {"moderation": "pending", "public_description": ""}
    assert event.after == {
        "moderation": "redacted",
        "public_description": "Een hond loopt steeds los in het park.",
    }


def test_report_moderate_hides_text_and_keeps_original_when_rejected_after_approval(
    report, moderator
):
    report_moderate(report=report, actor=moderator, decision=M.APPROVED)
    moderated = report_moderate(report=report, actor=moderator, decision=M.REJECTED)
    moderated.refresh_from_db()
    assert moderated.public_description == ""
    assert public_text(moderated) == ""
    assert moderated.description == ORIGINAL
    assert ReportEvent.objects.filter(report=report).count() == 2


@pytest.mark.parametrize(
    ("decision", "text", "code", "field"),
    [
        (M.REDACTED, "", "moderation_invalid", "public_text"),
        (M.REDACTED, "   ", "moderation_invalid", "public_text"),
        (M.REDACTED, "<i>x</i>", "description_invalid", "public_text"),
        (M.APPROVED, "x" * 4001, "description_invalid", "public_text"),
        (M.PENDING, "", "moderation_invalid", "decision"),
        ("publish", "", "moderation_invalid", "decision"),
    ],
)
def test_report_moderate_refuses_and_changes_nothing_when_decision_or_text_is_invalid(
    decision, text, code, field, report, moderator
):
    with pytest.raises(DomainError) as exc_info:
        report_moderate(report=report, actor=moderator, decision=decision, public_text=text)
    assert exc_info.value.code == code
    assert exc_info.value.extra["field"] == field
    report.refresh_from_db()
    assert report.moderation == M.PENDING
    assert not ReportEvent.objects.exists()


@pytest.mark.parametrize("state", [M.PENDING, M.REJECTED])
def test_public_text_is_empty_when_not_moderated_even_if_public_description_is_set(
    state, town, categories
):
    report = ReportFactory.build(moderation=state, public_description="Zichtbaar?")
    assert public_text(report) == ""

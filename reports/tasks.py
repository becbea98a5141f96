"""Background work for reports (Django tasks; immediate backend in development)."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from reports.models import Report, ReportMessage
from reports.tokens import tracking_token_for


@task()
def report_notify_reporter(*, report_id: int) -> bool:
    """E-mail the reporter the current status and the latest public message, when they
    consented to contact. Returns whether a mail was sent."""
    report = Report.objects.select_related("category", "reporter").filter(pk=report_id).first()
    if report is None or not report.contact_consent or report.contact_anonymised_at:
        return False
    address = report.contact_email or (report.reporter.email if report.reporter else "")
    if not address:
        return False
    message = report.messages.filter(kind=ReportMessage.Kind.PUBLIC).order_by("-created_at").first()
    link = settings.BUURTSTEM_SITE_URL.rstrip("/") + reverse(
        "frontend:report-track", kwargs={"token": tracking_token_for(str(report.uuid))}
    )
    with translation.override("nl"):
        context = {"report": report, "message": message, "link": link}
        subject = render_to_string("reports/emails/status_subject.txt", context).strip()
        body = render_to_string("reports/emails/status_body.txt", context)
    send_mail(subject, body, None, [address])
    return True


@task()
def report_contacts_anonymise_task() -> int:
    """Scheduled retention job (see docs/privacy.md)."""
    from reports.services import report_contacts_anonymise

    return report_contacts_anonymise()

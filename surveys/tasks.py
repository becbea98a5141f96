"""Background work for surveys (Django tasks; tasks take ids and call services).

Scheduling (cron or the worker's scheduler, daily): `invitation_reminders_task` and
`surveys_close_due_task`.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from surveys.models import Invitation, Survey

INVITATION_PATH_FALLBACK = "/vragenlijst/{slug}/uitnodiging/{token}/"


def invitation_link(*, survey: Survey, token: str) -> str:
    """Absolute link for an invitation e-mail. The frontend registers the page as
    `frontend:survey-invitation` (kwargs slug, token); until then the fallback path."""
    try:
        path = reverse("frontend:survey-invitation", kwargs={"slug": survey.slug, "token": token})
    except NoReverseMatch:
        path = INVITATION_PATH_FALLBACK.format(slug=survey.slug, token=token)
    return settings.BUURTSTEM_SITE_URL.rstrip("/") + path


@task()
def invitation_send_task(*, invitation_id: int, reminder: bool = False) -> bool:
    """E-mail an invitation (or a reminder) with a freshly rotated token. Returns whether a
    mail was sent (not when the invitation was already used, expired or withdrawn)."""
    from surveys.services import invitation_mail_prepare

    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        return False
    token = invitation_mail_prepare(invitation=invitation, reminder=reminder)
    if token is None:
        return False
    invitation = Invitation.objects.select_related("survey", "membership__user").get(
        pk=invitation_id
    )
    context = {
        "survey": invitation.survey,
        "link": invitation_link(survey=invitation.survey, token=token),
        "expires_at": invitation.expires_at,
        "reminder": reminder,
    }
    with translation.override("nl"):
        subject = render_to_string("surveys/emails/invitation_subject.txt", context).strip()
        body = render_to_string("surveys/emails/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.membership.user.email])
    return True


@task()
def invitation_reminders_task() -> int:
    from surveys.services import invitation_reminders_send

    return invitation_reminders_send()


@task()
def surveys_close_due_task() -> int:
    from surveys.services import surveys_close_due

    return surveys_close_due()

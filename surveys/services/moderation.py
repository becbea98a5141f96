"""Moderation of open answers. Authorisation: `surveys.moderate_open_answers` (caller)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.models import User
from surveys.exceptions import ModerationInvalidError
from surveys.models import OpenAnswerModeration
from surveys.validation import CONTROL_CHARS

PUBLIC_TEXT_MAX = 2000


@transaction.atomic
def open_answer_moderate(
    *,
    moderation: OpenAnswerModeration,
    moderator: User,
    decision: str,
    public_text: str | None = None,
) -> OpenAnswerModeration:
    """Approve (optionally with an edited `public_text`, e.g. with names removed; the
    original text when omitted) or reject an open answer. A decision can be revised.
    Only approved answers appear in results and exports, and only as `public_text`."""
    moderation = (
        OpenAnswerModeration.objects.select_for_update()
        .select_related("answer")
        .get(pk=moderation.pk)
    )
    if decision == OpenAnswerModeration.Status.APPROVED:
        text = moderation.answer.value if public_text is None else public_text
        text = CONTROL_CHARS.sub("", text if isinstance(text, str) else "").strip()
        if not text:
            raise ModerationInvalidError(_("Geef de openbare tekst op bij goedkeuren."))
        if len(text) > PUBLIC_TEXT_MAX:
            raise ModerationInvalidError(
                _("De openbare tekst is te lang (hooguit %(max)d tekens).")
                % {"max": PUBLIC_TEXT_MAX}
            )
        moderation.public_text = text
    elif decision == OpenAnswerModeration.Status.REJECTED:
        moderation.public_text = ""
    else:
        raise ModerationInvalidError(
            _("Kies goedkeuren of afwijzen."), extra={"decision": decision}
        )
    moderation.status = decision
    moderation.moderated_by = moderator
    moderation.moderated_at = timezone.now()
    moderation.save()
    return moderation

"""Write use cases of the surveys app (keyword-only, typed, atomic, DomainErrors).

| module | services |
|---|---|
| questionnaire | survey_create, survey_update, survey_publish, survey_close, surveys_close_due, survey_new_version, section_add/update/move/delete, question_add/update/move/delete |
| responses | response_start_open, response_start_with_invitation, response_save_answers, response_save_page, response_submit |
| invitations | invitation_create, invitation_wave_create, invitation_wave_issue, invitation_mail_prepare, invitation_reminders_send |
| moderation | open_answer_moderate |

The template survey is `surveys.template.survey_create_from_template`.
"""  # noqa: E501

from surveys.services.invitations import (
    IssuedInvitation,
    invitation_create,
    invitation_mail_prepare,
    invitation_reminders_send,
    invitation_wave_create,
    invitation_wave_issue,
    invitations_due_for_reminder,
)
from surveys.services.moderation import open_answer_moderate
from surveys.services.questionnaire import (
    question_add,
    question_delete,
    question_move,
    question_update,
    section_add,
    section_delete,
    section_move,
    section_update,
    survey_close,
    survey_create,
    survey_new_version,
    survey_publish,
    survey_update,
    surveys_close_due,
)
from surveys.services.responses import (
    GeoAreaResolver,
    ResponseStart,
    response_save_answers,
    response_save_page,
    response_start_open,
    response_start_with_invitation,
    response_submit,
)

__all__ = [
    "GeoAreaResolver",
    "IssuedInvitation",
    "ResponseStart",
    "invitation_create",
    "invitation_mail_prepare",
    "invitation_reminders_send",
    "invitation_wave_create",
    "invitation_wave_issue",
    "invitations_due_for_reminder",
    "open_answer_moderate",
    "question_add",
    "question_delete",
    "question_move",
    "question_update",
    "response_save_answers",
    "response_save_page",
    "response_start_open",
    "response_start_with_invitation",
    "response_submit",
    "section_add",
    "section_delete",
    "section_move",
    "section_update",
    "survey_close",
    "survey_create",
    "survey_new_version",
    "survey_publish",
    "survey_update",
    "surveys_close_due",
]

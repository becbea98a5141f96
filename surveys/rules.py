"""Who may do what with surveys (django-rules). Object permissions take a Survey or None.

| permission | who |
|---|---|
| surveys.manage_survey | policy staff, administrators (questionnaires, publish, close) |
| surveys.view_results | policy staff, administrators |
| surveys.export_responses | policy staff, administrators (anonymous CSV) |
| surveys.moderate_open_answers | moderators, administrators |
| surveys.manage_waves | policy staff, administrators (panel invitations) |
| surveys.respond (obj) | everyone, anonymous included, while the survey takes responses; for a |
| | panel-only survey the service additionally requires a valid invitation token |

State conditions (open, closed, used invitation, …) are enforced again in the services.
"""

from typing import Any

import rules

from participation.rules import is_administrator, is_moderator, is_policy_staff
from surveys.models import Survey


@rules.predicate
def survey_accepts_responses(user: Any, survey: Any) -> bool:
    return isinstance(survey, Survey) and survey.accepts_responses_at()


@rules.predicate
def survey_is_open_link(user: Any, survey: Any) -> bool:
    return isinstance(survey, Survey) and survey.distribution == Survey.Distribution.OPEN_LINK


rules.add_perm("surveys.manage_survey", is_policy_staff | is_administrator)
rules.add_perm("surveys.view_results", is_policy_staff | is_administrator)
rules.add_perm("surveys.export_responses", is_policy_staff | is_administrator)
rules.add_perm("surveys.moderate_open_answers", is_moderator | is_administrator)
rules.add_perm("surveys.manage_waves", is_policy_staff | is_administrator)
rules.add_perm("surveys.respond", survey_accepts_responses)

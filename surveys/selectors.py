"""Read use cases for surveys. Results and exports live in `surveys.results`."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from surveys.exceptions import ResumeTokenInvalidError
from surveys.models import (
    Answer,
    Invitation,
    OpenAnswerModeration,
    Question,
    Response,
    Section,
    Survey,
    SurveyVersion,
)
from surveys.tokens import TOKEN_MAX_LENGTH, resume_token_hash
from surveys.validation import visible_questions

Questionnaire = list[tuple[Section, list[Question]]]
StoredAnswers = dict[str, dict[str, Any]]

# --- Surveys and versions -------------------------------------------------------------------


def survey_get_by_slug(*, slug: str) -> Survey:
    """Raises Survey.DoesNotExist."""
    return Survey.objects.select_related("panel").get(slug=slug)


def survey_list(*, status: str | None = None) -> QuerySet[Survey]:
    qs = Survey.objects.select_related("panel")
    return qs.filter(status=status) if status else qs


def survey_list_accepting_responses(*, distribution: str | None = None) -> QuerySet[Survey]:
    """Surveys that take responses now (for the public survey list)."""
    qs = Survey.objects.accepting_responses(timezone.now())
    return qs.filter(distribution=distribution) if distribution else qs


def survey_version_latest(*, survey: Survey) -> SurveyVersion:
    return survey.versions.order_by("-number").first()


def survey_version_published(*, survey: Survey) -> SurveyVersion | None:
    """The version new responses go to: the latest published one."""
    return survey.versions.filter(published_at__isnull=False).order_by("-number").first()


def survey_version_draft(*, survey: Survey) -> SurveyVersion | None:
    """The version being edited, if any (only the latest version can be a draft)."""
    latest = survey_version_latest(survey=survey)
    return latest if latest is not None and not latest.is_published else None


def questionnaire_get(*, version: SurveyVersion) -> Questionnaire:
    """Sections in order, each with its questions in order (themes prefetched)."""
    sections = version.sections.order_by("position", "id").prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.order_by("position", "id").prefetch_related("themes"),
        )
    )
    return [(section, list(section.questions.all())) for section in sections]


def questionnaire_questions(*, questionnaire: Questionnaire) -> list[Question]:
    return [q for _section, questions in questionnaire for q in questions]


# --- Responses ------------------------------------------------------------------------------


def response_get_for_resume(*, survey: Survey, resume_token: str) -> Response:
    """The unsubmitted response a resume token belongs to (the token is the respondent's
    only handle; submitted responses can no longer be opened)."""
    if not isinstance(resume_token, str) or not 0 < len(resume_token) <= TOKEN_MAX_LENGTH:
        raise ResumeTokenInvalidError()
    hashed = resume_token_hash(resume_token)
    response = (
        Response.objects.select_related("survey", "survey_version", "buurt")
        .filter(survey=survey, resume_token_hash=hashed, submitted_at__isnull=True)
        .first()
    )
    if response is None or not constant_time_compare(response.resume_token_hash, hashed):
        raise ResumeTokenInvalidError()
    return response


def response_answers_get(*, response: Response) -> StoredAnswers:
    """{question code: {row_key: value}} ("" is the row key of questions without rows)."""
    stored: StoredAnswers = {}
    rows = Answer.objects.filter(response=response).values_list(
        "question__code", "row_key", "value"
    )
    for code, row_key, value in rows:
        stored.setdefault(code, {})[row_key] = value
    return stored


def response_known_profile_fields(*, response: Response) -> set[str]:
    """Background fields already known from the panel membership (those questions are not
    asked again)."""
    if response.channel != Response.Channel.PANEL:
        return set()
    known = {f for f in ("age_band", "sex") if getattr(response, f)}
    if response.buurt_id:
        known.add("buurt")
    return known


def response_questions_visible(
    *, response: Response, questionnaire: Questionnaire | None = None
) -> list[Question]:
    """The questions currently shown to this respondent, given the answers saved so far."""
    questionnaire = questionnaire or questionnaire_get(version=response.survey_version)
    return visible_questions(
        questionnaire,
        response_answers_get(response=response),
        known_profile_fields=response_known_profile_fields(response=response),
    )


@dataclass(frozen=True)
class ResponseCounts:
    started: int
    submitted: int
    submitted_open_link: int
    submitted_panel: int


def response_counts(*, survey: Survey) -> ResponseCounts:
    agg = Response.objects.filter(survey=survey).aggregate(
        started=Count("pk"),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        open_link=Count("pk", filter=Q(submitted_at__isnull=False, channel="open_link")),
        panel=Count("pk", filter=Q(submitted_at__isnull=False, channel="panel")),
    )
    return ResponseCounts(
        started=agg["started"],
        submitted=agg["submitted"],
        submitted_open_link=agg["open_link"],
        submitted_panel=agg["panel"],
    )


# --- Moderation -----------------------------------------------------------------------------


def open_answer_moderation_list(
    *, survey: Survey | None = None, status: str | None = OpenAnswerModeration.Status.PENDING
) -> QuerySet[OpenAnswerModeration]:
    """The moderation queue: open answers of submitted responses (text in answer.value).
    Only moderators see the original text (surveys.moderate_open_answers)."""
    qs = OpenAnswerModeration.objects.select_related(
        "answer__question", "answer__response__survey"
    ).filter(answer__response__submitted_at__isnull=False)
    if survey is not None:
        qs = qs.filter(answer__response__survey=survey)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "id")


# --- Invitations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationStats:
    invited: int
    sent: int
    started: int
    responded: int
    expired_unused: int
    reminders: int


def invitation_stats(*, survey: Survey) -> InvitationStats:
    """Aggregate counts only: who was invited is never shown next to who responded."""
    now = timezone.now()
    agg = Invitation.objects.filter(survey=survey).aggregate(
        invited=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        started=Count("pk", filter=Q(used_at__isnull=False)),
        responded=Count("pk", filter=Q(responded_at__isnull=False)),
        expired=Count("pk", filter=Q(used_at__isnull=True, expires_at__lte=now)),
        reminders=Sum("reminder_count"),
    )
    return InvitationStats(
        invited=agg["invited"],
        sent=agg["sent"],
        started=agg["started"],
        responded=agg["responded"],
        expired_unused=agg["expired"],
        reminders=agg["reminders"] or 0,
    )


def questions_by_code(*, questions: Sequence[Question]) -> dict[str, Question]:
    return {q.code: q for q in questions}

"""Read use cases for surveys. Results and exports live in `surveys.results`."""

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from surveys.exceptions import (
    InvitationExpiredError,
    InvitationInvalidError,
    InvitationMembershipEndedError,
    InvitationUsedError,
    ResumeTokenInvalidError,
    SurveyClosedError,
    SurveyNotOpenError,
)
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
from surveys.tokens import TOKEN_MAX_LENGTH, invitation_token_hash, resume_token_hash
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


def survey_overview_list() -> QuerySet[Survey]:
    """Every survey for the staff overview, annotated with `latest_version` (number),
    `published_version` (number of the latest published version or None) and the counts of
    submitted responses: `submitted`, `submitted_open_link`, `submitted_panel`."""
    versions = SurveyVersion.objects.filter(survey=OuterRef("pk")).order_by("-number")
    submitted = Q(responses__submitted_at__isnull=False)
    return Survey.objects.select_related("panel").annotate(
        latest_version=Subquery(versions.values("number")[:1]),
        published_version=Subquery(
            versions.filter(published_at__isnull=False).values("number")[:1]
        ),
        submitted=Count("responses", filter=submitted),
        submitted_open_link=Count(
            "responses", filter=submitted & Q(responses__channel="open_link")
        ),
        submitted_panel=Count("responses", filter=submitted & Q(responses__channel="panel")),
    )


def survey_versions(*, survey: Survey) -> QuerySet[SurveyVersion]:
    """All versions of a survey, newest first."""
    return survey.versions.order_by("-number")


def survey_version_latest(*, survey: Survey) -> SurveyVersion:
    return survey.versions.order_by("-number").first()


def survey_version_published(*, survey: Survey) -> SurveyVersion | None:
    """The version new responses go to: the latest published one."""
    return survey.versions.filter(published_at__isnull=False).order_by("-number").first()


def survey_version_published_by_slug(*, slug: str) -> SurveyVersion | None:
    """The latest published version of the survey with this slug, with its survey (and
    panel) loaded: what the respondent API checks on every request, in one query."""
    return (
        SurveyVersion.objects.select_related("survey__panel")
        .filter(survey__slug=slug, published_at__isnull=False)
        .order_by("-number")
        .first()
    )


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


# Published versions are frozen (editing one is refused; changes go into a new draft
# version), so their questionnaire is loaded once per process and reused by every request
# that responds to it. The key includes `published_at`; saving or deleting a version drops
# its entry (test databases reuse primary keys). Entries are shared between requests:
# callers must not change the Section and Question objects.
QUESTIONNAIRE_CACHE_SIZE = 32
_questionnaires: OrderedDict[tuple[int, datetime], list[tuple[Section, tuple[Question, ...]]]] = (
    OrderedDict()
)
_questionnaires_lock = threading.Lock()


def questionnaire_get_cached(*, version: SurveyVersion) -> Questionnaire:
    """`questionnaire_get`, loaded once per process for a published version (drafts are
    always read from the database). Treat the result as read-only."""
    if version.published_at is None or version.pk is None:
        return questionnaire_get(version=version)
    key = (version.pk, version.published_at)
    with _questionnaires_lock:
        cached = _questionnaires.get(key)
        if cached is not None:
            _questionnaires.move_to_end(key)
    if cached is None:
        cached = [
            (section, tuple(questions)) for section, questions in questionnaire_get(version=version)
        ]
        with _questionnaires_lock:
            _questionnaires[key] = cached
            while len(_questionnaires) > QUESTIONNAIRE_CACHE_SIZE:
                _questionnaires.popitem(last=False)
    return [(section, list(questions)) for section, questions in cached]


@receiver(post_save, sender=SurveyVersion, dispatch_uid="surveys.questionnaire_cache_save")
@receiver(post_delete, sender=SurveyVersion, dispatch_uid="surveys.questionnaire_cache_delete")
def _questionnaire_cache_drop(sender: type, instance: SurveyVersion, **kwargs: Any) -> None:
    with _questionnaires_lock:
        for key in [key for key in _questionnaires if key[0] == instance.pk]:
            del _questionnaires[key]


def questionnaire_questions(*, questionnaire: Questionnaire) -> list[Question]:
    return [q for _section, questions in questionnaire for q in questions]


# --- Responses ------------------------------------------------------------------------------


def response_get_for_resume(*, survey: Survey, resume_token: str) -> Response:
    """The unsubmitted response a resume token belongs to (the token is the respondent's
    only handle; submitted responses can no longer be opened)."""
    return _response_for_resume(Q(survey=survey), resume_token)


def response_get_for_resume_by_slug(*, slug: str, resume_token: str) -> Response:
    """`response_get_for_resume` for the survey with this slug (one query)."""
    return _response_for_resume(Q(survey__slug=slug), resume_token)


def _response_for_resume(survey: Q, resume_token: str) -> Response:
    if not isinstance(resume_token, str) or not 0 < len(resume_token) <= TOKEN_MAX_LENGTH:
        raise ResumeTokenInvalidError()
    hashed = resume_token_hash(resume_token)
    response = (
        Response.objects.select_related("survey", "survey_version")
        .filter(survey, resume_token_hash=hashed, submitted_at__isnull=True)
        .order_by()[:1]
    )
    response = next(iter(response), None)
    if response is None or not constant_time_compare(response.resume_token_hash, hashed):
        raise ResumeTokenInvalidError()
    return response


def response_answers_get(*, response: Response) -> StoredAnswers:
    """{question code: {row_key: value}} ("" is the row key of questions without rows)."""
    stored: StoredAnswers = {}
    rows = (
        Answer.objects.filter(response=response)
        .order_by()  # the default ordering would join and sort by the question's position
        .values_list("question__code", "row_key", "value")
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
    *,
    response: Response,
    questionnaire: Questionnaire | None = None,
    answers: StoredAnswers | None = None,
) -> list[Question]:
    """The questions currently shown to this respondent, given the answers saved so far
    (`answers`: what `response_answers_get` returned, when the caller has it already)."""
    questionnaire = questionnaire or questionnaire_get_cached(version=response.survey_version)
    return visible_questions(
        questionnaire,
        answers if answers is not None else response_answers_get(response=response),
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


# --- Respondent pages -----------------------------------------------------------------------


def invitation_get_usable(*, survey: Survey, token: Any, lock: bool = False) -> Invitation:
    """The invitation a personal token opens for `survey`, checked without consuming it:
    raises the error the respondent must see (unknown or garbage token, token of another
    survey, already used or answered, expired, membership ended, survey not open). The
    invitation page calls this before offering "start"; `response_start_with_invitation`
    calls it again (with `lock`) and consumes the token."""
    if not isinstance(token, str) or not 0 < len(token) <= TOKEN_MAX_LENGTH:
        raise InvitationInvalidError()
    qs = Invitation.objects.select_related("membership")
    if lock:
        qs = qs.select_for_update(of=("self",))
    invitation = qs.filter(token_hash=invitation_token_hash(token)).order_by("pk").first()
    if invitation is None:
        raise InvitationInvalidError()
    if invitation.survey_id != survey.pk:
        raise InvitationInvalidError(
            _("Deze uitnodiging hoort bij een andere vragenlijst."),
            extra={"reason": "other_survey"},
        )
    if invitation.used_at is not None or invitation.responded_at is not None:
        raise InvitationUsedError()
    now = timezone.now()
    if invitation.expires_at <= now:
        raise InvitationExpiredError()
    membership = invitation.membership
    if membership is None or membership.withdrawn_at is not None:
        raise InvitationMembershipEndedError()
    if survey.panel_id is None or membership.panel_id != survey.panel_id:
        raise InvitationInvalidError(extra={"reason": "other_panel"})
    if survey.status == Survey.Status.CLOSED:
        raise SurveyClosedError()
    if not survey.accepts_responses_at(now):
        raise SurveyNotOpenError()
    return invitation


def condition_question_codes(condition: Any) -> set[str]:
    """The question codes a (well-shaped) condition refers to."""
    if not isinstance(condition, dict):
        return set()
    for combinator in ("all", "any"):
        if combinator in condition and isinstance(condition[combinator], list):
            return {c for part in condition[combinator] for c in condition_question_codes(part)}
    code = condition.get("question")
    return {code} if isinstance(code, str) else set()


@dataclass(frozen=True)
class RespondentPage:
    """One page of the questionnaire as a respondent sees it: one section.

    `questions` are the section's questions in order that the page renders: those shown
    for the answers so far, plus those hidden now whose condition refers to a question on
    this same page (the page shows them as soon as the answer there makes the condition
    hold; their codes are in `pending`). `dynamic` are the codes of all rendered questions
    whose condition refers to this page (the page re-evaluates them as answers change);
    `context` holds the saved answers of questions on other pages that those conditions
    also refer to (only answers of shown questions), so the page can evaluate them without
    a round trip."""

    number: int
    section: Section
    questions: list[Question]
    pending: frozenset[str]
    dynamic: frozenset[str]
    context: dict[str, dict[str, Any]]

    @property
    def shown_questions(self) -> list[Question]:
        return [q for q in self.questions if q.code not in self.pending]


def respondent_pages(
    *,
    response: Response,
    questionnaire: Questionnaire | None = None,
    answers: StoredAnswers | None = None,
) -> list[RespondentPage]:
    """The pages this respondent sees now, in order (sections whose condition holds and
    that show at least one question). `number` is the section's position in the whole
    questionnaire (1-based), so page addresses stay stable when other pages are skipped."""
    questionnaire = questionnaire or questionnaire_get(version=response.survey_version)
    stored = answers if answers is not None else response_answers_get(response=response)
    known = response_known_profile_fields(response=response)
    shown = visible_questions(questionnaire, stored, known_profile_fields=known)
    shown_codes = {q.code for q in shown}
    pages: list[RespondentPage] = []
    for index, (section, questions) in enumerate(questionnaire, start=1):
        if not any(q.code in shown_codes for q in questions):
            continue
        page_codes = {q.code for q in questions}
        rendered: list[Question] = []
        pending: set[str] = set()
        referenced: set[str] = set()
        dynamic: set[str] = set()
        for question in questions:
            if question.profile_field and question.profile_field in known:
                continue
            refs = condition_question_codes(question.condition)
            if refs & page_codes:
                dynamic.add(question.code)
                referenced |= refs - page_codes
            if question.code in shown_codes:
                rendered.append(question)
            elif question.code in dynamic:
                rendered.append(question)
                pending.add(question.code)
        context = {
            code: stored[code]
            for code in sorted(referenced)
            if code in shown_codes and code in stored
        }
        pages.append(
            RespondentPage(
                number=index,
                section=section,
                questions=rendered,
                pending=frozenset(pending),
                dynamic=frozenset(dynamic),
                context=context,
            )
        )
    return pages


def survey_versions_with_responses() -> QuerySet[SurveyVersion]:
    """Published versions that have submitted responses, newest survey first: what evidence
    for the veiligheidsplan can be drawn from."""
    return (
        SurveyVersion.objects.filter(published_at__isnull=False)
        .select_related("survey")
        .annotate(submitted=Count("responses", filter=Q(responses__submitted_at__isnull=False)))
        .filter(submitted__gt=0)
        .order_by("-survey__created_at", "survey__title", "-number")
    )

"""Write use cases for responding: start (open link or invitation), save, submit.

**Anonymity.** A Response never refers to a user, a panel membership or an invitation.
How the invitation learns that it was answered without a link to the response:

1. `response_start_with_invitation` checks and consumes the invitation token (single use:
   `used_at` is set at once, at day precision), creates the Response with copies of the
   member's buurt, age band and sex (for weighting), and hands the respondent a random
   *resume token*. The Response stores `sha256("surveys.resume:" + token)`; the Invitation
   stores `sha256("surveys.invitation-receipt:" + token)` in `receipt_hash`.
2. The resume token lives only with the respondent (session or link). Every later step
   presents it; `response_submit` needs it, finds the invitation by its receipt hash, sets
   `responded_at` (day precision, stops reminders) and clears both hashes.

Without the token — which is stored nowhere — the two rows cannot be connected, and after
submission (or when the survey closes) no hash is left at all. Response primary keys are
random uuids, so their order cannot be matched with invitation order either. What remains
is that panel responses carry buurt/age band/sex copies; results therefore suppress small
cells (see `surveys.results`).

**Double responses.** Panel: the invitation token starts exactly one response (a used
token is refused), so at most one response per invitation can be submitted. Open link: a
keyed, per-survey hash of a random browser device id, at most
`SURVEYS_OPEN_MAX_RESPONSES_PER_DEVICE` submitted responses per device (checked at start
and again at submit), plus start throttles per device and per IP address (the IP address
is only used as a short-lived cache key, never stored).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from geo.codes import AreaLevel
from geo.index import buurt_id_for_point
from geo.models import Area
from surveys.exceptions import (
    AlreadyRespondedError,
    AnswerInvalidError,
    AnswersIncompleteError,
    AnswersInvalidError,
    DeviceIdInvalidError,
    PanelOnlySurveyError,
    ResponseSubmittedError,
    ResumeTokenInvalidError,
    SurveyClosedError,
    SurveyNotOpenError,
    TooManyStartsError,
)
from surveys.models import (
    Answer,
    Invitation,
    OpenAnswerModeration,
    Question,
    Response,
    Section,
    Survey,
)
from surveys.scales import DONT_KNOW
from surveys.selectors import (
    invitation_get_usable,
    questionnaire_get_cached,
    response_answers_get,
    response_known_profile_fields,
    survey_version_published,
)
from surveys.tokens import (
    device_hash,
    ip_throttle_key,
    receipt_hash,
    resume_token_hash,
    token_new,
)
from surveys.validation import missing_answers, validate_answer, visible_questions

DEVICE_ID_MIN, DEVICE_ID_MAX = 8, 200


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def day_start(when: datetime) -> datetime:
    """Midnight (local time) of the day of `when`: invitation bookkeeping is kept at day
    precision so it cannot be matched with response timestamps."""
    return timezone.localtime(when).replace(hour=0, minute=0, second=0, microsecond=0)


class GeoAreaResolver:
    """`surveys.validation.AreaResolver` backed by geo (latest vintage of any code)."""

    def buurt_exists(self, code: str) -> bool:
        return Area.objects.filter(level=AreaLevel.BUURT, code=code).exists()

    def buurt_code_for_point(self, lat: float, lon: float) -> str:
        return Area.objects.values_list("code", flat=True).get(
            pk=buurt_id_for_point(lat=lat, lon=lon)
        )


@dataclass(frozen=True)
class ResponseStart:
    """A started response and its resume token. The token is shown once: keep it in the
    respondent's session (and offer it as a "continue later" link); it is needed to save,
    resume and submit."""

    response: Response
    resume_token: str


def _ensure_accepting(survey: Survey) -> None:
    if survey.status == Survey.Status.CLOSED:
        raise SurveyClosedError()
    if not survey.accepts_responses_at(timezone.now()):
        raise SurveyNotOpenError()


def _lock_survey(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().get(pk=survey.pk)


def _submitted_on_device(survey: Survey, hashed_device: str) -> int:
    return Response.objects.submitted().filter(survey=survey, device_hash=hashed_device).count()


def _ip_throttle(survey: Survey, ip_address: str | None) -> None:
    if not ip_address:
        return
    limit = _setting("SURVEYS_OPEN_MAX_STARTS_PER_IP_PER_HOUR", 50)
    key = ip_throttle_key(survey_id=survey.pk, ip_address=ip_address)
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > limit:
        raise TooManyStartsError(extra={"limit": limit})


@transaction.atomic
def response_start_open(
    *, survey: Survey, device_id: str, ip_address: str | None = None
) -> ResponseStart:
    """Start an anonymous open-link response (marked indicative).

    `device_id` is a random id the browser keeps (cookie/local storage); only a keyed
    per-survey hash of it is stored, and wiped when the survey closes. Refused when the
    device already submitted `SURVEYS_OPEN_MAX_RESPONSES_PER_DEVICE` responses (default 1),
    started more than `SURVEYS_OPEN_MAX_STARTS_PER_DEVICE_PER_HOUR` (10) in the last hour,
    or the IP address more than `SURVEYS_OPEN_MAX_STARTS_PER_IP_PER_HOUR` (50)."""
    survey = _lock_survey(survey)  # serialises the device checks per survey
    _ensure_accepting(survey)
    if survey.distribution != Survey.Distribution.OPEN_LINK:
        raise PanelOnlySurveyError()
    if not isinstance(device_id, str) or not DEVICE_ID_MIN <= len(device_id) <= DEVICE_ID_MAX:
        raise DeviceIdInvalidError()
    hashed_device = device_hash(survey_id=survey.pk, device_id=device_id)
    max_per_device = _setting("SURVEYS_OPEN_MAX_RESPONSES_PER_DEVICE", 1)
    starts_limit = _setting("SURVEYS_OPEN_MAX_STARTS_PER_DEVICE_PER_HOUR", 10)
    on_device = Response.objects.filter(survey=survey, device_hash=hashed_device).aggregate(
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        recent=Count("pk", filter=Q(started_at__gte=timezone.now() - timedelta(hours=1))),
    )
    if on_device["submitted"] >= max_per_device:
        raise AlreadyRespondedError(extra={"limit": max_per_device})
    if on_device["recent"] >= starts_limit:
        raise TooManyStartsError(extra={"limit": starts_limit})
    _ip_throttle(survey, ip_address)
    token = token_new()
    response = Response.objects.create(
        survey=survey,
        survey_version=survey_version_published(survey=survey),
        channel=Response.Channel.OPEN_LINK,
        is_indicative=True,
        device_hash=hashed_device,
        resume_token_hash=resume_token_hash(token),
    )
    return ResponseStart(response=response, resume_token=token)


@transaction.atomic
def response_start_with_invitation(*, survey: Survey, token: str) -> ResponseStart:
    """Start a panel response with a personal invitation token (single use).

    Refused for an unknown token, a token of another survey, a used or answered
    invitation ("al ingevuld"), an expired one and a withdrawn membership. The member's
    buurt, age band and sex are copied onto the response; the membership itself is not
    stored (see the module docstring)."""
    invitation = invitation_get_usable(survey=survey, token=token, lock=True)
    membership = invitation.membership
    now = timezone.now()
    survey = _lock_survey(survey)
    _ensure_accepting(survey)
    resume = token_new()
    response = Response.objects.create(
        survey=survey,
        survey_version=survey_version_published(survey=survey),
        channel=Response.Channel.PANEL,
        is_indicative=False,
        buurt_id=membership.buurt_id,
        age_band=membership.age_band,
        sex=membership.sex,
        resume_token_hash=resume_token_hash(resume),
    )
    invitation.used_at = day_start(now)
    invitation.receipt_hash = receipt_hash(resume)
    invitation.save(update_fields=["used_at", "receipt_hash"])
    return ResponseStart(response=response, resume_token=resume)


def _lock_open_response(response: Response) -> Response:
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("survey", "survey_version")
        .get(pk=response.pk)
    )
    if response.submitted_at is not None:
        raise ResponseSubmittedError()
    _ensure_accepting(response.survey)
    return response


def _answers_validate(
    response: Response, answers: Mapping[str, Any]
) -> list[tuple[Question, str, Any]]:
    """The (question, row, value) changes of `answers`, or AnswersInvalidError listing every
    invalid answer. Reads only the (frozen) questionnaire and the geo areas."""
    questions = {
        q.code: q
        for _section, section_questions in questionnaire_get_cached(version=response.survey_version)
        for q in section_questions
    }
    areas = GeoAreaResolver()
    errors: list[dict[str, Any]] = []
    changes: list[tuple[Question, str, Any]] = []
    for code, value in answers.items():
        question = questions.get(code)
        if question is None:
            errors.append(
                {
                    "question": code,
                    "row": "",
                    "code": "unknown_question",
                    "message": _("Vraag %(code)s bestaat niet in deze vragenlijst.")
                    % {"code": code},
                }
            )
            continue
        try:
            rows = validate_answer(
                question,
                value,
                municipality_code=response.survey.municipality_code,
                areas=areas,
            )
        except AnswerInvalidError as exc:
            errors.append({**exc.extra, "code": exc.code, "message": str(exc.message)})
            continue
        changes += [(question, row, row_value) for row, row_value in rows.items()]
    if errors:
        raise AnswersInvalidError(
            errors[0]["message"] if len(errors) == 1 else None, extra={"errors": errors}
        )
    return changes


def response_save_answers(*, response: Response, answers: Mapping[str, Any]) -> Response:
    """Save some answers (partial save, e.g. one page): {question code: value}, for grids
    {code: {row_key: value}}; None clears an answer (or a row). All given answers are
    validated first; if any is invalid nothing is saved and AnswersInvalidError lists them
    all in `extra["errors"]`. Answers to questions that are hidden at submit time are
    discarded then.

    Validation needs only the frozen questionnaire, so it runs before the write transaction
    (which locks the response and re-checks that it is still open) to keep that short."""
    if response.submitted_at is not None:
        raise ResponseSubmittedError()
    _ensure_accepting(response.survey)
    changes = _answers_validate(response, answers)
    with transaction.atomic():
        response = _lock_open_response(response)
        _answers_write(response, changes)
        response.last_saved_at = timezone.now()
        response.save(update_fields=["last_saved_at"])
    return response


def _answers_write(response: Response, changes: list[tuple[Question, str, Any]]) -> None:
    """Apply validated (question, row, value) changes in a few queries: one read of the
    affected answers, then bulk delete / create / update (None clears)."""
    existing = {
        (a.question_id, a.row_key): a
        for a in Answer.objects.filter(
            response=response, question__in={question.pk for question, _row, _value in changes}
        ).order_by()
    }
    to_delete, to_create, to_update = [], [], []
    for question, row, value in changes:
        answer = existing.get((question.pk, row))
        if value is None:
            if answer is not None:
                to_delete.append(answer.pk)
        elif answer is None:
            to_create.append(
                Answer(response_id=response.pk, question_id=question.pk, row_key=row, value=value)
            )
        elif answer.value != value:
            answer.value = value
            to_update.append(answer)
    if to_delete:
        Answer.objects.filter(pk__in=to_delete).delete()
    if to_create:
        Answer.objects.bulk_create(to_create)
    if to_update:
        Answer.objects.bulk_update(to_update, ["value"])


def _apply_profile(response: Response, shown: list[Question], stored: Mapping) -> None:
    """Open-link responses take buurt / age band / sex from the background questions."""
    for question in shown:
        value = stored.get(question.code, {}).get("")
        known = value not in (None, DONT_KNOW)
        if question.profile_field == "age_band":
            response.age_band = value if known else ""
        elif question.profile_field == "sex":
            response.sex = value if known else ""
        elif question.profile_field == "buurt":
            response.buurt_id = (
                Area.objects.filter(level=AreaLevel.BUURT, code=value)
                .order_by("-year")
                .values_list("pk", flat=True)
                .first()
                if known
                else None
            )


@transaction.atomic
def response_submit(*, response: Response, resume_token: str) -> Response:
    """Submit a response. The resume token proves it is the respondent's own session and,
    for invitation responses, is the only way to mark the invitation answered.

    Evaluates the conditions on the saved answers, deletes the answers of hidden questions,
    requires every shown required question (and the second step of every overlast row
    answered "komt voor") — AnswersIncompleteError lists what is missing — and queues open
    answers for moderation."""
    if response.channel == Response.Channel.OPEN_LINK:
        # Serialise the per-device check with response_start_open (same lock order).
        _lock_survey(response.survey)
    response = _lock_open_response(response)
    survey = response.survey
    if not isinstance(resume_token, str) or not constant_time_compare(
        resume_token_hash(resume_token), response.resume_token_hash
    ):
        raise ResumeTokenInvalidError()
    questionnaire = questionnaire_get_cached(version=response.survey_version)
    stored = response_answers_get(response=response)
    shown = visible_questions(
        questionnaire,
        stored,
        known_profile_fields=response_known_profile_fields(response=response),
    )
    shown_codes = {q.code for q in shown}
    errors = [
        {"question": q.code, "row": row, "code": "missing", "message": str(message)}
        for q in shown
        for row, message in missing_answers(q, stored.get(q.code, {}))
    ]
    if errors:
        raise AnswersIncompleteError(extra={"errors": errors})
    hidden_ids = [
        q.pk
        for _section, questions in questionnaire
        for q in questions
        if q.code in stored and q.code not in shown_codes
    ]
    if hidden_ids:
        Answer.objects.filter(response=response, question_id__in=hidden_ids).delete()
    stored = {code: rows for code, rows in stored.items() if code in shown_codes}
    if response.channel == Response.Channel.OPEN_LINK:
        limit = _setting("SURVEYS_OPEN_MAX_RESPONSES_PER_DEVICE", 1)
        if _submitted_on_device(survey, response.device_hash) >= limit:
            raise AlreadyRespondedError(extra={"limit": limit})
        _apply_profile(response, shown, stored)
    now = timezone.now()
    response.submitted_at = now
    response.resume_token_hash = ""
    response.save()
    open_ids = [q.pk for q in shown if q.type == Question.Type.OPEN_TEXT and q.code in stored]
    if open_ids:
        OpenAnswerModeration.objects.bulk_create(
            [
                OpenAnswerModeration(answer_id=pk)
                for pk in Answer.objects.filter(response=response, question_id__in=open_ids)
                .order_by()
                .values_list("pk", flat=True)
            ]
        )
    if response.channel == Response.Channel.PANEL:
        receipt = receipt_hash(resume_token)
        answered = Invitation.objects.filter(
            survey=survey, receipt_hash=receipt, responded_at__isnull=True
        ).update(responded_at=day_start(now), receipt_hash="")
        if not answered and Invitation.objects.filter(survey=survey, receipt_hash=receipt).exists():
            raise AlreadyRespondedError()  # cannot happen: tokens are single use
    return response


@transaction.atomic
def response_save_page(
    *,
    response: Response,
    section: Section,
    answers: Mapping[str, Any],
    complete: bool = False,
) -> Response:
    """Save one page (one section) of the questionnaire, as the respondent pages do.

    `answers` has a value for each question the page showed ({code: value}, shapes as for
    `response_save_answers`; None or an empty value = unanswered, which clears a saved
    answer). Conditions are evaluated on the saved answers together with this page's:
    answers to questions of this section that are hidden then are cleared, and their
    errors ignored. With `complete` (the respondent goes on to the next page) every shown
    required question of the page must be answered, and every overlast row answered "komt
    voor" needs its second step; AnswersIncompleteError lists what is missing. Invalid
    answers raise AnswersInvalidError listing all of them. On any error nothing is
    written."""
    response = _lock_open_response(response)
    questionnaire = questionnaire_get_cached(version=response.survey_version)
    section_questions = next(
        (questions for candidate, questions in questionnaire if candidate.pk == section.pk), None
    )
    if section_questions is None:
        raise AnswersInvalidError(_("Dit onderdeel hoort niet bij deze vragenlijst."))
    by_code = {q.code: q for q in section_questions}
    areas = GeoAreaResolver()
    errors: dict[str, dict[str, Any]] = {}
    normalised: dict[str, dict[str, Any]] = {}
    for code, value in answers.items():
        question = by_code.get(code)
        if question is None:
            errors[code] = {
                "question": code,
                "row": "",
                "code": "unknown_question",
                "message": _("Vraag %(code)s staat niet op deze pagina.") % {"code": code},
            }
            continue
        try:
            rows = validate_answer(
                question,
                value,
                municipality_code=response.survey.municipality_code,
                areas=areas,
            )
        except AnswerInvalidError as exc:
            errors[code] = {**exc.extra, "code": exc.code, "message": str(exc.message)}
            continue
        normalised[code] = {row: v for row, v in rows.items() if v is not None}

    merged = dict(response_answers_get(response=response))
    for code in answers:
        if code in by_code:
            merged.pop(code, None)
            if normalised.get(code):
                merged[code] = normalised[code]
    shown_codes = {
        q.code
        for q in visible_questions(
            questionnaire,
            merged,
            known_profile_fields=response_known_profile_fields(response=response),
        )
    }
    invalid = [e for code, e in errors.items() if code in shown_codes or code not in by_code]
    if invalid:
        raise AnswersInvalidError(
            invalid[0]["message"] if len(invalid) == 1 else None, extra={"errors": invalid}
        )
    if complete:
        missing = [
            {"question": q.code, "row": row, "code": "missing", "message": str(message)}
            for q in section_questions
            if q.code in shown_codes
            for row, message in missing_answers(q, merged.get(q.code, {}))
        ]
        if missing:
            raise AnswersIncompleteError(extra={"errors": missing})

    for question in section_questions:
        if question.code not in shown_codes:
            Answer.objects.filter(response=response, question=question).delete()
            continue
        if question.code not in answers:
            continue
        rows = normalised.get(question.code, {})
        Answer.objects.filter(response=response, question=question).exclude(
            row_key__in=list(rows)
        ).delete()
        for row, value in rows.items():
            Answer.objects.update_or_create(
                response=response, question=question, row_key=row, defaults={"value": value}
            )
    response.last_saved_at = timezone.now()
    response.save(update_fields=["last_saved_at"])
    return response

"""Write use cases for questionnaires: surveys, versions, sections and questions.

Editing happens only on a draft version; `survey_publish` validates the whole
questionnaire and freezes the version. To change a published questionnaire, call
`survey_new_version` (a draft copy), edit it and publish it: new responses then go to the
new version, earlier responses stay with the version they answered.

Authorisation is the caller's job (`surveys.manage_survey`); the services enforce state.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.codes import AreaLevel, code_is_valid
from participation.models import Burgerpanel, Theme, User
from surveys.exceptions import (
    DraftVersionExistsError,
    NoDraftVersionError,
    QuestionInvalidError,
    QuestionnaireInvalidError,
    SectionInvalidError,
    SurveyClosedError,
    SurveyInvalidError,
    VersionFrozenError,
)
from surveys.models import Invitation, Question, Response, Section, Survey, SurveyVersion
from surveys.selectors import questionnaire_get, survey_version_latest
from surveys.validation import (
    condition_shape_errors,
    question_definition_problems,
    questionnaire_errors,
)

SURVEY_FIELDS_ALWAYS = frozenset(
    {"title", "title_en", "intro", "intro_en", "opens_at", "closes_at"}
)
SURVEY_FIELDS_BEFORE_PUBLISH = frozenset({"slug", "distribution", "panel", "municipality_code"})
SECTION_FIELDS = frozenset({"title", "title_en", "condition"})
QUESTION_FIELDS = frozenset(
    {
        "code",
        "type",
        "text",
        "text_en",
        "help",
        "help_en",
        "required",
        "allow_dont_know",
        "options",
        "rows",
        "scale",
        "max_choices",
        "min_value",
        "max_value",
        "max_length",
        "condition",
        "indicator_codes",
        "profile_field",
    }
)


def _full_clean(obj: models.Model, error: type[Exception], **kwargs: Any) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        first = next(iter(fields.values()))[0]
        raise error(first, extra={"fields": fields}) from exc


def _survey_check(survey: Survey) -> None:
    if not code_is_valid(survey.municipality_code or "", AreaLevel.GEMEENTE):
        raise SurveyInvalidError(
            _("%(code)s is geen geldige CBS-gemeentecode (zoals GM0546).")
            % {"code": survey.municipality_code},
            extra={"field": "municipality_code"},
        )
    if survey.distribution == Survey.Distribution.PANEL_ONLY and survey.panel is None:
        raise SurveyInvalidError(
            _("Een vragenlijst alleen voor het burgerpanel heeft een panel nodig."),
            extra={"field": "panel"},
        )
    if survey.panel is not None and survey.municipality_code not in survey.panel.municipality_codes:
        raise SurveyInvalidError(
            _("Het burgerpanel werft niet in gemeente %(code)s.")
            % {"code": survey.municipality_code},
            extra={"field": "panel"},
        )
    if survey.opens_at and survey.closes_at and survey.closes_at <= survey.opens_at:
        raise SurveyInvalidError(
            _("De sluitingsdatum moet na de openingsdatum liggen."), extra={"field": "closes_at"}
        )
    _full_clean(survey, SurveyInvalidError)


def _lock_survey(survey: Survey) -> Survey:
    return Survey.objects.select_for_update(of=("self",)).select_related("panel").get(pk=survey.pk)


@transaction.atomic
def survey_create(
    *,
    created_by: User | None,
    slug: str,
    title: str,
    distribution: str,
    municipality_code: str,
    panel: Burgerpanel | None = None,
    title_en: str = "",
    intro: str = "",
    intro_en: str = "",
    opens_at: Any = None,
    closes_at: Any = None,
) -> Survey:
    """A new draft survey with an empty draft version 1."""
    survey = Survey(
        slug=slug,
        title=title,
        title_en=title_en,
        intro=intro,
        intro_en=intro_en,
        distribution=distribution,
        panel=panel,
        municipality_code=municipality_code,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=created_by,
    )
    _survey_check(survey)
    survey.save()
    SurveyVersion.objects.create(survey=survey, number=1)
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, data: Mapping[str, Any]) -> Survey:
    """Change survey settings. Title, intro and the response window can change until the
    survey closes; slug, distribution, panel and municipality only before first publication."""
    survey = _lock_survey(survey)
    if survey.status == Survey.Status.CLOSED:
        raise SurveyClosedError()
    unknown = set(data) - SURVEY_FIELDS_ALWAYS - SURVEY_FIELDS_BEFORE_PUBLISH
    if unknown:
        raise SurveyInvalidError(
            _("Deze velden bestaan niet of zijn niet te wijzigen: %(f)s.")
            % {"f": ", ".join(sorted(unknown))},
            extra={"fields": sorted(unknown)},
        )
    frozen = set(data) & SURVEY_FIELDS_BEFORE_PUBLISH
    if frozen and survey.versions.filter(published_at__isnull=False).exists():
        raise VersionFrozenError(
            _("Na publicatie kunnen %(f)s niet meer worden gewijzigd.")
            % {"f": ", ".join(sorted(frozen))},
            extra={"fields": sorted(frozen)},
        )
    for field, value in data.items():
        setattr(survey, field, value)
    _survey_check(survey)
    survey.save()
    return survey


def _lock_draft(version: SurveyVersion) -> SurveyVersion:
    version = (
        SurveyVersion.objects.select_for_update(of=("self",))
        .select_related("survey")
        .get(pk=version.pk)
    )
    if version.survey.status == Survey.Status.CLOSED:
        raise SurveyClosedError()
    if version.is_published:
        raise VersionFrozenError()
    return version


def _reposition(items: list[Any], item: Any, position: int | None) -> None:
    """Put `item` at `position` (end when None) among `items` and renumber 0..n-1."""
    items = [i for i in items if i.pk != item.pk]
    index = len(items) if position is None else max(0, min(position, len(items)))
    items.insert(index, item)
    changed = []
    for number, obj in enumerate(items):
        if obj.position != number or obj.pk == item.pk:
            obj.position = number
            changed.append(obj)
    type(item).objects.bulk_update(changed, ["position"])


# --- Sections -------------------------------------------------------------------------------


def _section_condition_check(condition: Any) -> None:
    if condition is not None:
        errors = condition_shape_errors(condition)
        if errors:
            raise SectionInvalidError(
                _("Voorwaarde: %(msg)s") % {"msg": errors[0]}, extra={"errors": errors}
            )


@transaction.atomic
def section_add(
    *,
    version: SurveyVersion,
    title: str = "",
    title_en: str = "",
    condition: Mapping[str, Any] | None = None,
    position: int | None = None,
) -> Section:
    version = _lock_draft(version)
    _section_condition_check(condition)
    section = Section(version=version, title=title, title_en=title_en, condition=condition)
    _full_clean(section, SectionInvalidError)
    section.position = version.sections.count()
    section.save()
    _reposition(list(version.sections.order_by("position", "id")), section, position)
    return section


@transaction.atomic
def section_update(*, section: Section, data: Mapping[str, Any]) -> Section:
    _lock_draft(section.version)
    unknown = set(data) - SECTION_FIELDS
    if unknown:
        raise SectionInvalidError(extra={"fields": sorted(unknown)})
    _section_condition_check(data.get("condition"))
    for field, value in data.items():
        setattr(section, field, value)
    _full_clean(section, SectionInvalidError)
    section.save()
    return section


@transaction.atomic
def section_move(*, section: Section, position: int) -> Section:
    version = _lock_draft(section.version)
    _reposition(list(version.sections.order_by("position", "id")), section, position)
    section.refresh_from_db()
    return section


@transaction.atomic
def section_delete(*, section: Section) -> None:
    """Delete a section with its questions."""
    version = _lock_draft(section.version)
    section.delete()
    remaining = list(version.sections.order_by("position", "id"))
    for number, obj in enumerate(remaining):
        obj.position = number
    Section.objects.bulk_update(remaining, ["position"])


# --- Questions ------------------------------------------------------------------------------


def _question_check(question: Question) -> None:
    problems = question_definition_problems(question)
    if problems:
        fields: dict[str, list[str]] = {}
        for field, message in problems:
            fields.setdefault(field, []).append(message)
        raise QuestionInvalidError(
            problems[0][1],
            extra={
                "question": question.code,
                "errors": [message for _field, message in problems],
                "fields": fields,
            },
        )
    clash = Question.objects.filter(version_id=question.version_id, code=question.code)
    if question.pk:
        clash = clash.exclude(pk=question.pk)
    if clash.exists():
        raise QuestionInvalidError(
            _("Vraag %(code)s: deze code is al in gebruik in deze versie.")
            % {"code": question.code},
            extra={"question": question.code, "field": "code"},
        )
    _full_clean(
        question, QuestionInvalidError, exclude=["version", "section"], validate_constraints=False
    )


@transaction.atomic
def question_add(
    *,
    section: Section,
    code: str,
    type: str,
    text: str,
    text_en: str = "",
    help: str = "",
    help_en: str = "",
    required: bool = False,
    allow_dont_know: bool = False,
    options: Sequence[Mapping[str, Any]] | None = None,
    rows: Sequence[Mapping[str, Any]] | None = None,
    scale: str = "",
    max_choices: int | None = None,
    min_value: float | None = None,
    max_value: float | None = None,
    max_length: int | None = None,
    condition: Mapping[str, Any] | None = None,
    indicator_codes: Sequence[str] = (),
    themes: Iterable[Theme] = (),
    profile_field: str = "",
    position: int | None = None,
) -> Question:
    """Add a question to a section of a draft version (at the end unless `position`)."""
    version = _lock_draft(section.version)
    question = Question(
        version=version,
        section=section,
        code=code,
        type=type,
        text=text,
        text_en=text_en,
        help=help,
        help_en=help_en,
        required=required,
        allow_dont_know=allow_dont_know,
        options=[dict(o) for o in options or []],
        rows=[dict(r) for r in rows or []],
        scale=scale,
        max_choices=max_choices,
        min_value=min_value,
        max_value=max_value,
        max_length=max_length,
        condition=dict(condition) if condition is not None else None,
        indicator_codes=list(indicator_codes),
        profile_field=profile_field,
        position=section.questions.count(),
    )
    _question_check(question)
    question.save()
    question.themes.set(list(themes))
    _reposition(list(section.questions.order_by("position", "id")), question, position)
    question.refresh_from_db()
    return question


@transaction.atomic
def question_update(*, question: Question, data: Mapping[str, Any]) -> Question:
    """Change question fields (any of QUESTION_FIELDS, plus "themes": a list of Theme)."""
    _lock_draft(question.version)
    question = Question.objects.get(pk=question.pk)
    unknown = set(data) - QUESTION_FIELDS - {"themes"}
    if unknown:
        raise QuestionInvalidError(
            _("Deze velden bestaan niet: %(f)s.") % {"f": ", ".join(sorted(unknown))},
            extra={"fields": sorted(unknown)},
        )
    for field, value in data.items():
        if field != "themes":
            setattr(question, field, value)
    _question_check(question)
    question.save()
    if "themes" in data:
        question.themes.set(list(data["themes"]))
    return question


@transaction.atomic
def question_move(*, question: Question, position: int, section: Section | None = None) -> Question:
    """Move a question within its section, or into another section of the same version."""
    version = _lock_draft(question.version)
    question = Question.objects.get(pk=question.pk)
    target = section or question.section
    if target.version_id != version.pk:
        raise QuestionInvalidError(
            _("Een vraag kan alleen binnen dezelfde versie worden verplaatst."),
            extra={"question": question.code},
        )
    source = question.section
    if target.pk != source.pk:
        question.section = target
        question.save(update_fields=["section"])
        left = list(source.questions.order_by("position", "id"))
        for number, obj in enumerate(left):
            obj.position = number
        Question.objects.bulk_update(left, ["position"])
    _reposition(list(target.questions.order_by("position", "id")), question, position)
    question.refresh_from_db()
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    _lock_draft(question.version)
    section = question.section
    question.delete()
    left = list(section.questions.order_by("position", "id"))
    for number, obj in enumerate(left):
        obj.position = number
    Question.objects.bulk_update(left, ["position"])


# --- Publication and versions ---------------------------------------------------------------


@transaction.atomic
def survey_publish(*, survey: Survey) -> SurveyVersion:
    """Validate and publish the draft version; it is frozen from now on and new responses go
    to it. Raises QuestionnaireInvalidError with `extra["errors"]` listing every problem
    (unique codes, conditions on earlier questions only, options for choice questions, …)."""
    survey = _lock_survey(survey)
    if survey.status == Survey.Status.CLOSED:
        raise SurveyClosedError()
    version = survey_version_latest(survey=survey)
    if version is None or version.is_published:
        raise NoDraftVersionError()
    # Lock the version first: edits (which lock it too) finish before it is validated.
    version = SurveyVersion.objects.select_for_update().get(pk=version.pk)
    _survey_check(survey)
    problems = questionnaire_errors(questionnaire_get(version=version))
    if problems:
        raise QuestionnaireInvalidError(
            problems[0].message
            if len(problems) == 1
            else _("De vragenlijst kan nog niet worden gepubliceerd (%(n)d problemen).")
            % {"n": len(problems)},
            extra={"errors": [p.as_dict() for p in problems]},
        )
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    if survey.status == Survey.Status.DRAFT:
        survey.status = Survey.Status.PUBLISHED
        survey.save(update_fields=["status", "updated_at"])
    return version


@transaction.atomic
def survey_close(*, survey: Survey) -> Survey:
    """Close a survey for good. Unsubmitted responses are deleted, and the last pseudonymous
    traces are wiped: device hashes and resume-token hashes on responses and the receipt
    hashes on invitations. What remains is anonymous."""
    survey = _lock_survey(survey)
    if survey.status == Survey.Status.CLOSED:
        raise SurveyClosedError()
    survey.status = Survey.Status.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at", "updated_at"])
    responses = Response.objects.filter(survey=survey)
    responses.unsubmitted().delete()
    responses.update(device_hash="", resume_token_hash="")
    Invitation.objects.filter(survey=survey).exclude(receipt_hash="").update(receipt_hash="")
    return survey


@transaction.atomic
def surveys_close_due() -> int:
    """Close published surveys whose closing time has passed (scheduled)."""
    due = Survey.objects.filter(status=Survey.Status.PUBLISHED, closes_at__lte=timezone.now())
    count = 0
    for survey in due:
        survey_close(survey=survey)
        count += 1
    return count


@transaction.atomic
def survey_new_version(*, survey: Survey) -> SurveyVersion:
    """A draft copy of the latest (published) version, to edit and publish."""
    survey = _lock_survey(survey)
    if survey.status == Survey.Status.CLOSED:
        raise SurveyClosedError()
    latest = survey_version_latest(survey=survey)
    if latest is not None and not latest.is_published:
        raise DraftVersionExistsError()
    new = SurveyVersion.objects.create(survey=survey, number=(latest.number if latest else 0) + 1)
    if latest is None:
        return new
    for section, questions in questionnaire_get(version=latest):
        section_copy = Section.objects.create(
            version=new,
            position=section.position,
            title=section.title,
            title_en=section.title_en,
            condition=section.condition,
        )
        for question in questions:
            themes = list(question.themes.all())
            question.pk = None
            question.id = None
            question._state.adding = True
            question.version = new
            question.section = section_copy
            question.save()
            question.themes.set(themes)
    return new

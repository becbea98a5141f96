"""Builders for the surveys tests: questionnaires through the services, and respondents."""

import dataclasses
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from participation.models import PanelMembership
from surveys.models import Response, Survey
from surveys.selectors import survey_version_draft
from surveys.services import (
    invitation_create,
    question_add,
    response_save_answers,
    response_start_open,
    response_start_with_invitation,
    response_submit,
    section_add,
    survey_create,
    survey_publish,
)
from tests.participation.factories import PanelMembershipFactory

OPTIONS_ABC = [
    {"value": "a", "label": "A", "label_en": "A"},
    {"value": "b", "label": "B", "label_en": "B"},
    {"value": "c", "label": "C", "label_en": "C"},
]
_slugs = itertools.count(1)
_devices = itertools.count(1)


def q(code: str, type: str = "single_choice", **kwargs: Any) -> dict[str, Any]:
    """Question kwargs for make_survey, with options a/b/c for choice questions."""
    if type in ("single_choice", "multiple_choice") and "options" not in kwargs:
        kwargs["options"] = OPTIONS_ABC
    return {"code": code, "type": type, "text": f"Vraag {code}?", **kwargs}


def build_survey(
    *,
    questions: Sequence[Mapping[str, Any]] = (),
    sections: Sequence[Mapping[str, Any]] | None = None,
    distribution: str = Survey.Distribution.OPEN_LINK,
    panel: Any = None,
    publish: bool = True,
    **survey_kwargs: Any,
) -> Survey:
    """A survey built with the services. `sections` is a list of
    {"title", "condition", "questions": [...]}; without it, one section with `questions`."""
    survey = survey_create(
        created_by=None,
        slug=f"test-{next(_slugs)}",
        title="Testvragenlijst",
        distribution=distribution,
        municipality_code="GM0546",
        panel=panel,
        **survey_kwargs,
    )
    version = survey_version_draft(survey=survey)
    for spec in sections or [{"questions": questions}]:
        section = section_add(
            version=version, title=spec.get("title", ""), condition=spec.get("condition")
        )
        for question in spec["questions"]:
            question_add(section=section, **question)
    if publish:
        survey_publish(survey=survey)
        survey.refresh_from_db()
    return survey


def device() -> str:
    return f"device-{next(_devices):06d}-abcdef"


def submit_open(survey: Survey, answers: Mapping[str, Any]) -> Response:
    """A submitted open-link response from a fresh device."""
    start = response_start_open(survey=survey, device_id=device())
    if answers:
        response_save_answers(response=start.response, answers=answers)
    return response_submit(response=start.response, resume_token=start.resume_token)


def member(panel: Any, **kwargs: Any) -> PanelMembership:
    kwargs.setdefault("buurt", None)
    return PanelMembershipFactory(panel=panel, **kwargs)


def submit_panel(
    survey: Survey, membership: PanelMembership, answers: Mapping[str, Any]
) -> Response:
    issued = invitation_create(survey=survey, membership=membership)
    start = response_start_with_invitation(survey=survey, token=issued.token)
    if answers:
        response_save_answers(response=start.response, answers=answers)
    return response_submit(response=start.response, resume_token=start.resume_token)


# Fields that weighting and intervals added to the result types (surveys.weighting).
UNCERTAINTY_FIELDS = frozenset(
    {
        "ci_low",
        "ci_high",
        "n_eff",
        "weighted",
        "unweighted_value",
        "weighted_percentage",
        "weight",
        "weight_total",
        "square_total",
        "weighting",
    }
)


def without_uncertainty(obj: Any) -> Any:
    """A result as plain data without the weighting/interval fields, to compare unweighted
    results with the per-respondent reference (which predates them). Checks on the way that
    every published unweighted figure equals its `unweighted_value`."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = {f.name for f in dataclasses.fields(obj)}
        # Figures computed with intervals (n_eff set) and unweighted: value = unweighted.
        if "unweighted_value" in names and obj.n_eff is not None and not obj.weighted:
            assert obj.value == obj.unweighted_value, obj
        return {
            f.name: without_uncertainty(getattr(obj, f.name))
            for f in dataclasses.fields(obj)
            if f.name not in UNCERTAINTY_FIELDS
        }
    if isinstance(obj, dict):
        return {key: without_uncertainty(value) for key, value in obj.items()}
    if isinstance(obj, list | tuple):
        return [without_uncertainty(value) for value in obj]
    return obj

"""Surveys API (/api/v1/surveys/): the questionnaire, starting, saving and submitting a
response for respondents; the survey list, results and response rates for policy staff.
One view per operation, each calling the same services and selectors as the pages.

Respondents hold a secret *resume token* (returned once by the start call) and send it as
the `X-Resume-Token` header; responses have no id in any URL. Staff endpoints need the
permission (surveys.view_results) and a session confirmed with the second factor, like the
staff pages.

Errors: domain errors as {"code", "detail", "extra"} (answer errors list every refused
answer in extra.errors with its question code and row), input errors as {field: [messages]}.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.api import MfaConfirmedPermission, RulesPermission
from surveys.api.serializers import (
    ResponseRateOutputSerializer,
    ResponseStartOutputSerializer,
    ResponseStateOutputSerializer,
    ResponseSubmitOutputSerializer,
    StaffSurveyOutputSerializer,
    SurveyDefinitionOutputSerializer,
    SurveyResultsOutputSerializer,
)
from surveys.exceptions import ResumeTokenInvalidError
from surveys.models import Response as SurveyResponse
from surveys.models import Survey, SurveyVersion
from surveys.response_rates import response_rate_overview
from surveys.results import indicators_compute, survey_results
from surveys.selectors import (
    questionnaire_get,
    response_answers_get,
    response_counts,
    response_get_for_resume,
    response_get_for_resume_by_slug,
    response_known_profile_fields,
    response_questions_visible,
    survey_get_by_slug,
    survey_list,
    survey_version_published,
    survey_version_published_by_slug,
)
from surveys.services import (
    response_save_answers,
    response_start_open,
    response_start_with_invitation,
    response_submit,
)
from surveys.trends import indicator_trend

RESUME_HEADER = "X-Resume-Token"
DEVICE_HEADER = "X-Device-Id"
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")

ERRORS = {
    400: OpenApiResponse(
        description='Input error `{field: [messages]}`, or a domain error `{"code", "detail", '
        '"extra"}`; answer errors list `extra.errors[]` = {question, row, code, message}.'
    ),
    403: OpenApiResponse(description="Not allowed."),
    404: OpenApiResponse(description="Unknown survey (or not published), or invalid token."),
    409: OpenApiResponse(
        description="State conflict: survey closed or not open, invitation used, already "
        "responded, response already submitted."
    ),
    429: OpenApiResponse(description="Throttled."),
}
STAFF_ERRORS = {
    400: ERRORS[400],
    403: OpenApiResponse(
        description="Not signed in, no permission (surveys.view_results), or `mfa_required`: "
        "the session was not confirmed with the second factor."
    ),
    404: OpenApiResponse(description="Unknown survey."),
}
RESUME_PARAMETER = OpenApiParameter(
    RESUME_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="The resume token returned when the response was started.",
)


# --- Shared plumbing --------------------------------------------------------------------------


class DynamicScopedRateThrottle(ScopedRateThrottle):
    """Reads REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] per request (settings overrides apply);
    a rate of None switches the throttle off."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


def _published_survey(slug: str) -> Survey:
    """A survey that was published (open or closed); drafts do not exist publicly."""
    if not SLUG.match(slug):
        raise Http404
    version = survey_version_published_by_slug(slug=slug)
    if version is None or version.survey.status == Survey.Status.DRAFT:
        raise Http404
    return version.survey


def _resumed_response(
    request: Request, slug: str, data: serializers.Serializer | None = None
) -> tuple[SurveyResponse, str]:
    """The respondent's unsubmitted response and resume token: one query when all is well.
    Otherwise the errors come in this order: unknown survey (404), no token (400), invalid
    input `data` (400), unknown token (404)."""
    token = request.headers.get(RESUME_HEADER, "").strip()
    if SLUG.match(slug) and token and (data is None or data.is_valid()):
        try:
            return response_get_for_resume_by_slug(slug=slug, resume_token=token), token
        except ResumeTokenInvalidError:
            pass
    survey = _published_survey(slug)
    token = _resume_token(request)
    if data is not None:
        data.is_valid(raise_exception=True)
    return response_get_for_resume(survey=survey, resume_token=token), token


def _staff_survey(slug: str) -> Survey:
    try:
        return survey_get_by_slug(slug=slug)
    except Survey.DoesNotExist as exc:
        raise Http404 from exc


def _flat_answers(stored: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """{code: value} for plain questions, {code: {row: value}} for grids."""
    return {code: rows[""] if set(rows) == {""} else rows for code, rows in stored.items()}


def _state(response: SurveyResponse, *, new: bool = False) -> dict[str, Any]:
    """What the respondent sees next; `new`: the response was just started (no answers yet,
    so they are not read back)."""
    stored = {} if new else response_answers_get(response=response)
    visible = response_questions_visible(response=response, answers=stored)
    return {
        "response": response,
        "known_profile_fields": sorted(response_known_profile_fields(response=response)),
        "visible_questions": [q.code for q in visible],
        "answers": _flat_answers(stored),
    }


def _resume_token(request: Request) -> str:
    token = request.headers.get(RESUME_HEADER, "").strip()
    if not token:
        raise serializers.ValidationError(
            {RESUME_HEADER: [_("Stuur het vervolgtoken mee in de header X-Resume-Token.")]}
        )
    return token


# --- Public: the questionnaire --------------------------------------------------------------


class SurveyDefinitionApi(APIView):
    """The published questionnaire of a survey (both languages)."""

    @extend_schema(
        operation_id="surveys_survey_definition",
        summary="Questionnaire of a survey",
        description="The latest published version: sections in order, each with its "
        "questions (NL and EN texts, answer choices, grid rows, conditions). Closed surveys "
        "are still described (`accepts_responses` false); drafts are 404.",
        responses={200: SurveyDefinitionOutputSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, slug: str) -> Response:
        survey = _published_survey(slug)
        version = survey_version_published(survey=survey)
        context = {"version": version, "questionnaire": questionnaire_get(version=version)}
        return Response(SurveyDefinitionOutputSerializer(survey, context=context).data)


# --- Public: responding ---------------------------------------------------------------------


class ResponseStartApi(APIView):
    """Start a response: open link (with a device id) or panel invitation (with its token)."""

    throttle_classes = [DynamicScopedRateThrottle]
    throttle_scope = "survey_start"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SurveyResponseStartInput"

        device_id = serializers.CharField(
            required=False,
            allow_blank=True,
            trim_whitespace=False,
            help_text="Open link: a random id the browser keeps (8–200 characters); also "
            "accepted as the X-Device-Id header.",
        )
        invitation_token = serializers.CharField(
            required=False,
            allow_blank=True,
            trim_whitespace=False,
            help_text="Panel: the token from the invitation e-mail (single use).",
        )

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            header = self.context["request"].headers.get(DEVICE_HEADER, "")
            device = attrs.get("device_id") or header
            token = attrs.get("invitation_token") or ""
            if device and token:
                raise serializers.ValidationError(
                    {"invitation_token": [_("Geef een apparaat-id óf een uitnodigingstoken.")]}
                )
            if not device and not token:
                raise serializers.ValidationError(
                    {"device_id": [_("Geef een apparaat-id (open link) of een uitnodigingstoken.")]}
                )
            return {"device_id": device, "invitation_token": token}

    @extend_schema(
        operation_id="surveys_response_start",
        summary="Start a response",
        description="Open-link surveys: send `device_id` (one response per device; starts "
        "are limited per device and per address). Panel surveys: send `invitation_token` "
        "(single use; the member's buurt, age band and sex are copied onto the anonymous "
        "response). Returns the `resume_token` once. Throttled (scope `survey_start`). "
        "Domain error codes: `device_id_invalid`, `panel_only_survey` (403), "
        "`already_responded` (409), `too_many_starts` (429), `invitation_invalid` (404), "
        "`invitation_used` (409), `invitation_expired` (410), `invitation_membership_ended` "
        "(410), `survey_closed` / `survey_not_open` (409).",
        parameters=[OpenApiParameter(DEVICE_HEADER, str, OpenApiParameter.HEADER, required=False)],
        request=InputSerializer,
        responses={
            201: ResponseStartOutputSerializer,
            **ERRORS,
            410: OpenApiResponse(description="Invitation expired or membership ended."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        survey = _published_survey(slug)
        data = self.InputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v["invitation_token"]:
            start = response_start_with_invitation(survey=survey, token=v["invitation_token"])
        else:
            start = response_start_open(
                survey=survey, device_id=v["device_id"], ip_address=request.META.get("REMOTE_ADDR")
            )
        state = {**_state(start.response, new=True), "resume_token": start.resume_token}
        return Response(ResponseStartOutputSerializer(state).data, status=201)


class ResponseCurrentApi(APIView):
    """The respondent's own unsubmitted response: read it back, or save answers."""

    throttle_classes = [DynamicScopedRateThrottle]
    throttle_scope = "survey_answer"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SurveyAnswersInput"

        answers = serializers.DictField(
            child=serializers.JSONField(allow_null=True),
            allow_empty=False,
            help_text="{question code: value}; grids {row key: value}; null clears. Shapes "
            "per question type: docs/surveys-api.md.",
        )

    @extend_schema(
        operation_id="surveys_response_current",
        summary="Resume a response",
        description="The saved answers and the questions currently shown.",
        parameters=[RESUME_PARAMETER],
        responses={200: ResponseStateOutputSerializer, 400: ERRORS[400], 404: ERRORS[404]},
    )
    def get(self, request: Request, slug: str) -> Response:
        response, _token = _resumed_response(request, slug)
        return Response(ResponseStateOutputSerializer(_state(response)).data)

    @extend_schema(
        operation_id="surveys_response_save",
        summary="Save answers (partial)",
        description="Validates every given answer first; when any is invalid nothing is "
        "saved and `answers_invalid` lists them all (`extra.errors[]` with question, row, "
        "code, message). Throttled (scope `survey_answer`).",
        parameters=[RESUME_PARAMETER],
        request=InputSerializer,
        responses={200: ResponseStateOutputSerializer, **ERRORS},
    )
    def patch(self, request: Request, slug: str) -> Response:
        data = self.InputSerializer(data=request.data)
        response, _token = _resumed_response(request, slug, data)
        response = response_save_answers(response=response, answers=data.validated_data["answers"])
        return Response(ResponseStateOutputSerializer(_state(response)).data)


class ResponseSubmitApi(APIView):
    throttle_classes = [DynamicScopedRateThrottle]
    throttle_scope = "survey_answer"

    @extend_schema(
        operation_id="surveys_response_submit",
        summary="Submit a response",
        description="Checks every shown required question (`answers_incomplete` lists what "
        "is missing in `extra.errors[]`), discards answers of hidden questions and stores the "
        "response for good. The resume token stops working.",
        parameters=[RESUME_PARAMETER],
        request=None,
        responses={200: ResponseSubmitOutputSerializer, **ERRORS},
    )
    def post(self, request: Request, slug: str) -> Response:
        response, token = _resumed_response(request, slug)
        response_submit(response=response, resume_token=token)
        return Response(
            ResponseSubmitOutputSerializer({"submitted": True, "survey": response.survey.slug}).data
        )


# --- Staff ------------------------------------------------------------------------------------


class StaffSurveyListApi(APIView):
    permission_classes = [RulesPermission, MfaConfirmedPermission]
    required_perm = "surveys.view_results"

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Survey.Status.choices, required=False)

    @extend_schema(
        operation_id="surveys_staff_survey_list",
        summary="Surveys (staff)",
        description="Every survey with its status, published version and response counts.",
        parameters=[FilterSerializer],
        responses={200: StaffSurveyOutputSerializer(many=True), **STAFF_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = []
        for survey in survey_list(status=params.validated_data.get("status")):
            version = survey_version_published(survey=survey)
            rows.append(
                {
                    "survey": survey,
                    "published_version": version.number if version else None,
                    "counts": response_counts(survey=survey),
                }
            )
        return Response(StaffSurveyOutputSerializer(rows, many=True).data)


class StaffSurveyResultsApi(APIView):
    permission_classes = [RulesPermission, MfaConfirmedPermission]
    required_perm = "surveys.view_results"

    class FilterSerializer(serializers.Serializer):
        version = serializers.IntegerField(
            required=False, min_value=1, help_text="Default: the latest published version."
        )
        channel = serializers.ChoiceField(choices=SurveyResponse.Channel.choices, required=False)
        breakdown = serializers.ChoiceField(
            choices=[("buurt", "buurt"), ("wijk", "wijk")], required=False
        )

    @extend_schema(
        operation_id="surveys_staff_survey_results",
        summary="Results per question (staff)",
        description="Per question: distributions, means, overlast clusters, scale scores and "
        "the domain.md §9 indicators, on one questionnaire version. Figures whose base is "
        "below `min_cell_n` are suppressed (value null, `suppressed` true); with `breakdown` "
        "also per buurt or wijk, small groups suppressed as a whole (with complementary "
        "suppression). Open-link results are `indicative`. Figures are weighted to the CBS "
        "population (raking on age band, sex and wijk; `weighting` says how, or why not) "
        "and carry a 95 % interval (`ci_low`, `ci_high`), the Kish effective n (`n_eff`) and "
        "the `unweighted_value`; suppression uses the unweighted `n`.",
        parameters=[FilterSerializer],
        responses={200: SurveyResultsOutputSerializer, **STAFF_ERRORS},
    )
    def get(self, request: Request, slug: str) -> Response:
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        v = params.validated_data
        survey = _staff_survey(slug)
        version = self._version(survey, v.get("version"))
        results = survey_results(
            version=version, channel=v.get("channel"), breakdown=v.get("breakdown")
        )
        data = {
            "survey": survey.slug,
            "channel": v.get("channel"),
            "results": results,
            "indicators": indicators_compute(questions=results.questions),
            "group_indicators": {
                g.code: indicators_compute(questions=g.questions) for g in results.groups
            },
        }
        return Response(SurveyResultsOutputSerializer(data).data)

    @staticmethod
    def _version(survey: Survey, number: int | None) -> SurveyVersion:
        if number is None:
            version = survey_version_published(survey=survey)
        else:
            version = survey.versions.filter(number=number, published_at__isnull=False).first()
        if version is None:
            raise serializers.ValidationError(
                {"version": [_("Deze vragenlijst heeft geen gepubliceerde versie met dit nummer.")]}
            )
        return version


class StaffResponseRateApi(APIView):
    permission_classes = [RulesPermission, MfaConfirmedPermission]
    required_perm = "surveys.view_results"

    @extend_schema(
        operation_id="surveys_staff_response_rates",
        summary="Response rates by buurt × age band (staff)",
        description="Panel surveys: invited, started, answered and the rate per buurt × age "
        "band of the invited members (`kind` invitations). Open-link surveys: submitted "
        "responses per cell (`kind` responses, no rate). Cells below `min_cell_n` are "
        "suppressed, with complementary suppression in rows and columns.",
        responses={200: ResponseRateOutputSerializer, **STAFF_ERRORS},
    )
    def get(self, request: Request, slug: str) -> Response:
        survey = _staff_survey(slug)
        data = {"survey": survey.slug, "overview": response_rate_overview(survey=survey)}
        return Response(ResponseRateOutputSerializer(data).data)


class TrendPointOutputSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="Null: withheld (too few answers).")
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField(allow_null=True)
    weighted = serializers.BooleanField()


class TrendRowOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    about = serializers.CharField()
    unit = serializers.CharField()
    before = TrendPointOutputSerializer()
    after = TrendPointOutputSerializer()
    change = serializers.FloatField(allow_null=True)
    significant = serializers.BooleanField(
        allow_null=True, help_text="The two 95 % intervals do not overlap (null: no interval)."
    )


class TrendOutputSerializer(serializers.Serializer):
    channel = serializers.CharField()
    before_weighted = serializers.BooleanField()
    after_weighted = serializers.BooleanField()
    comparable_weighting = serializers.BooleanField()
    rows = TrendRowOutputSerializer(many=True)


class StaffIndicatorTrendApi(APIView):
    permission_classes = [RulesPermission, MfaConfirmedPermission]
    required_perm = "surveys.view_results"

    class FilterSerializer(serializers.Serializer):
        before = serializers.SlugField(help_text="Slug of the earlier survey (the nulmeting).")
        before_version = serializers.IntegerField(required=False, min_value=1)
        after = serializers.SlugField(help_text="Slug of the later survey.")
        after_version = serializers.IntegerField(required=False, min_value=1)
        channel = serializers.ChoiceField(
            choices=SurveyResponse.Channel.choices, default=SurveyResponse.Channel.PANEL
        )

    @extend_schema(
        operation_id="surveys_staff_indicator_trend",
        summary="Indicator trend between two survey waves (staff)",
        description="The domain.md §9 indicators both versions measure, each with the value, "
        "95 % interval and n in both, the change and whether it is significant (the "
        "intervals do not overlap, a conservative test). One channel; open-link results are "
        "indicative. Default versions: the latest published.",
        parameters=[FilterSerializer],
        responses={200: TrendOutputSerializer, **STAFF_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        v = params.validated_data
        before = StaffSurveyResultsApi._version(_staff_survey(v["before"]), v.get("before_version"))
        after = StaffSurveyResultsApi._version(_staff_survey(v["after"]), v.get("after_version"))
        if before.pk == after.pk:
            raise serializers.ValidationError({"after": [_("Kies twee verschillende metingen.")]})
        trend = indicator_trend(before=before, after=after, channel=v["channel"])
        return Response(TrendOutputSerializer(trend).data)

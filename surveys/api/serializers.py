"""Output serializers of the surveys API (input serializers live on the views).

Public shapes carry the questionnaire (both languages) and a respondent's own answers, never
anything about other respondents. Staff shapes carry aggregates only: every figure has its
unweighted base n and a `suppressed` flag (small cells are withheld, see surveys.results),
and its 95 % interval, effective n and unweighted value (see surveys.weighting).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from surveys.models import Question, Survey
from surveys.scales import (
    DONT_KNOW,
    DONT_KNOW_LABEL,
    DONT_KNOW_LABEL_EN,
    NUISANCE,
    OCCURS,
    SCALES,
)
from surveys.validation import CHOICE_TYPES, SCALE_TYPES

# Plain strings, not enums: OpenAPI names enums after the field, and "status" already names
# other enums in the schema.
STATUS_HELP = "`draft`, `published` or `closed`."
DISTRIBUTION_HELP = "`open_link` (anyone, indicative results) or `panel_only` (by invitation)."

# --- Questionnaire ----------------------------------------------------------------------------


class ChoiceOutputSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    label_en = serializers.CharField()


class RowOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    label_en = serializers.CharField()
    cluster = serializers.CharField(
        required=False, help_text="Overlast grid only: the CBS cluster of the row."
    )
    reverse = serializers.BooleanField(
        required=False, help_text="A negatively worded statement (reverse-scored)."
    )


def question_choices(question: Question) -> list[dict[str, str]]:
    """The closed values a question (or each grid row) accepts, with labels, without
    "weet niet" (that is `dont_know` when allowed)."""
    if question.type in CHOICE_TYPES or (
        question.type == Question.Type.GRID and question.scale == Question.Scale.OPTIONS
    ):
        return [
            {"value": o["value"], "label": o["label"], "label_en": o.get("label_en") or o["label"]}
            for o in question.options
        ]
    if question.type in SCALE_TYPES:
        return [p.as_option() for p in SCALES[question.type]]
    if question.type == Question.Type.GRID:
        return [p.as_option() for p in SCALES.get(question.scale, ())]
    if question.type == Question.Type.OVERLAST_GRID:
        return [p.as_option() for p in OCCURS]
    return []


class QuestionOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    type = serializers.ChoiceField(choices=Question.Type.choices)
    text = serializers.CharField()
    text_en = serializers.CharField()
    help = serializers.CharField()
    help_en = serializers.CharField()
    required = serializers.BooleanField()
    allow_dont_know = serializers.BooleanField()
    dont_know = serializers.SerializerMethodField(
        help_text='The "weet niet / n.v.t." value and labels when allowed, else null.'
    )
    choices = serializers.SerializerMethodField(
        help_text="Closed values (per row for grids; the first step for the overlast grid)."
    )
    nuisance_choices = serializers.SerializerMethodField(
        help_text='Overlast grid: the second step ("overlast"), asked when "komt_voor" is ja.'
    )
    rows = RowOutputSerializer(many=True)
    scale = serializers.CharField(help_text="Grid scale (agree_5, satisfied_5, yes_no, …).")
    max_choices = serializers.IntegerField(allow_null=True)
    min_value = serializers.FloatField(allow_null=True)
    max_value = serializers.FloatField(allow_null=True)
    max_length = serializers.IntegerField(allow_null=True)
    condition = serializers.JSONField(
        allow_null=True,
        help_text='Shown only when it holds, e.g. {"question": "Q10", "operator": "equals", '
        '"value": "ja"}; see docs/surveys-api.md.',
    )
    profile_field = serializers.CharField(
        help_text="age_band, sex or buurt: a background question (not asked to panel members)."
    )
    indicator_codes = serializers.ListField(child=serializers.CharField())

    @extend_schema_field(ChoiceOutputSerializer(allow_null=True))
    def get_dont_know(self, question: Question) -> dict[str, str] | None:
        if not question.allow_dont_know:
            return None
        return {"value": DONT_KNOW, "label": DONT_KNOW_LABEL, "label_en": DONT_KNOW_LABEL_EN}

    @extend_schema_field(ChoiceOutputSerializer(many=True))
    def get_choices(self, question: Question) -> list[dict[str, str]]:
        return question_choices(question)

    @extend_schema_field(ChoiceOutputSerializer(many=True))
    def get_nuisance_choices(self, question: Question) -> list[dict[str, str]]:
        if question.type != Question.Type.OVERLAST_GRID:
            return []
        return [p.as_option() for p in NUISANCE]


class SectionOutputSerializer(serializers.Serializer):
    title = serializers.CharField()
    title_en = serializers.CharField()
    condition = serializers.JSONField(allow_null=True)
    questions = QuestionOutputSerializer(many=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        section, questions = instance
        return {
            "title": section.title,
            "title_en": section.title_en,
            "condition": section.condition,
            "questions": QuestionOutputSerializer(questions, many=True).data,
        }


class SurveyDefinitionOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    intro = serializers.CharField()
    intro_en = serializers.CharField()
    status = serializers.CharField(help_text=STATUS_HELP)
    distribution = serializers.CharField(help_text=DISTRIBUTION_HELP)
    indicative = serializers.BooleanField(
        source="results_indicative",
        help_text="Open-link results are not a sample and are labelled indicative.",
    )
    accepts_responses = serializers.SerializerMethodField()
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    version = serializers.SerializerMethodField(help_text="The published questionnaire version.")
    sections = serializers.SerializerMethodField()

    def get_accepts_responses(self, survey: Survey) -> bool:
        return survey.accepts_responses_at()

    def get_version(self, survey: Survey) -> int:
        return self.context["version"].number

    @extend_schema_field(SectionOutputSerializer(many=True))
    def get_sections(self, survey: Survey) -> list[dict[str, Any]]:
        return SectionOutputSerializer(self.context["questionnaire"], many=True).data


# --- Responding -------------------------------------------------------------------------------


class ResponseStateOutputSerializer(serializers.Serializer):
    """A respondent's own unsubmitted response."""

    survey = serializers.CharField(source="response.survey.slug")
    version = serializers.IntegerField(source="response.survey_version.number")
    channel = serializers.CharField(source="response.channel")
    known_profile_fields = serializers.ListField(
        child=serializers.CharField(),
        help_text="Background fields already known (panel): those questions are not shown.",
    )
    visible_questions = serializers.ListField(
        child=serializers.CharField(),
        help_text="Codes of the questions shown for the answers so far, in order.",
    )
    answers = serializers.DictField(
        child=serializers.JSONField(),
        help_text="{question code: value}; grids {row key: value}.",
    )


class ResponseStartOutputSerializer(ResponseStateOutputSerializer):
    resume_token = serializers.CharField(
        help_text="Secret, shown once: send it as X-Resume-Token to save, resume and submit."
    )


class ResponseSubmitOutputSerializer(serializers.Serializer):
    submitted = serializers.BooleanField()
    survey = serializers.CharField()


# --- Staff: list ------------------------------------------------------------------------------


class StaffSurveyOutputSerializer(serializers.Serializer):
    slug = serializers.CharField(source="survey.slug")
    title = serializers.CharField(source="survey.title")
    title_en = serializers.CharField(source="survey.title_en")
    status = serializers.CharField(source="survey.status", help_text=STATUS_HELP)
    distribution = serializers.CharField(source="survey.distribution", help_text=DISTRIBUTION_HELP)
    panel = serializers.CharField(source="survey.panel.slug", allow_null=True, default=None)
    opens_at = serializers.DateTimeField(source="survey.opens_at", allow_null=True)
    closes_at = serializers.DateTimeField(source="survey.closes_at", allow_null=True)
    closed_at = serializers.DateTimeField(source="survey.closed_at", allow_null=True)
    published_version = serializers.IntegerField(allow_null=True)
    responses_started = serializers.IntegerField(source="counts.started")
    responses_submitted = serializers.IntegerField(source="counts.submitted")


# --- Staff: results ---------------------------------------------------------------------------


class RoundedFloatField(serializers.FloatField):
    """A float rounded to `digits` decimals on output."""

    def __init__(self, *, digits: int, **kwargs: Any) -> None:
        self.digits = digits
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> float:
        return round(float(value), self.digits)


class StatOutputSerializer(serializers.Serializer):
    value = serializers.FloatField(
        allow_null=True, help_text="Weighted when `weighted` is true, else unweighted."
    )
    n = serializers.IntegerField(
        allow_null=True, help_text="Unweighted base (suppression is decided on it)."
    )
    suppressed = serializers.BooleanField()
    ci_low = serializers.FloatField(allow_null=True, help_text="95 % interval, lower bound.")
    ci_high = serializers.FloatField(allow_null=True, help_text="95 % interval, upper bound.")
    n_eff = serializers.FloatField(
        allow_null=True, help_text="Kish effective n, (Σw)²/Σw² (= n when unweighted)."
    )
    unweighted_value = serializers.FloatField(allow_null=True)
    weighted = serializers.BooleanField()


class CellOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField(allow_null=True)
    percentage = serializers.FloatField(allow_null=True, help_text="Unweighted, count / n.")
    suppressed = serializers.BooleanField()
    weighted_percentage = serializers.FloatField(
        allow_null=True, help_text="Null when the results are unweighted."
    )


class DistributionOutputSerializer(serializers.Serializer):
    n = serializers.IntegerField(allow_null=True)
    dont_know = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField()
    cells = serializers.DictField(child=CellOutputSerializer())
    mean = StatOutputSerializer(allow_null=True)
    positive = StatOutputSerializer(
        allow_null=True, help_text="% (helemaal) eens / (zeer) tevreden."
    )
    n_eff = serializers.FloatField(allow_null=True)
    weighted = serializers.BooleanField()


class OverlastRowOutputSerializer(serializers.Serializer):
    occurs = StatOutputSerializer(help_text="% komt voor.")
    much = StatOutputSerializer(help_text="% veel overlast.")
    levels = DistributionOutputSerializer()


class ClusterOutputSerializer(serializers.Serializer):
    occurs = StatOutputSerializer()
    much = StatOutputSerializer()


class QuestionResultOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    type = serializers.CharField()
    text = serializers.CharField()
    text_en = serializers.CharField()
    indicator_codes = serializers.ListField(child=serializers.CharField())
    distribution = DistributionOutputSerializer(allow_null=True)
    rows = serializers.DictField(child=DistributionOutputSerializer())
    overlast_rows = serializers.DictField(child=OverlastRowOutputSerializer())
    clusters = serializers.DictField(child=ClusterOutputSerializer())
    scale_score = StatOutputSerializer(allow_null=True, help_text="Schaalscore 0–10.")
    any_yes = StatOutputSerializer(allow_null=True, help_text="% with at least one ja.")
    open_answers = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="Moderated public texts of approved open answers.",
    )
    open_answers_suppressed = serializers.BooleanField()


class IndicatorOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    question = serializers.CharField()
    key = serializers.CharField()
    value = serializers.FloatField(
        allow_null=True, help_text="Weighted when `weighted` is true, else unweighted."
    )
    n = serializers.IntegerField(allow_null=True, help_text="Unweighted base.")
    suppressed = serializers.BooleanField()
    unit = serializers.CharField()
    ci_low = serializers.FloatField(allow_null=True, help_text="95 % interval, lower bound.")
    ci_high = serializers.FloatField(allow_null=True, help_text="95 % interval, upper bound.")
    n_eff = serializers.FloatField(allow_null=True, help_text="Kish effective n.")
    weighted = serializers.BooleanField()
    unweighted_value = serializers.FloatField(allow_null=True)


class WeightingOutputSerializer(serializers.Serializer):
    weighted = serializers.BooleanField()
    reason = serializers.CharField(
        help_text="Empty when weighted; else `mixed_channels`, `no_responses`, "
        "`no_population`, `population_incomplete`, `margin_without_respondents`, "
        "`category_without_respondents` or `not_converged`."
    )
    reason_message = serializers.CharField(help_text="The reason in words (active language).")
    detail = serializers.DictField(
        help_text="What could not be fitted: `margin`, `fields`, `areas`, `categories`, "
        "`population_year`, `survey_year`, `iterations` (as applicable)."
    )
    population_year = serializers.IntegerField(
        allow_null=True, help_text="Year of the CBS figures used (latest ≤ the survey year)."
    )
    margins = serializers.ListField(
        child=serializers.CharField(), help_text="`wijk`, `age_band`, `sex`."
    )
    n = serializers.IntegerField(help_text="Respondents weighted.")
    n_eff = RoundedFloatField(digits=1, allow_null=True)
    weight_min = RoundedFloatField(digits=3, allow_null=True)
    weight_max = RoundedFloatField(digits=3, allow_null=True)
    trimmed = serializers.IntegerField(help_text="Respondents whose weight is at a bound.")
    max_margin_error = RoundedFloatField(
        digits=4,
        allow_null=True,
        help_text="Largest relative deviation of a weighted share from the population share "
        "(trimming can keep a margin from being met).",
    )
    left_out = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Per margin: respondents without a value for it (left out of that margin).",
    )


class GroupResultOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Buurt or wijk code (or 'onbekend').")
    n = serializers.IntegerField(allow_null=True)
    n_eff = serializers.FloatField(allow_null=True)
    suppressed = serializers.BooleanField()
    questions = serializers.DictField(child=QuestionResultOutputSerializer())
    indicators = IndicatorOutputSerializer(many=True)


class SurveyResultsOutputSerializer(serializers.Serializer):
    survey = serializers.CharField()
    version = serializers.IntegerField(source="results.version_number")
    indicative = serializers.BooleanField(source="results.indicative")
    n = serializers.IntegerField(source="results.n", allow_null=True)
    n_eff = serializers.FloatField(source="results.n_eff", allow_null=True)
    suppressed = serializers.BooleanField(source="results.suppressed")
    weighting = WeightingOutputSerializer(source="results.weighting")
    min_cell_n = serializers.IntegerField(source="results.min_cell_n")
    min_open_k = serializers.IntegerField(source="results.min_open_k")
    channel = serializers.CharField(allow_null=True)
    breakdown = serializers.CharField(source="results.breakdown_level", allow_null=True)
    questions = serializers.SerializerMethodField()
    indicators = IndicatorOutputSerializer(many=True)
    groups = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(child=QuestionResultOutputSerializer()))
    def get_questions(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            code: QuestionResultOutputSerializer(q).data
            for code, q in data["results"].questions.items()
        }

    @extend_schema_field(GroupResultOutputSerializer(many=True))
    def get_groups(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {
                "code": g.code,
                "n": g.n,
                "n_eff": g.n_eff,
                "suppressed": g.suppressed,
                "questions": {
                    code: QuestionResultOutputSerializer(q).data for code, q in g.questions.items()
                },
                "indicators": IndicatorOutputSerializer(
                    data["group_indicators"].get(g.code, []), many=True
                ).data,
            }
            for g in data["results"].groups
        ]


# --- Staff: response rates ------------------------------------------------------------------


class RateCellOutputSerializer(serializers.Serializer):
    base = serializers.IntegerField(
        allow_null=True, help_text="Invited (panel) or submitted responses (open link)."
    )
    started = serializers.IntegerField(allow_null=True)
    responded = serializers.IntegerField(allow_null=True)
    rate = serializers.FloatField(allow_null=True, help_text="% answered of invited (panel).")
    suppressed = serializers.BooleanField()


class RateRowOutputSerializer(serializers.Serializer):
    buurt = serializers.CharField()
    cells = serializers.DictField(child=RateCellOutputSerializer(), help_text="By age band.")
    total = RateCellOutputSerializer()


class ResponseRateOutputSerializer(serializers.Serializer):
    survey = serializers.CharField()
    kind = serializers.CharField(
        source="overview.kind",
        help_text="`invitations` (panel: rates of invited members) or `responses` (open link).",
    )
    min_cell_n = serializers.IntegerField(source="overview.min_cell_n")
    age_bands = serializers.ListField(source="overview.age_bands", child=serializers.CharField())
    rows = RateRowOutputSerializer(source="overview.rows", many=True)
    age_band_totals = serializers.DictField(
        source="overview.age_band_totals", child=RateCellOutputSerializer()
    )
    total = RateCellOutputSerializer(source="overview.total")

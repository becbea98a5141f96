"""Pure validation: answers per question type, question definitions and conditional display.
No database: questions are built with QuestionFactory.build() and areas are faked."""

import pytest

from geo.exceptions import OutsideMunicipalityError, SwappedCoordinatesError
from surveys.exceptions import AnswerInvalidError
from surveys.models import Question
from surveys.scales import DONT_KNOW
from surveys.validation import (
    condition_matches,
    missing_answers,
    question_definition_errors,
    questionnaire_errors,
    validate_answer,
    visible_questions,
)
from tests.surveys.factories import QuestionFactory, SectionFactory

T = Question.Type
OVERLAST_ROWS = [
    {"key": "rommel", "label": "Rommel", "cluster": "fysieke_verloedering"},
    {"key": "drugs", "label": "Drugs", "cluster": "sociale_overlast"},
]
GRID_ROWS = [{"key": "r1", "label": "Rij 1"}, {"key": "r2", "label": "Rij 2"}]


class FakeAreas:
    """Buurt BU05460001 exists; points with lat < 52 lie outside the municipality, points
    with lat > 60 are "swapped"."""

    def buurt_exists(self, code: str) -> bool:
        return code in {"BU05460001", "BU05990001"}

    def buurt_code_for_point(self, lat: float, lon: float) -> str:
        if lat > 60:
            raise SwappedCoordinatesError()
        if lat < 52:
            raise OutsideMunicipalityError(extra={"lat": lat, "lon": lon})
        return "BU05460001" if lat < 53 else "BU05990001"


def validate(question, value):
    return validate_answer(question, value, municipality_code="GM0546", areas=FakeAreas())


def build(type_, **kwargs):
    if type_ in (T.GRID,):
        kwargs.setdefault("rows", GRID_ROWS)
        kwargs.setdefault("scale", "agree_5")
    if type_ == T.OVERLAST_GRID:
        kwargs.setdefault("rows", OVERLAST_ROWS)
    kwargs.setdefault("code", "Q9")
    return QuestionFactory.build(type=type_, **kwargs)


def cond(question, operator, value=None, **extra):
    condition = {"question": question, "operator": operator, **extra}
    if value is not None:
        condition["value"] = value
    return condition


# --- Valid answers per type -----------------------------------------------------------------

VALID = [
    (T.SINGLE_CHOICE, {}, "b", {"": "b"}),
    (T.MULTIPLE_CHOICE, {"max_choices": 2}, ["a", "c"], {"": ["a", "c"]}),
    (T.MULTIPLE_CHOICE, {}, [], {"": None}),
    (T.AGREE_5, {}, "helemaal_oneens", {"": "helemaal_oneens"}),
    (T.SATISFIED_5, {}, "tevreden", {"": "tevreden"}),
    (T.FREQUENCY, {}, "soms", {"": "soms"}),
    (T.MARK_1_10, {}, 7, {"": 7}),
    (T.MARK_1_10, {}, "10", {"": 10}),
    (T.MARK_1_10, {}, 1.0, {"": 1}),
    (T.NUMBER, {"min_value": 0, "max_value": 5}, "2,5", {"": 2.5}),
    (T.NUMBER, {"min_value": -3}, -3, {"": -3}),
    (T.OPEN_TEXT, {"max_length": 10}, "  kort\r\n ", {"": "kort"}),
    (T.OPEN_TEXT, {}, "   ", {"": None}),
    (T.GRID, {}, {"r1": "eens", "r2": None}, {"r1": "eens", "r2": None}),
    (T.GRID, {"scale": "yes_no"}, {"r2": "nee"}, {"r2": "nee"}),
    (T.GRID, {"scale": "options"}, {"r1": "c"}, {"r1": "c"}),
    (
        T.OVERLAST_GRID,
        {},
        {"rommel": {"komt_voor": "ja", "overlast": "veel"}, "drugs": {"komt_voor": "nee"}},
        {"rommel": {"komt_voor": "ja", "overlast": "veel"}, "drugs": {"komt_voor": "nee"}},
    ),
    (T.OVERLAST_GRID, {}, {"rommel": {"komt_voor": "ja"}}, {"rommel": {"komt_voor": "ja"}}),
    (T.BUURT_CHOICE, {}, " bu05460001 ", {"": "BU05460001"}),
    (
        T.LOCATION,
        {},
        {"lat": 52.1601234567, "lon": 4.49},
        {"": {"lat": 52.160123, "lon": 4.49, "buurt": "BU05460001"}},
    ),
    (
        T.LOCATION,
        {},
        {"buurt": "BU05460001", "description": " Bij het speelveld "},
        {"": {"buurt": "BU05460001", "description": "Bij het speelveld"}},
    ),
    (T.FREQUENCY, {}, None, {"": None}),
]


@pytest.mark.parametrize(("type_", "attrs", "value", "expected"), VALID)
def test_validate_answer_accepts_and_normalises_valid_answers(type_, attrs, value, expected):
    assert validate(build(type_, **attrs), value) == expected


INVALID = [
    (T.SINGLE_CHOICE, {}, "z", "kies een van de antwoordmogelijkheden"),
    (T.SINGLE_CHOICE, {}, 1, "kies een van de antwoordmogelijkheden"),
    (T.SINGLE_CHOICE, {}, DONT_KNOW, "kies een van de antwoordmogelijkheden"),
    (T.MULTIPLE_CHOICE, {}, "a", "lijst"),
    (T.MULTIPLE_CHOICE, {}, ["a", "z"], "'z' is geen antwoordmogelijkheid"),
    (T.MULTIPLE_CHOICE, {}, ["a", "a"], "twee keer"),
    (T.MULTIPLE_CHOICE, {"max_choices": 2}, ["a", "b", "c"], "hoogstens 2"),
    (T.AGREE_5, {}, "tevreden", "kies een van"),
    (T.SATISFIED_5, {}, "eens", "kies een van"),
    (T.FREQUENCY, {}, "altijd", "kies een van"),
    (T.MARK_1_10, {}, 0, "1 tot en met 10"),
    (T.MARK_1_10, {}, 11, "1 tot en met 10"),
    (T.MARK_1_10, {}, 7.5, "1 tot en met 10"),
    (T.MARK_1_10, {}, True, "getal"),
    (T.MARK_1_10, {}, "zeven", "getal"),
    (T.NUMBER, {"min_value": 0, "max_value": 5}, 6, "0 tot en met 5"),
    (T.NUMBER, {"min_value": 0}, -1, "0 tot en met ∞"),
    (T.NUMBER, {}, float("nan"), "getal"),
    (T.OPEN_TEXT, {"max_length": 5}, "te lang!", "hooguit 5 tekens"),
    (T.OPEN_TEXT, {}, 12, "tekst"),
    (T.GRID, {}, "eens", "per rij"),
    (T.GRID, {}, {"r3": "eens"}, "rij 'r3'"),
    (T.GRID, {}, {"r1": "vaak"}, "rij 'r1'"),
    (T.OVERLAST_GRID, {}, {"rommel": "ja"}, "rij 'rommel'"),
    (T.OVERLAST_GRID, {}, {"rommel": {"komt_voor": "nee", "overlast": "veel"}}, "alleen"),
    (T.OVERLAST_GRID, {}, {"rommel": {"overlast": "veel"}}, "eerst aan of dit"),
    (T.OVERLAST_GRID, {}, {"rommel": {"komt_voor": "ja", "overlast": "heel veel"}}, "veel"),
    (T.OVERLAST_GRID, {}, {"rommel": {"komt_voor": "ja", "extra": 1}}, "rij 'rommel'"),
    (T.BUURT_CHOICE, {}, "BU05460002", "buurt in de gemeente"),
    (T.BUURT_CHOICE, {}, "BU05990001", "buurt in de gemeente"),
    (T.BUURT_CHOICE, {}, "WK054600", "buurt in de gemeente"),
    (T.LOCATION, {}, {"lat": 51.0, "lon": 4.4}, "niet in een buurt van de gemeente"),
    (T.LOCATION, {}, {"lat": 70.0, "lon": 4.4}, "verwisseld"),
    (T.LOCATION, {}, {"lat": 53.5, "lon": 4.4}, "niet in de gemeente"),
    (T.LOCATION, {}, {"lat": 52.1}, "zowel"),
    (T.LOCATION, {}, {"buurt": "BU05460001", "description": "x"}, "beschrijf de plek"),
    (T.LOCATION, {}, {"buurt": "BU05460009", "description": "bij de kerk"}, "buurt"),
    (T.LOCATION, {}, "ergens", "kaart"),
]


@pytest.mark.parametrize(("type_", "attrs", "value", "message"), INVALID)
def test_validate_answer_refuses_invalid_answers_naming_the_question(type_, attrs, value, message):
    with pytest.raises(AnswerInvalidError) as exc:
        validate(build(type_, **attrs), value)
    assert message in str(exc.value)
    assert str(exc.value).startswith("Vraag Q9")
    assert exc.value.extra["question"] == "Q9"


def test_validate_answer_names_the_row_of_a_grid():
    with pytest.raises(AnswerInvalidError) as exc:
        validate(build(T.OVERLAST_GRID), {"drugs": {"komt_voor": "misschien"}})
    assert exc.value.extra["row"] == "drugs"
    assert str(exc.value).startswith("Vraag Q9, rij 'drugs'")


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        (T.SINGLE_CHOICE, DONT_KNOW),
        (T.MULTIPLE_CHOICE, DONT_KNOW),
        (T.FREQUENCY, DONT_KNOW),
        (T.MARK_1_10, DONT_KNOW),
        (T.NUMBER, DONT_KNOW),
        (T.BUURT_CHOICE, DONT_KNOW),
        (T.LOCATION, DONT_KNOW),
    ],
)
def test_dont_know_is_accepted_only_when_allowed(type_, value):
    assert validate(build(type_, allow_dont_know=True), value) == {"": DONT_KNOW}
    with pytest.raises(AnswerInvalidError):
        validate(build(type_, allow_dont_know=False), value)


def test_dont_know_per_row_in_grids():
    grid = build(T.GRID, allow_dont_know=True)
    overlast = build(T.OVERLAST_GRID, allow_dont_know=True)
    assert validate(grid, {"r1": DONT_KNOW}) == {"r1": DONT_KNOW}
    assert validate(overlast, {"drugs": DONT_KNOW}) == {"drugs": DONT_KNOW}
    with pytest.raises(AnswerInvalidError):
        validate(build(T.GRID), {"r1": DONT_KNOW})


# --- Completeness at submit -----------------------------------------------------------------


def test_missing_answers_required_question_and_grid_rows():
    assert missing_answers(build(T.FREQUENCY, required=True), {}) == [
        ("", "deze vraag is verplicht.")
    ]
    assert missing_answers(build(T.FREQUENCY, required=False), {}) == []
    grid = build(T.GRID, required=True)
    assert [row for row, _m in missing_answers(grid, {"r1": "eens"})] == ["r2"]


def test_overlast_row_answered_komt_voor_needs_its_second_step_even_when_optional():
    question = build(T.OVERLAST_GRID, required=False)
    stored = {"rommel": {"komt_voor": "ja"}, "drugs": {"komt_voor": "nee"}}
    assert missing_answers(question, stored) == [
        ("rommel", "geef aan hoeveel overlast u ervan ervaart.")
    ]
    stored["rommel"] = {"komt_voor": "ja", "overlast": "geen"}
    assert missing_answers(question, stored) == []


# --- Question definitions -------------------------------------------------------------------


DEFINITION_ERRORS = [
    ({"type": T.SINGLE_CHOICE, "options": [{"value": "a", "label": "A"}]}, "twee"),
    (
        {
            "type": T.SINGLE_CHOICE,
            "options": [{"value": "a", "label": "A"}, {"value": "a", "label": "B"}],
        },
        "twee keer",
    ),
    (
        {
            "type": T.SINGLE_CHOICE,
            "options": [{"value": "a", "label": "A"}, {"value": DONT_KNOW, "label": "?"}],
        },
        "geen geldige waarde",
    ),
    ({"type": T.MULTIPLE_CHOICE, "max_choices": 4}, "maximaal aantal keuzes"),
    ({"type": T.FREQUENCY, "max_choices": 1}, "meerkeuzevragen"),
    ({"type": T.FREQUENCY, "options": [{"value": "a", "label": "A"}]}, "geen antwoordmog"),
    ({"type": T.GRID, "rows": [], "scale": "agree_5"}, "ten minste één rij"),
    ({"type": T.GRID, "rows": GRID_ROWS, "scale": ""}, "schaal"),
    ({"type": T.GRID, "rows": [*GRID_ROWS, GRID_ROWS[0]], "scale": "yes_no"}, "twee keer"),
    ({"type": T.GRID, "rows": [{"key": "Rij 1", "label": "x"}], "scale": "yes_no"}, "sleutel"),
    ({"type": T.OVERLAST_GRID, "rows": [{"key": "x", "label": "X"}]}, "overlastcluster"),
    ({"type": T.FREQUENCY, "rows": GRID_ROWS}, "alleen tabellen"),
    ({"type": T.NUMBER, "min_value": 5, "max_value": 1}, "groter dan het maximum"),
    ({"type": T.OPEN_TEXT, "allow_dont_know": True}, "weet niet"),
    ({"type": T.OPEN_TEXT, "max_length": 0}, "maximale lengte"),
    ({"type": T.FREQUENCY, "indicator_codes": ["onveilig"]}, "indicatoren"),
    ({"type": T.FREQUENCY, "profile_field": "age_band"}, "keuzevraag"),
    ({"type": T.FREQUENCY, "profile_field": "buurt"}, "buurtvraag"),
    ({"type": T.FREQUENCY, "code": "3Q"}, "code"),
    ({"type": T.FREQUENCY, "text": " "}, "vraagtekst"),
    ({"type": T.FREQUENCY, "condition": {"question": "Q1", "operator": "is"}}, "vergelijking"),
    (
        {"type": T.FREQUENCY, "condition": {"question": "Q1", "operator": "in", "value": "a"}},
        "lijst",
    ),
    ({"type": T.FREQUENCY, "condition": {"any": []}}, "niet-lege lijst"),
]


@pytest.mark.parametrize(("attrs", "message"), DEFINITION_ERRORS)
def test_question_definition_errors(attrs, message):
    errors = question_definition_errors(QuestionFactory.build(**attrs))
    assert any(message in e for e in errors), errors


def test_question_definition_without_errors():
    assert question_definition_errors(build(T.OVERLAST_GRID)) == []
    assert question_definition_errors(build(T.GRID, scale="options")) == []
    assert question_definition_errors(build(T.MULTIPLE_CHOICE, max_choices=3)) == []


def test_questionnaire_errors_conditions_must_refer_to_earlier_questions():
    section = SectionFactory.build(condition=None)
    q1 = build(T.FREQUENCY, code="Q1")
    q2 = build(
        T.FREQUENCY, code="Q2", condition={"question": "Q3", "operator": "equals", "value": "vaak"}
    )
    q3 = build(
        T.FREQUENCY, code="Q3", condition={"question": "Q1", "operator": "equals", "value": "ja"}
    )
    q4 = build(T.FREQUENCY, code="Q1")
    problems = questionnaire_errors([(section, [q1, q2, q3, q4])])
    messages = [p.message for p in problems]
    assert any("Q3, dat geen eerdere vraag is" in m for m in messages)
    assert any("'ja' is geen antwoordmogelijkheid van Q1" in m for m in messages)
    assert any("De code Q1 komt twee keer voor" in m for m in messages)


def test_questionnaire_errors_checks_rows_parts_and_numeric_operators():
    grid = build(T.OVERLAST_GRID, code="Q1")
    text = build(T.FREQUENCY, code="Q2")
    bad = [
        build(T.FREQUENCY, code="Q3", condition=cond("Q1", "answered", row="x")),
        build(T.FREQUENCY, code="Q4", condition=cond("Q2", "answered", part="overlast")),
        build(T.FREQUENCY, code="Q5", condition=cond("Q2", "gte", 3)),
        build(T.FREQUENCY, code="Q6", condition=cond("Q1", "equals", "ja", part="overlast")),
    ]
    messages = [
        p.message for p in questionnaire_errors([(SectionFactory.build(), [grid, text, *bad])])
    ]
    assert any("Q1 heeft geen rij x" in m for m in messages)
    assert any("'part' kan alleen bij een overlasttabel" in m for m in messages)
    assert any("'gte' kan alleen bij een cijfer- of getalvraag" in m for m in messages)
    assert any("'ja' is geen antwoordmogelijkheid van Q1" in m for m in messages)


def test_questionnaire_errors_section_condition_and_empty_and_double_profile():
    s1 = SectionFactory.build(condition=None)
    s2 = SectionFactory.build(condition={"question": "Q9", "operator": "answered"})
    age = [{"value": "15-24", "label": "15-24"}, {"value": "25-44", "label": "25-44"}]
    b1 = build(T.SINGLE_CHOICE, code="B1", profile_field="age_band", options=age)
    b2 = build(T.SINGLE_CHOICE, code="B2", profile_field="age_band", options=age)
    messages = [p.message for p in questionnaire_errors([(s1, [b1]), (s2, [b2])])]
    assert any(m.startswith("Onderdeel 2:") and "Q9" in m for m in messages)
    assert any("age_band wordt al gevraagd in B1" in m for m in messages)
    assert [p.message for p in questionnaire_errors([(s1, [])])] == [
        "De vragenlijst heeft nog geen vragen."
    ]


# --- Conditions and display -----------------------------------------------------------------

Q_FREQ = build(T.FREQUENCY, code="F", allow_dont_know=True)
Q_MULTI = build(T.MULTIPLE_CHOICE, code="M")
Q_MARK = build(T.MARK_1_10, code="K")
Q_GRID = build(T.GRID, code="G", scale="yes_no")
Q_OVERLAST = build(T.OVERLAST_GRID, code="O")
QUESTIONS = {q.code: q for q in (Q_FREQ, Q_MULTI, Q_MARK, Q_GRID, Q_OVERLAST)}
ANSWERS = {
    "F": {"": "soms"},
    "M": {"": ["a", "c"]},
    "K": {"": 6},
    "G": {"r1": "nee", "r2": "ja"},
    "O": {"rommel": {"komt_voor": "ja", "overlast": "veel"}, "drugs": {"komt_voor": "nee"}},
}

CONDITIONS = [
    ({"question": "F", "operator": "equals", "value": "soms"}, True),
    ({"question": "F", "operator": "equals", "value": "vaak"}, False),
    ({"question": "F", "operator": "not_equals", "value": "vaak"}, True),
    ({"question": "F", "operator": "in", "value": ["vaak", "soms"]}, True),
    ({"question": "F", "operator": "answered"}, True),
    ({"question": "M", "operator": "equals", "value": "c"}, True),
    ({"question": "M", "operator": "not_equals", "value": "c"}, False),
    ({"question": "M", "operator": "in", "value": ["b"]}, False),
    ({"question": "K", "operator": "gte", "value": 6}, True),
    ({"question": "K", "operator": "gte", "value": 7}, False),
    ({"question": "K", "operator": "lte", "value": 5}, False),
    ({"question": "G", "operator": "equals", "value": "ja"}, True),
    ({"question": "G", "row": "r1", "operator": "equals", "value": "ja"}, False),
    ({"question": "G", "operator": "not_equals", "value": "ja"}, False),
    ({"question": "O", "operator": "equals", "value": "ja"}, True),
    ({"question": "O", "part": "overlast", "operator": "equals", "value": "veel"}, True),
    ({"question": "O", "row": "drugs", "part": "overlast", "operator": "answered"}, False),
    ({"question": "X", "operator": "answered"}, False),
    ({"all": [cond("F", "answered"), cond("K", "lte", 6)]}, True),
    ({"all": [cond("F", "answered"), cond("K", "lte", 5)]}, False),
    ({"any": [cond("F", "equals", "vaak"), cond("M", "equals", "a")]}, True),
]


@pytest.mark.parametrize(("condition", "expected"), CONDITIONS)
def test_condition_matches(condition, expected):
    assert condition_matches(condition, ANSWERS, QUESTIONS) is expected


def test_condition_on_unanswered_or_dont_know_is_false_unless_it_names_dont_know():
    answers = {"F": {"": DONT_KNOW}}
    assert condition_matches({"question": "F", "operator": "answered"}, answers, QUESTIONS) is False
    assert (
        condition_matches(
            {"question": "F", "operator": "not_equals", "value": "vaak"}, answers, QUESTIONS
        )
        is False
    )
    assert (
        condition_matches(
            {"question": "F", "operator": "equals", "value": DONT_KNOW}, answers, QUESTIONS
        )
        is True
    )
    assert condition_matches({"question": "F", "operator": "answered"}, {}, QUESTIONS) is False


def test_visible_questions_question_and_section_conditions_cascade():
    s1 = SectionFactory.build(condition=None)
    s2 = SectionFactory.build(condition={"question": "A", "operator": "equals", "value": "a"})
    a = build(T.SINGLE_CHOICE, code="A")
    b = build(
        T.SINGLE_CHOICE, code="B", condition={"question": "A", "operator": "equals", "value": "b"}
    )
    c = build(T.SINGLE_CHOICE, code="C", condition={"question": "B", "operator": "answered"})
    d = build(T.SINGLE_CHOICE, code="D")
    questionnaire = [(s1, [a, b, c]), (s2, [d])]

    def shown(answers):
        return [q.code for q in visible_questions(questionnaire, answers)]

    assert shown({}) == ["A"]
    assert shown({"A": {"": "b"}, "B": {"": "a"}}) == ["A", "B", "C"]
    # B is hidden once A changes, so C (which depends on B's answer) is hidden too.
    assert shown({"A": {"": "a"}, "B": {"": "a"}}) == ["A", "D"]


def test_visible_questions_skips_known_background_questions():
    s1 = SectionFactory.build(condition=None)
    b3 = build(T.BUURT_CHOICE, code="B3", profile_field="buurt")
    q1 = build(T.FREQUENCY, code="Q1")
    assert [q.code for q in visible_questions([(s1, [q1, b3])], {})] == ["Q1", "B3"]
    assert [
        q.code for q in visible_questions([(s1, [q1, b3])], {}, known_profile_fields={"buurt"})
    ] == ["Q1"]

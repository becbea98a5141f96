"""Pure validation of questionnaires and answers (no database access).

Answer shapes (the `value` of `Answer`; grids store one Answer per row, with `row_key`):

| type | value |
|---|---|
| single_choice | an option value (str) |
| multiple_choice | a non-empty list of distinct option values, at most `max_choices` |
| agree_5, satisfied_5, frequency | a scale value from `surveys.scales` |
| mark_1_10 | an int 1..10 |
| number | an int or float within `min_value` / `max_value` |
| open_text | a non-empty str of at most `max_length` characters (stripped) |
| grid | per row: a value of the grid's scale (`scale`, or `options` when scale = options) |
| overlast_grid | per row: {"komt_voor": "ja", "overlast": veel/een_beetje/geen} or |
| | {"komt_voor": "nee"} |
| buurt_choice | a CBS buurt code of the survey's municipality |
| location | {"lat", "lon", "buurt"} (a point inside the municipality; buurt derived) or |
| | {"buurt", "description"} (the non-map alternative) |

With `allow_dont_know` every answer (every row of a grid) may instead be "weet_niet".

Input to `validate_answer` is what a form or API sends: the value itself, or for grids a
dict {row_key: row value}; None (or an empty text / list) clears an answer. The result is
{row_key: normalised value or None}; row_key is "" for questions without rows.

Conditions (on a question or a section) have the shape
`{"question": code, "operator": op, "value": v}` with op one of equals, not_equals, in,
answered, gte, lte; optional "row" (a row key of a grid) and, for the overlast grid, "part"
("komt_voor" — the default — or "overlast"). `{"all": [...]}` and `{"any": [...]}` combine
conditions. Semantics: a condition on an unanswered or hidden question is false; on a grid
without "row" it holds when any row satisfies it; on a multiple-choice question the
selected options are compared one by one ("equals X": X was selected); "weet niet" answers
count as unanswered unless the condition's value names "weet_niet".
"""

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from geo.codes import AreaLevel, code_is_valid
from participation.models import PanelMembership
from surveys.exceptions import AnswerInvalidError
from surveys.scales import (
    DONT_KNOW,
    NUISANCE,
    NUISANCE_KEY,
    OCCURS,
    OCCURS_KEY,
    OVERLAST_CLUSTERS,
    SCALES,
)

QUESTION_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,19}$")
OPTION_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+\-]{0,59}$")
ROW_KEY = re.compile(r"^[a-z0-9][a-z0-9_]{0,39}$")
INDICATOR_CODE = re.compile(r"^[A-Z]{1,3}\d{1,3}$")
OPERATORS = ("equals", "not_equals", "in", "answered", "gte", "lte")
OPEN_TEXT_DEFAULT_MAX = 2000
OPEN_TEXT_HARD_MAX = 10000
LOCATION_DESCRIPTION_MIN = 3
LOCATION_DESCRIPTION_MAX = 500
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

QUESTION_TYPES = (
    "single_choice",
    "multiple_choice",
    "agree_5",
    "satisfied_5",
    "frequency",
    "mark_1_10",
    "number",
    "open_text",
    "grid",
    "overlast_grid",
    "buurt_choice",
    "location",
)
CHOICE_TYPES = ("single_choice", "multiple_choice")
SCALE_TYPES = ("agree_5", "satisfied_5", "frequency")
GRID_TYPES = ("grid", "overlast_grid")
NUMERIC_TYPES = ("mark_1_10", "number")
GRID_SCALES = ("agree_5", "satisfied_5", "frequency", "yes_no", "options")


class AreaResolver(Protocol):
    """The two database questions answer validation needs (see services.GeoAreaResolver)."""

    def buurt_exists(self, code: str) -> bool: ...

    def buurt_code_for_point(self, lat: float, lon: float) -> str:
        """The code of the buurt containing the point; raises a DomainError when the point
        is invalid or outside the municipality."""
        ...


# --- Questionnaire definition ---------------------------------------------------------------


def option_values(question: Any) -> list[str]:
    return [o.get("value") for o in question.options if isinstance(o, dict)]


def allowed_values(question: Any) -> list[str]:
    """The closed values a choice/scale question (or each row of a grid) accepts, without
    "weet niet"."""
    kind = question.type
    if kind in GRID_TYPES:
        if kind == "overlast_grid":
            return [p.value for p in OCCURS]
        kind = question.scale
        if kind == "options":
            return option_values(question)
        return [p.value for p in SCALES.get(kind, ())]
    if kind in CHOICE_TYPES:
        return option_values(question)
    if kind in SCALE_TYPES:
        return [p.value for p in SCALES[kind]]
    return []


def _options_errors(options: Any, what: str) -> list[str]:
    if not isinstance(options, list) or len(options) < 2:
        return [_("%(what)s: geef ten minste twee antwoordmogelijkheden.") % {"what": what}]
    errors: list[str] = []
    seen: set[str] = set()
    for i, option in enumerate(options, start=1):
        if not isinstance(option, dict):
            errors.append(
                _("%(what)s: antwoordmogelijkheid %(i)d is ongeldig.") % {"what": what, "i": i}
            )
            continue
        value, label = option.get("value"), option.get("label")
        if not isinstance(value, str) or not OPTION_VALUE.match(value) or value == DONT_KNOW:
            errors.append(
                _("%(what)s: antwoordmogelijkheid %(i)d heeft geen geldige waarde.")
                % {"what": what, "i": i}
            )
        elif value in seen:
            errors.append(
                _("%(what)s: de waarde %(value)s komt twee keer voor.")
                % {"what": what, "value": value}
            )
        else:
            seen.add(value)
        if not isinstance(label, str) or not label.strip():
            errors.append(
                _("%(what)s: antwoordmogelijkheid %(i)d heeft geen tekst.") % {"what": what, "i": i}
            )
        if "label_en" in option and not isinstance(option["label_en"], str):
            errors.append(
                _("%(what)s: antwoordmogelijkheid %(i)d heeft een ongeldige Engelse tekst.")
                % {"what": what, "i": i}
            )
    return errors


def _rows_errors(question: Any, what: str) -> list[str]:
    rows = question.rows
    if not isinstance(rows, list) or not rows:
        return [_("%(what)s: een tabel heeft ten minste één rij nodig.") % {"what": what}]
    errors: list[str] = []
    seen: set[str] = set()
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.append(_("%(what)s: rij %(i)d is ongeldig.") % {"what": what, "i": i})
            continue
        key = row.get("key")
        if not isinstance(key, str) or not ROW_KEY.match(key):
            errors.append(
                _("%(what)s: rij %(i)d heeft geen geldige sleutel (kleine letters, cijfers, _).")
                % {"what": what, "i": i}
            )
        elif key in seen:
            errors.append(
                _("%(what)s: de rijsleutel %(key)s komt twee keer voor.")
                % {"what": what, "key": key}
            )
        else:
            seen.add(key)
        if not isinstance(row.get("label"), str) or not row["label"].strip():
            errors.append(_("%(what)s: rij %(i)d heeft geen tekst.") % {"what": what, "i": i})
        if question.type == "overlast_grid" and row.get("cluster") not in OVERLAST_CLUSTERS:
            errors.append(
                _("%(what)s: rij %(i)d hoort bij geen geldig overlastcluster (%(clusters)s).")
                % {"what": what, "i": i, "clusters": ", ".join(OVERLAST_CLUSTERS)}
            )
        if "reverse" in row and not isinstance(row["reverse"], bool):
            errors.append(
                _("%(what)s: 'reverse' van rij %(i)d moet true of false zijn.")
                % {"what": what, "i": i}
            )
    return errors


PROFILE_VALUES: dict[str, tuple[str, ...]] = {
    "age_band": tuple(PanelMembership.AgeBand.values),
    "sex": tuple(PanelMembership.Sex.values),
}


def question_definition_errors(question: Any) -> list[str]:
    """Everything wrong with one question on its own (conditions: shape only)."""
    return [message for _field, message in question_definition_problems(question)]


def question_definition_problems(question: Any) -> list[tuple[str, str]]:
    """As `question_definition_errors`, each message with the Question field it is about
    (for forms and API field errors)."""
    what = _("Vraag %(code)s") % {"code": question.code or "?"}
    errors: list[tuple[str, str]] = []
    kind = question.type
    if not isinstance(question.code, str) or not QUESTION_CODE.match(question.code):
        errors.append(
            (
                "code",
                _(
                    "%(what)s: de code moet met een letter beginnen en mag alleen letters, "
                    "cijfers en _ bevatten (hooguit 20 tekens)."
                )
                % {"what": what},
            )
        )
    if kind not in QUESTION_TYPES:
        return [*errors, ("type", _("%(what)s: onbekend soort vraag.") % {"what": what})]
    if not (question.text or "").strip():
        errors.append(("text", _("%(what)s: de vraagtekst ontbreekt.") % {"what": what}))

    uses_options = kind in CHOICE_TYPES or (kind == "grid" and question.scale == "options")
    if uses_options:
        errors += [("options", e) for e in _options_errors(question.options, what)]
    elif question.options:
        errors.append(
            (
                "options",
                _("%(what)s: dit soort vraag heeft geen antwoordmogelijkheden.") % {"what": what},
            )
        )

    if kind in GRID_TYPES:
        errors += [("rows", e) for e in _rows_errors(question, what)]
    elif question.rows:
        errors.append(("rows", _("%(what)s: alleen tabellen hebben rijen.") % {"what": what}))

    if kind == "grid":
        if question.scale not in GRID_SCALES:
            errors.append(("scale", _("%(what)s: kies de schaal van de tabel.") % {"what": what}))
    elif question.scale:
        errors.append(("scale", _("%(what)s: alleen een tabel heeft een schaal.") % {"what": what}))

    if question.max_choices is not None:
        if kind != "multiple_choice":
            errors.append(
                (
                    "max_choices",
                    _("%(what)s: een maximaal aantal keuzes hoort bij meerkeuzevragen.")
                    % {"what": what},
                )
            )
        elif not 1 <= question.max_choices <= max(len(question.options or []), 1):
            errors.append(
                (
                    "max_choices",
                    _(
                        "%(what)s: het maximaal aantal keuzes moet tussen 1 en het aantal "
                        "antwoordmogelijkheden liggen."
                    )
                    % {"what": what},
                )
            )
    if question.min_value is not None or question.max_value is not None:
        field = "min_value" if question.min_value is not None else "max_value"
        if kind != "number":
            errors.append(
                (field, _("%(what)s: minimum en maximum horen bij getalvragen.") % {"what": what})
            )
        elif (
            question.min_value is not None
            and question.max_value is not None
            and question.min_value > question.max_value
        ):
            errors.append(
                (
                    "max_value",
                    _("%(what)s: het minimum is groter dan het maximum.") % {"what": what},
                )
            )
    if question.max_length is not None:
        if kind != "open_text":
            errors.append(
                (
                    "max_length",
                    _("%(what)s: een maximale lengte hoort bij open vragen.") % {"what": what},
                )
            )
        elif not 1 <= question.max_length <= OPEN_TEXT_HARD_MAX:
            errors.append(
                (
                    "max_length",
                    _("%(what)s: de maximale lengte moet tussen 1 en %(max)d liggen.")
                    % {"what": what, "max": OPEN_TEXT_HARD_MAX},
                )
            )
    if question.allow_dont_know and kind == "open_text":
        errors.append(
            (
                "allow_dont_know",
                _("%(what)s: een open vraag heeft geen 'weet niet'.") % {"what": what},
            )
        )

    codes = question.indicator_codes
    if not isinstance(codes, list) or not all(
        isinstance(c, str) and INDICATOR_CODE.match(c) for c in codes
    ):
        errors.append(
            (
                "indicator_codes",
                _('%(what)s: indicatoren zijn een lijst van codes zoals ["I1", "I2"].')
                % {"what": what},
            )
        )

    profile = question.profile_field
    if profile in PROFILE_VALUES:
        if kind != "single_choice" or not set(option_values(question)) <= set(
            PROFILE_VALUES[profile]
        ):
            errors.append(
                (
                    "profile_field",
                    _(
                        "%(what)s: een vraag naar %(field)s is een keuzevraag met de waarden "
                        "%(values)s."
                    )
                    % {
                        "what": what,
                        "field": profile,
                        "values": ", ".join(PROFILE_VALUES[profile]),
                    },
                )
            )
    elif profile == "buurt" and kind != "buurt_choice":
        errors.append(
            (
                "profile_field",
                _("%(what)s: de buurt wordt gevraagd met een buurtvraag.") % {"what": what},
            )
        )
    elif profile not in ("", "buurt"):
        errors.append(
            ("profile_field", _("%(what)s: onbekend achtergrondkenmerk.") % {"what": what})
        )

    if question.condition is not None:
        errors += [
            ("condition", f"{what}: {e}") for e in condition_shape_errors(question.condition)
        ]
    return errors


def condition_shape_errors(condition: Any) -> list[str]:
    """Structural problems of a condition (without looking at other questions)."""
    if not isinstance(condition, dict):
        return [_("de voorwaarde is geen object.")]
    for combinator in ("all", "any"):
        if combinator in condition:
            parts = condition[combinator]
            if set(condition) != {combinator} or not isinstance(parts, list) or not parts:
                return [
                    _("'%(c)s' heeft een niet-lege lijst voorwaarden nodig.") % {"c": combinator}
                ]
            return [e for part in parts for e in condition_shape_errors(part)]
    errors: list[str] = []
    unknown = set(condition) - {"question", "operator", "value", "row", "part"}
    if unknown:
        errors.append(
            _("onbekende velden in de voorwaarde: %(f)s.") % {"f": ", ".join(sorted(unknown))}
        )
    if not isinstance(condition.get("question"), str) or not condition["question"]:
        errors.append(_("de voorwaarde noemt geen vraag."))
    operator = condition.get("operator")
    if operator not in OPERATORS:
        errors.append(
            _("onbekende vergelijking %(op)r (kies uit %(ops)s).")
            % {"op": operator, "ops": ", ".join(OPERATORS)}
        )
        return errors
    value = condition.get("value")
    if operator == "in":
        if not isinstance(value, list) or not value:
            errors.append(_("'in' heeft een niet-lege lijst waarden nodig."))
    elif operator in ("gte", "lte"):
        if not _is_number(value):
            errors.append(_("'%(op)s' heeft een getal nodig.") % {"op": operator})
    elif operator in ("equals", "not_equals") and (
        not isinstance(value, str | int | float) or isinstance(value, bool)
    ):
        errors.append(_("'%(op)s' heeft één waarde nodig.") % {"op": operator})
    if "row" in condition and not isinstance(condition["row"], str):
        errors.append(_("'row' moet een rijsleutel zijn."))
    if "part" in condition and condition["part"] not in (OCCURS_KEY, NUISANCE_KEY):
        errors.append(_("'part' is komt_voor of overlast."))
    return errors


def condition_reference_errors(condition: Any, *, earlier: Mapping[str, Any]) -> list[str]:
    """Problems of a (well-shaped) condition against the questions shown before it."""
    if not isinstance(condition, dict):
        return []
    for combinator in ("all", "any"):
        if combinator in condition and isinstance(condition[combinator], list):
            return [
                e
                for part in condition[combinator]
                for e in condition_reference_errors(part, earlier=earlier)
            ]
    code = condition.get("question")
    ref = earlier.get(code)
    if ref is None:
        return [
            _("de voorwaarde verwijst naar %(code)s, dat geen eerdere vraag is.") % {"code": code}
        ]
    errors: list[str] = []
    row, part = condition.get("row"), condition.get("part")
    if row is not None and (ref.type not in GRID_TYPES or row not in ref.row_keys):
        errors.append(_("%(code)s heeft geen rij %(row)s.") % {"code": code, "row": row})
    if part is not None and ref.type != "overlast_grid":
        errors.append(_("'part' kan alleen bij een overlasttabel."))
    operator = condition.get("operator")
    if operator in ("gte", "lte") and ref.type not in NUMERIC_TYPES:
        errors.append(
            _("'%(op)s' kan alleen bij een cijfer- of getalvraag (%(code)s is dat niet).")
            % {"op": operator, "code": code}
        )
    if operator in ("equals", "not_equals", "in"):
        if ref.type == "overlast_grid":
            closed = [p.value for p in (NUISANCE if part == NUISANCE_KEY else OCCURS)]
        else:
            closed = allowed_values(ref)
        if closed or ref.type in NUMERIC_TYPES:
            values = condition.get("value")
            values = values if isinstance(values, list) else [values]
            for value in values:
                ok = value in closed or (value == DONT_KNOW and ref.allow_dont_know)
                if ref.type in NUMERIC_TYPES:
                    ok = _is_number(value) or (value == DONT_KNOW and ref.allow_dont_know)
                if not ok:
                    errors.append(
                        _("%(value)r is geen antwoordmogelijkheid van %(code)s.")
                        % {"value": value, "code": code}
                    )
    return errors


@dataclass(frozen=True)
class QuestionnaireProblem:
    message: str
    question: str = ""
    section: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "question": self.question, "section": self.section}


def questionnaire_errors(
    sections: Sequence[tuple[Any, Sequence[Any]]],
) -> list[QuestionnaireProblem]:
    """Everything that stops a version from being published: per-question definition
    errors, duplicate codes, conditions that refer to later or unknown questions, and
    background questions asked twice. `sections` is [(section, [questions in order])]."""
    problems: list[QuestionnaireProblem] = []
    earlier: dict[str, Any] = {}
    profiles: dict[str, str] = {}
    count = 0
    for s_index, (section, questions) in enumerate(sections, start=1):
        if section.condition is not None:
            shape = condition_shape_errors(section.condition)
            refs = [] if shape else condition_reference_errors(section.condition, earlier=earlier)
            for message in shape + refs:
                problems.append(
                    QuestionnaireProblem(
                        _("Onderdeel %(n)d: %(msg)s") % {"n": s_index, "msg": message},
                        section=s_index,
                    )
                )
        for question in questions:
            count += 1
            for message in question_definition_errors(question):
                problems.append(QuestionnaireProblem(message, question=question.code))
            if question.code in earlier:
                problems.append(
                    QuestionnaireProblem(
                        _("De code %(code)s komt twee keer voor.") % {"code": question.code},
                        question=question.code,
                    )
                )
            if question.condition is not None and not condition_shape_errors(question.condition):
                for message in condition_reference_errors(question.condition, earlier=earlier):
                    problems.append(
                        QuestionnaireProblem(
                            _("Vraag %(code)s: %(msg)s") % {"code": question.code, "msg": message},
                            question=question.code,
                        )
                    )
            if question.profile_field:
                if question.profile_field in profiles:
                    problems.append(
                        QuestionnaireProblem(
                            _("Vraag %(code)s: %(field)s wordt al gevraagd in %(other)s.")
                            % {
                                "code": question.code,
                                "field": question.profile_field,
                                "other": profiles[question.profile_field],
                            },
                            question=question.code,
                        )
                    )
                profiles.setdefault(question.profile_field, question.code)
            earlier.setdefault(question.code, question)
    if count == 0:
        problems.append(QuestionnaireProblem(_("De vragenlijst heeft nog geen vragen.")))
    return problems


# --- Answers --------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _invalid(question: Any, message: str, *, row: str = "", **extra: Any) -> AnswerInvalidError:
    if row:
        prefix = _("Vraag %(code)s, rij '%(row)s'") % {"code": question.code, "row": row}
    else:
        prefix = _("Vraag %(code)s") % {"code": question.code}
    return AnswerInvalidError(
        f"{prefix}: {message}", extra={"question": question.code, "row": row, **extra}
    )


def _closed(question: Any, value: Any, allowed: Sequence[str], *, row: str = "") -> str:
    if question.allow_dont_know and value == DONT_KNOW:
        return DONT_KNOW
    if not isinstance(value, str) or value not in allowed:
        choices = [*allowed, DONT_KNOW] if question.allow_dont_know else list(allowed)
        raise _invalid(
            question,
            _("kies een van de antwoordmogelijkheden (%(values)s).")
            % {"values": ", ".join(choices)},
            row=row,
        )
    return value


def _number(question: Any, value: Any) -> int | float:
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            value = int(text) if re.fullmatch(r"-?\d+", text) else float(text)
        except ValueError:
            raise _invalid(question, _("vul een getal in.")) from None
    if not _is_number(value):
        raise _invalid(question, _("vul een getal in."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value


def _validate_mark(question: Any, value: Any) -> int | str:
    if question.allow_dont_know and value == DONT_KNOW:
        return DONT_KNOW
    number = _number(question, value)
    if not isinstance(number, int) or not 1 <= number <= 10:
        raise _invalid(question, _("geef een heel cijfer van 1 tot en met 10."))
    return number


def _validate_number(question: Any, value: Any) -> int | float | str:
    if question.allow_dont_know and value == DONT_KNOW:
        return DONT_KNOW
    number = _number(question, value)
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise _invalid(
            question,
            _("geef een getal van %(min)s tot en met %(max)s.")
            % {"min": _fmt(low, "−∞"), "max": _fmt(high, "∞")},
        )
    return number


def _fmt(value: float | None, default: str) -> str:
    if value is None:
        return default
    return str(int(value)) if float(value).is_integer() else str(value)


def _validate_multiple(question: Any, value: Any) -> list[str] | str | None:
    if question.allow_dont_know and value == DONT_KNOW:
        return DONT_KNOW
    if not isinstance(value, list | tuple):
        raise _invalid(question, _("geef een lijst met keuzes."))
    if not value:
        return None
    allowed = option_values(question)
    chosen: list[str] = []
    for item in value:
        if not isinstance(item, str) or item not in allowed:
            raise _invalid(question, _("%(value)r is geen antwoordmogelijkheid.") % {"value": item})
        if item in chosen:
            raise _invalid(question, _("%(value)s is twee keer gekozen.") % {"value": item})
        chosen.append(item)
    if question.max_choices is not None and len(chosen) > question.max_choices:
        raise _invalid(
            question,
            _("kies er hoogstens %(max)d (nu %(n)d).")
            % {"max": question.max_choices, "n": len(chosen)},
        )
    return chosen


def _validate_open_text(question: Any, value: Any) -> str | None:
    if not isinstance(value, str):
        raise _invalid(question, _("geef een tekst."))
    text = CONTROL_CHARS.sub("", value.replace("\r\n", "\n")).strip()
    if not text:
        return None
    limit = question.max_length or getattr(
        settings, "SURVEYS_OPEN_TEXT_MAX_LENGTH", OPEN_TEXT_DEFAULT_MAX
    )
    if len(text) > limit:
        raise _invalid(
            question,
            _("gebruik hooguit %(max)d tekens (nu %(n)d).") % {"max": limit, "n": len(text)},
        )
    return text


def _municipality_buurt(
    question: Any, code: Any, *, municipality_code: str, areas: AreaResolver, row: str = ""
) -> str:
    normalised = code.strip().upper() if isinstance(code, str) else ""
    if (
        not code_is_valid(normalised, AreaLevel.BUURT)
        or normalised[2:6] != municipality_code[2:6]
        or not areas.buurt_exists(normalised)
    ):
        raise _invalid(question, _("kies een buurt in de gemeente."), row=row)
    return normalised


def _validate_location(
    question: Any, value: Any, *, municipality_code: str, areas: AreaResolver
) -> dict[str, Any] | str:
    if question.allow_dont_know and value == DONT_KNOW:
        return DONT_KNOW
    if not isinstance(value, dict):
        raise _invalid(
            question, _("wijs een plek aan op de kaart, of kies de buurt en beschrijf de plek.")
        )
    lat, lon = value.get("lat"), value.get("lon")
    if lat is not None or lon is not None:
        if lat is None or lon is None:
            raise _invalid(
                question, _("geef zowel de breedtegraad (lat) als de lengtegraad (lon).")
            )
        try:
            code = areas.buurt_code_for_point(lat, lon)
        except DomainError as exc:
            raise _invalid(question, str(exc.message), **exc.extra) from exc
        if code[2:6] != municipality_code[2:6]:
            raise _invalid(question, _("deze plek ligt niet in de gemeente."))
        return {"lat": round(float(lat), 6), "lon": round(float(lon), 6), "buurt": code}
    buurt = _municipality_buurt(
        question, value.get("buurt"), municipality_code=municipality_code, areas=areas
    )
    description = value.get("description")
    description = CONTROL_CHARS.sub("", description).strip() if isinstance(description, str) else ""
    if not LOCATION_DESCRIPTION_MIN <= len(description) <= LOCATION_DESCRIPTION_MAX:
        raise _invalid(
            question,
            _(
                "beschrijf de plek in de buurt (straat, plein of herkenningspunt; %(min)d tot "
                "%(max)d tekens)."
            )
            % {"min": LOCATION_DESCRIPTION_MIN, "max": LOCATION_DESCRIPTION_MAX},
        )
    return {"buurt": buurt, "description": description}


def _validate_overlast_row(question: Any, value: Any, row: str) -> dict[str, str] | str:
    if question.allow_dont_know and value == DONT_KNOW:
        return DONT_KNOW
    if not isinstance(value, dict) or set(value) - {OCCURS_KEY, NUISANCE_KEY}:
        raise _invalid(
            question,
            _("geef aan of het voorkomt (komt_voor: ja/nee) en zo ja hoeveel overlast."),
            row=row,
        )
    occurs = value.get(OCCURS_KEY)
    nuisance = value.get(NUISANCE_KEY)
    if occurs not in ("ja", "nee"):
        raise _invalid(
            question, _("geef eerst aan of dit in uw buurt voorkomt (ja of nee)."), row=row
        )
    if occurs == "nee":
        if nuisance is not None:
            raise _invalid(
                question,
                _("de mate van overlast kan alleen worden gegeven als het voorkomt."),
                row=row,
            )
        return {OCCURS_KEY: "nee"}
    if nuisance is None:
        return {OCCURS_KEY: "ja"}  # second step not answered yet (partial save)
    levels = [p.value for p in NUISANCE]
    if nuisance not in levels:
        raise _invalid(
            question,
            _("kies veel, een beetje of geen overlast (%(values)s).")
            % {"values": ", ".join(levels)},
            row=row,
        )
    return {OCCURS_KEY: "ja", NUISANCE_KEY: nuisance}


def validate_answer(
    question: Any, value: Any, *, municipality_code: str, areas: AreaResolver
) -> dict[str, Any]:
    """Validate and normalise what a respondent sent for one question.

    Returns {row_key: normalised value, or None to clear}; raises AnswerInvalidError
    naming the question code (and row)."""
    kind = question.type
    if kind in GRID_TYPES:
        if value is None:
            return dict.fromkeys(question.row_keys)
        if not isinstance(value, dict):
            raise _invalid(question, _("geef per rij een antwoord."))
        keys = question.row_keys
        result: dict[str, Any] = {}
        for row, row_value in value.items():
            if row not in keys:
                raise _invalid(question, _("deze rij bestaat niet."), row=str(row))
            if row_value is None:
                result[row] = None
            elif kind == "overlast_grid":
                result[row] = _validate_overlast_row(question, row_value, row)
            else:
                result[row] = _closed(question, row_value, allowed_values(question), row=row)
        return result
    if value is None:
        return {"": None}
    if kind == "single_choice" or kind in SCALE_TYPES:
        normalised: Any = _closed(question, value, allowed_values(question))
    elif kind == "multiple_choice":
        normalised = _validate_multiple(question, value)
    elif kind == "mark_1_10":
        normalised = _validate_mark(question, value)
    elif kind == "number":
        normalised = _validate_number(question, value)
    elif kind == "open_text":
        normalised = _validate_open_text(question, value)
    elif kind == "buurt_choice":
        normalised = (
            DONT_KNOW
            if question.allow_dont_know and value == DONT_KNOW
            else _municipality_buurt(
                question, value, municipality_code=municipality_code, areas=areas
            )
        )
    elif kind == "location":
        normalised = _validate_location(
            question, value, municipality_code=municipality_code, areas=areas
        )
    else:  # guarded by question_definition_errors
        raise _invalid(question, _("onbekend soort vraag."))
    return {"": normalised}


def missing_answers(question: Any, stored: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What is missing for a shown question at submit: [(row_key, message)]. Required
    questions need every row; an overlast row answered "komt voor" always needs its second
    step."""
    problems: list[tuple[str, str]] = []
    if question.type in GRID_TYPES:
        for row in question.row_keys:
            value = stored.get(row)
            if value is None:
                if question.required:
                    problems.append((row, _("beantwoord deze rij.")))
            elif (
                question.type == "overlast_grid"
                and isinstance(value, dict)
                and value.get(OCCURS_KEY) == "ja"
                and NUISANCE_KEY not in value
            ):
                problems.append((row, _("geef aan hoeveel overlast u ervan ervaart.")))
        return problems
    if question.required and stored.get("") is None:
        problems.append(("", _("deze vraag is verplicht.")))
    return problems


# --- Conditional display --------------------------------------------------------------------


def _atoms(question: Any, stored: Mapping[str, Any], condition: Mapping[str, Any]) -> list[Any]:
    row = condition.get("row")
    if question.type in GRID_TYPES:
        values = (
            [stored[row]]
            if row is not None and row in stored
            else ([] if row is not None else [v for k, v in stored.items() if k])
        )
        if question.type == "overlast_grid":
            part = condition.get("part") or OCCURS_KEY
            values = [v.get(part) if isinstance(v, dict) else v for v in values]
    else:
        value = stored.get("")
        values = list(value) if isinstance(value, list) else [value]
    return [v for v in values if v is not None]


def condition_matches(
    condition: Mapping[str, Any] | None,
    answers: Mapping[str, Mapping[str, Any]],
    questions: Mapping[str, Any],
) -> bool:
    """Whether a condition holds for the answers so far (answers: {code: {row_key: value}};
    only answers of shown questions should be passed)."""
    if condition is None:
        return True
    if "all" in condition:
        return all(condition_matches(c, answers, questions) for c in condition["all"])
    if "any" in condition:
        return any(condition_matches(c, answers, questions) for c in condition["any"])
    question = questions.get(condition.get("question"))
    stored = answers.get(condition.get("question"))
    if question is None or not stored:
        return False
    target = condition.get("value")
    names_dont_know = target == DONT_KNOW or (isinstance(target, list) and DONT_KNOW in target)
    atoms = [a for a in _atoms(question, stored, condition) if names_dont_know or a != DONT_KNOW]
    if not atoms:
        return False
    operator = condition.get("operator")
    if operator == "answered":
        return True
    if operator == "equals":
        return any(a == target for a in atoms)
    if operator == "not_equals":
        return all(a != target for a in atoms)
    if operator == "in":
        return any(a in target for a in atoms)
    numbers = [a for a in atoms if _is_number(a)]
    if operator == "gte":
        return any(n >= target for n in numbers)
    if operator == "lte":
        return any(n <= target for n in numbers)
    return False


def visible_questions(
    sections: Sequence[tuple[Any, Sequence[Any]]],
    answers: Mapping[str, Mapping[str, Any]],
    *,
    known_profile_fields: Iterable[str] = (),
) -> list[Any]:
    """The questions shown for these answers, in order. A question is shown when its
    section's and its own condition hold on the answers of the questions shown before it;
    answers of hidden questions are ignored (so hiding cascades). Background questions
    whose field is already known (panel responses) are not shown."""
    known = set(known_profile_fields)
    questions = {q.code: q for _section, qs in sections for q in qs}
    seen: dict[str, Mapping[str, Any]] = {}
    shown: list[Any] = []
    for section, section_questions in sections:
        if not condition_matches(section.condition, seen, questions):
            continue
        for question in section_questions:
            if question.profile_field and question.profile_field in known:
                continue
            if not condition_matches(question.condition, seen, questions):
                continue
            shown.append(question)
            if question.code in answers:
                seen[question.code] = answers[question.code]
    return shown

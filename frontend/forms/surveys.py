"""The form of one questionnaire page (one section) and how answers read on the review page.

Questions are rendered by hand (frontend/templates/frontend/surveys/questions/), one
template per question type, so this module turns each question into a small view object:
names, ids, choices with their checked state, rows, errors. Parsing turns the POST data back
into the answer shapes of `surveys.validation` for `response_save_page`; validation itself
is the domain's, its errors are mapped back onto the questions (and grid rows) they name.

Field names: `q-<code>` (radio, checkbox, select, text), `q-<code>-<row>` (grid rows),
`q-<code>-<row>-komt_voor` / `-overlast` (overlast grid), `q-<code>-lat|lon|buurt|description`
(location) and `q-<code>-weet_niet` (the "weet niet" checkbox of a number, multiple choice
or location question).
"""

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from surveys.models import Question
from surveys.scales import (
    DONT_KNOW,
    DONT_KNOW_LABEL,
    DONT_KNOW_LABEL_EN,
    NUISANCE,
    NUISANCE_KEY,
    OCCURS,
    OCCURS_KEY,
    SCALES,
)

T = Question.Type
SECONDS_PER_ITEM = 15  # a question or a grid row, for "about N minutes"

MULTIPLE_WITH_DONT_KNOW = gettext_lazy(
    "Kies ‘Weet niet / n.v.t.’ of een of meer antwoorden, niet allebei."
)
NUMBER_WITH_DONT_KNOW = gettext_lazy("Vul een getal in of kies ‘Weet niet / n.v.t.’, niet allebei.")
LOCATION_INVALID = gettext_lazy("De plek op de kaart is ongeldig; kies de plek opnieuw.")


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


def label_of(item: Mapping[str, Any]) -> str:
    """The label of an option or row dict in the page's language."""
    if _english() and item.get("label_en"):
        return str(item["label_en"])
    return str(item.get("label", ""))


def dont_know_label() -> str:
    return DONT_KNOW_LABEL_EN if _english() else DONT_KNOW_LABEL


def _domain_message(message: str) -> str:
    """Domain messages start with "Vraag Q3[, rij 'x']: "; the page names the question
    itself, so keep what follows, starting with a capital."""
    _prefix, sep, rest = message.partition(": ")
    text = rest if sep else message
    return text[:1].upper() + text[1:]


@dataclass
class Choice:
    value: str
    label: str
    id: str
    checked: bool = False


@dataclass
class GridRow:
    key: str
    label: str
    name: str
    id: str
    choices: list[Choice]
    errors: list[str] = field(default_factory=list)
    # overlast grid: the second step
    nuisance_name: str = ""
    nuisance_id: str = ""
    nuisance_choices: list[Choice] = field(default_factory=list)
    occurs: bool = False

    @property
    def first_input_id(self) -> str:
        return self.choices[0].id if self.choices else self.id


@dataclass
class BuurtOption:
    code: str
    name: str


@dataclass
class BuurtGroup:
    name: str
    buurten: list[BuurtOption]


@dataclass
class QuestionField:
    question: Question
    name: str
    id: str
    pending: bool = False
    dynamic: bool = False
    choices: list[Choice] = field(default_factory=list)
    rows: list[GridRow] = field(default_factory=list)
    value: str = ""
    dont_know: bool = False
    errors: list[str] = field(default_factory=list)
    # location
    lat: str = ""
    lon: str = ""
    buurt: str = ""
    description: str = ""
    buurt_groups: list[BuurtGroup] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def type(self) -> str:
        return self.question.type

    @property
    def template(self) -> str:
        kind = self.question.type
        if kind in (T.SINGLE_CHOICE, T.AGREE_5, T.SATISFIED_5, T.FREQUENCY, T.MARK_1_10):
            kind = "radios"
        return f"frontend/surveys/questions/{kind}.html"

    @property
    def text(self) -> str:
        return self.question.localized_text

    @property
    def help(self) -> str:
        return self.question.localized_help

    @property
    def help_id(self) -> str:
        return f"{self.id}-help"

    @property
    def error_id(self) -> str:
        return f"{self.id}-error"

    @property
    def max_hint(self) -> str:
        if self.question.type == T.MULTIPLE_CHOICE and self.question.max_choices:
            return _("Kies er hoogstens %(max)d.") % {"max": self.question.max_choices}
        return ""

    @property
    def describedby(self) -> str:
        ids = []
        if self.help or self.max_hint:
            ids.append(self.help_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(row.errors for row in self.rows)

    @property
    def anchor(self) -> str:
        """The id the error summary links to: the first control of the question."""
        if self.choices:
            return self.choices[0].id
        if self.rows:
            return self.rows[0].first_input_id
        if self.question.type == T.LOCATION:
            return f"{self.id}-buurt"
        return self.id

    @property
    def condition_json(self) -> str:
        """The condition for survey-form.js, for questions that depend on this page."""
        return json.dumps(self.question.condition) if self.dynamic else ""

    @property
    def row_keys_json(self) -> str:
        return json.dumps(self.question.row_keys)


@dataclass(frozen=True)
class ErrorLink:
    text: str
    anchor: str


def _choices(
    base_id: str, items: Iterable[tuple[str, str]], checked: Sequence[str]
) -> list[Choice]:
    return [
        Choice(value=value, label=label, id=f"{base_id}-{i}", checked=value in checked)
        for i, (value, label) in enumerate(items)
    ]


def _closed_items(question: Question, *, with_dont_know: bool) -> list[tuple[str, str]]:
    kind = question.type
    if kind == T.MARK_1_10:
        items = [(str(n), str(n)) for n in range(1, 11)]
    elif kind in (T.SINGLE_CHOICE, T.MULTIPLE_CHOICE) or (
        kind == T.GRID and question.scale == Question.Scale.OPTIONS
    ):
        items = [(str(o.get("value")), label_of(o)) for o in question.options]
    else:
        scale = question.scale if kind == T.GRID else kind
        items = [(p.value, p.localized_label) for p in SCALES.get(scale, ())]
    if with_dont_know and question.allow_dont_know:
        items.append((DONT_KNOW, dont_know_label()))
    return items


def _raw_from_stored(question: Question, stored: Mapping[str, Any], name: str) -> dict[str, list]:
    """POST-like data ({name: [values]}) for a saved answer, so a page renders saved and
    posted answers the same way."""
    raw: dict[str, list] = {}
    kind = question.type
    if kind == T.GRID:
        for row, value in stored.items():
            raw[f"{name}-{row}"] = [str(value)]
        return raw
    if kind == T.OVERLAST_GRID:
        for row, value in stored.items():
            if isinstance(value, dict):
                raw[f"{name}-{row}-komt_voor"] = [value.get(OCCURS_KEY, "")]
                if value.get(NUISANCE_KEY):
                    raw[f"{name}-{row}-overlast"] = [value[NUISANCE_KEY]]
            else:
                raw[f"{name}-{row}-komt_voor"] = [str(value)]
        return raw
    value = stored.get("")
    if value is None:
        return raw
    if value == DONT_KNOW and kind in (T.NUMBER, T.MULTIPLE_CHOICE, T.LOCATION):
        raw[f"{name}-weet_niet"] = ["1"]
    elif kind == T.MULTIPLE_CHOICE:
        raw[name] = [str(v) for v in value]
    elif kind == T.LOCATION:
        for key in ("lat", "lon", "buurt", "description"):
            if value.get(key) is not None:
                raw[f"{name}-{key}"] = [str(value[key])]
    elif kind == T.NUMBER and isinstance(value, float):
        raw[name] = [f"{value:g}".replace(".", "," if not _english() else ".")]
    else:
        raw[name] = [str(value)]
    return raw


class SurveyPageForm:
    """The questions of one page, bound to POST data or to the saved answers."""

    def __init__(
        self,
        *,
        questions: Sequence[Question],
        pending: Iterable[str] = (),
        dynamic: Iterable[str] = (),
        stored: Mapping[str, Mapping[str, Any]] | None = None,
        data: Any = None,
        buurt_groups: list[BuurtGroup] | None = None,
    ) -> None:
        self.questions = list(questions)
        self.pending = set(pending)
        self.dynamic = set(dynamic)
        self.is_bound = data is not None
        self.buurt_groups = buurt_groups or []
        if data is not None:
            self._raw: Mapping[str, list] = {key: data.getlist(key) for key in data}
        else:
            self._raw = {}
            for question in self.questions:
                self._raw.update(
                    _raw_from_stored(
                        question, (stored or {}).get(question.code, {}), self._name(question)
                    )
                )
        self.local_errors: dict[str, list[str]] = {}
        self.fields = [self._field(q) for q in self.questions]

    # --- raw data -------------------------------------------------------------------------

    @staticmethod
    def _name(question: Question) -> str:
        return f"q-{question.code}"

    def _get(self, name: str) -> str:
        values = self._raw.get(name) or [""]
        return str(values[-1]).strip()

    def _getlist(self, name: str) -> list[str]:
        return [str(v) for v in self._raw.get(name, []) if str(v)]

    # --- view objects ---------------------------------------------------------------------

    def _field(self, question: Question) -> QuestionField:
        name = self._name(question)
        base = f"q-{question.code}"
        f = QuestionField(
            question=question,
            name=name,
            id=base,
            pending=question.code in self.pending,
            dynamic=question.code in self.dynamic,
        )
        kind = question.type
        if kind in (T.SINGLE_CHOICE, T.AGREE_5, T.SATISFIED_5, T.FREQUENCY, T.MARK_1_10):
            f.choices = _choices(
                base, _closed_items(question, with_dont_know=True), [self._get(name)]
            )
        elif kind == T.MULTIPLE_CHOICE:
            f.choices = _choices(
                base, _closed_items(question, with_dont_know=False), self._getlist(name)
            )
            f.dont_know = bool(self._get(f"{name}-weet_niet"))
        elif kind == T.GRID:
            items = _closed_items(question, with_dont_know=True)
            for row in question.rows:
                row_name = f"{name}-{row['key']}"
                f.rows.append(
                    GridRow(
                        key=row["key"],
                        label=label_of(row),
                        name=row_name,
                        id=f"{base}-{row['key']}",
                        choices=_choices(f"{base}-{row['key']}", items, [self._get(row_name)]),
                    )
                )
        elif kind == T.OVERLAST_GRID:
            occurs = [(p.value, p.localized_label) for p in OCCURS]
            if question.allow_dont_know:
                occurs.append((DONT_KNOW, dont_know_label()))
            nuisance = [(p.value, p.localized_label) for p in NUISANCE]
            for row in question.rows:
                row_name = f"{name}-{row['key']}"
                row_id = f"{base}-{row['key']}"
                occurs_value = self._get(f"{row_name}-komt_voor")
                f.rows.append(
                    GridRow(
                        key=row["key"],
                        label=label_of(row),
                        name=f"{row_name}-komt_voor",
                        id=row_id,
                        choices=_choices(f"{row_id}-kv", occurs, [occurs_value]),
                        nuisance_name=f"{row_name}-overlast",
                        nuisance_id=f"{row_id}-ov",
                        nuisance_choices=_choices(
                            f"{row_id}-ov", nuisance, [self._get(f"{row_name}-overlast")]
                        ),
                        occurs=occurs_value == "ja",
                    )
                )
        elif kind == T.BUURT_CHOICE:
            f.value = self._get(name)
            f.buurt_groups = self.buurt_groups
        elif kind == T.LOCATION:
            f.lat, f.lon = self._get(f"{name}-lat"), self._get(f"{name}-lon")
            f.buurt = self._get(f"{name}-buurt")
            f.description = self._get(f"{name}-description")
            f.dont_know = bool(self._get(f"{name}-weet_niet"))
            f.buurt_groups = self.buurt_groups
        else:  # number, open text
            f.value = self._get(name) if kind == T.NUMBER else (self._raw.get(name) or [""])[-1]
            f.dont_know = bool(self._get(f"{name}-weet_niet"))
        return f

    # --- parsing --------------------------------------------------------------------------

    def answers(self) -> dict[str, Any]:
        """{code: value} for `response_save_page`; problems the domain cannot see (two
        contradicting inputs) go to `local_errors` and their question is left out."""
        result: dict[str, Any] = {}
        for f in self.fields:
            try:
                result[f.code] = self._parse(f)
            except ValueError as exc:
                self.local_errors.setdefault(f.code, []).append(str(exc))
        return result

    def _parse(self, f: QuestionField) -> Any:
        kind, name = f.type, f.name
        if kind == T.MULTIPLE_CHOICE:
            chosen = self._getlist(name)
            if f.dont_know:
                if chosen:
                    raise ValueError(MULTIPLE_WITH_DONT_KNOW)
                return DONT_KNOW
            return chosen or None
        if kind == T.GRID:
            return {row.key: self._get(row.name) or None for row in f.rows}
        if kind == T.OVERLAST_GRID:
            value: dict[str, Any] = {}
            for row in f.rows:
                occurs, nuisance = self._get(row.name), self._get(row.nuisance_name)
                if occurs == DONT_KNOW:
                    value[row.key] = DONT_KNOW
                elif occurs == "nee":
                    value[row.key] = {OCCURS_KEY: "nee"}  # a second step given anyway is moot
                elif occurs == "ja" or nuisance:
                    value[row.key] = {
                        OCCURS_KEY: "ja",
                        **({NUISANCE_KEY: nuisance} if nuisance else {}),
                    }
                else:
                    value[row.key] = None
            return value
        if kind == T.NUMBER:
            if f.dont_know:
                if f.value:
                    raise ValueError(NUMBER_WITH_DONT_KNOW)
                return DONT_KNOW
            return f.value or None
        if kind == T.OPEN_TEXT:
            return f.value if f.value.strip() else None
        if kind == T.LOCATION:
            if f.dont_know:
                return DONT_KNOW
            if f.lat or f.lon:
                try:
                    lat, lon = float(f.lat), float(f.lon)
                except ValueError:
                    raise ValueError(LOCATION_INVALID) from None
                if not (math.isfinite(lat) and math.isfinite(lon)):
                    raise ValueError(LOCATION_INVALID)
                return {"lat": lat, "lon": lon}
            if f.buurt or f.description:
                return {"buurt": f.buurt, "description": f.description}
            return None
        return self._get(name) or None

    # --- errors ---------------------------------------------------------------------------

    def add_errors(self, errors: Iterable[Mapping[str, Any]]) -> None:
        """Domain errors ({"question", "row", "message"}) onto their question or row."""
        by_code = {f.code: f for f in self.fields}
        for error in errors:
            f = by_code.get(error.get("question", ""))
            if f is None:
                continue
            message = _domain_message(str(error.get("message", "")))
            row = next((r for r in f.rows if r.key == error.get("row")), None)
            if row is not None:
                row.errors.append(message)
            else:
                f.errors.append(message)
            f.pending = False  # a question with an error is shown, also without JavaScript

    def apply_local_errors(self) -> None:
        for f in self.fields:
            f.errors.extend(self.local_errors.get(f.code, []))

    @property
    def error_links(self) -> list[ErrorLink]:
        links = []
        for f in self.fields:
            for message in f.errors:
                links.append(ErrorLink(f"{f.text} {message}", f.anchor))
            for row in f.rows:
                for message in row.errors:
                    links.append(
                        ErrorLink(f"{f.text} – {row.label}: {message}", row.first_input_id)
                    )
        return links


# --- Review page ----------------------------------------------------------------------------


def _closed_label(question: Question, value: Any) -> str:
    if value == DONT_KNOW:
        return dont_know_label()
    for item_value, label in _closed_items(question, with_dont_know=False):
        if item_value == str(value):
            return label
    return str(value)


def answer_display(
    question: Question, stored: Mapping[str, Any], *, buurt_names: Mapping[str, str]
) -> list[tuple[str, str]]:
    """How a saved answer reads on the review page: [(row label or "", text)]; empty when
    unanswered."""
    kind = question.type
    if kind in (T.GRID, T.OVERLAST_GRID):
        lines = []
        for row in question.rows:
            value = stored.get(row["key"])
            if value is None:
                continue
            if kind == T.OVERLAST_GRID and isinstance(value, dict):
                text = _closed_label_from(OCCURS, value.get(OCCURS_KEY))
                if value.get(NUISANCE_KEY):
                    text = f"{text}: {_closed_label_from(NUISANCE, value[NUISANCE_KEY]).lower()}"
            else:
                text = _closed_label(question, value)
            lines.append((label_of(row), text))
        return lines
    value = stored.get("")
    if value is None:
        return []
    if value == DONT_KNOW:
        return [("", dont_know_label())]
    if kind == T.MULTIPLE_CHOICE:
        return [("", ", ".join(_closed_label(question, v) for v in value))]
    if kind in (T.NUMBER, T.MARK_1_10, T.OPEN_TEXT):
        return [("", str(value))]
    if kind == T.BUURT_CHOICE:
        return [("", buurt_names.get(value, value))]
    if kind == T.LOCATION:
        buurt = buurt_names.get(value.get("buurt", ""), value.get("buurt", ""))
        if "lat" in value:
            return [("", _("Plek op de kaart, in %(buurt)s") % {"buurt": buurt})]
        return [("", f"{buurt}: {value.get('description', '')}")]
    return [("", _closed_label(question, value))]


def _closed_label_from(points: Sequence[Any], value: Any) -> str:
    if value == DONT_KNOW:
        return dont_know_label()
    for point in points:
        if point.value == value:
            return point.localized_label
    return str(value)


def estimated_minutes(questions: Iterable[Question]) -> int:
    items = sum(max(len(q.rows), 1) for q in questions)
    return max(2, math.ceil(items * SECONDS_PER_ITEM / 60))

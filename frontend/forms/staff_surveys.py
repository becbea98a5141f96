"""Forms of the staff survey pages (/beheer/vragenlijsten/). They only parse and check the
shape of the input; the survey services validate the content and their DomainErrors are put
back on the fields they name (`apply_domain_error`)."""

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from participation.models import Burgerpanel
from surveys.models import InvitationWave, OpenAnswerModeration, Question, Survey
from surveys.scales import OVERLAST_CLUSTERS
from surveys.validation import NUMERIC_TYPES, OPERATORS

TEXTAREA_ROWS = 3
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
OPERATOR_LABELS = {
    "equals": _("is gelijk aan"),
    "not_equals": _("is niet gelijk aan"),
    "in": _("is een van (komma's ertussen)"),
    "answered": _("is beantwoord"),
    "gte": _("is groter dan of gelijk aan"),
    "lte": _("is kleiner dan of gelijk aan"),
}
REVERSE_WORDS = {"omgekeerd", "reverse"}


class StaffForm(forms.Form):
    """No label suffix; text inputs in the house style."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_domain_error(
        self, err: DomainError, *, field_map: dict[str, str] | None = None
    ) -> None:
        apply_domain_error(self, err, field_map=field_map)


def apply_domain_error(
    form: forms.Form, err: DomainError, *, field_map: dict[str, str] | None = None
) -> None:
    """Put a DomainError on the form fields it names (`extra["field"]`, or `extra["fields"]`
    as {field: [messages]} or [field, …]); what names no field of the form becomes a
    form-wide error. `field_map` renames domain fields to form fields."""
    field_map = field_map or {}
    extra = err.extra or {}

    def target(name: str) -> str | None:
        name = field_map.get(name, name)
        return name if name in form.fields else None

    placed = False
    fields = extra.get("fields")
    if isinstance(fields, dict):
        for name, messages in fields.items():
            name = target(name)
            for message in messages if isinstance(messages, list) else [messages]:
                form.add_error(name, str(message))
                placed = True
    elif isinstance(fields, list | tuple):
        names = [target(f) for f in fields]
        if any(names):
            for name in {n for n in names if n}:
                form.add_error(name, str(err.message))
            placed = True
    elif isinstance(extra.get("field"), str) and target(extra["field"]):
        form.add_error(target(extra["field"]), str(err.message))
        placed = True
    if not placed:
        form.add_error(None, str(err.message))


def _datetime_field(label: str, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        required=False,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={"invalid": _("Vul een datum en tijd in, zoals 2026-05-01 09:00.")},
    )


# --- Survey ---------------------------------------------------------------------------------


class SurveyForm(StaffForm):
    """Create a blank survey or change its settings. After the first publication the
    distribution, panel and web address are fixed (the fields are disabled)."""

    FROZEN_AFTER_PUBLISH = ("slug", "distribution", "panel")

    title = forms.CharField(label=_("Titel"), max_length=200)
    title_en = forms.CharField(label=_("Titel in het Engels"), max_length=200, required=False)
    slug = forms.SlugField(
        label=_("Webadres (slug)"),
        max_length=100,
        required=False,
        help_text=_(
            "Het laatste deel van de link naar de vragenlijst: kleine letters, cijfers en "
            "streepjes. Leeg laten: wordt gemaakt uit de titel."
        ),
        error_messages={
            "invalid": _("Gebruik alleen kleine letters, cijfers, streepjes en liggende streepjes.")
        },
    )
    intro = forms.CharField(
        label=_("Inleiding"),
        required=False,
        widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
        help_text=_("Wat de inwoner ziet voordat de vragen beginnen."),
    )
    intro_en = forms.CharField(
        label=_("Inleiding in het Engels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
    )
    distribution = forms.ChoiceField(
        label=_("Verspreiding"),
        choices=Survey.Distribution.choices,
        widget=forms.RadioSelect,
        initial=Survey.Distribution.OPEN_LINK,
        help_text=_(
            "Met een open link kan iedereen meedoen; de uitkomsten zijn dan indicatief. Alleen "
            "burgerpanel: leden worden per e-mail uitgenodigd."
        ),
    )
    panel = forms.ModelChoiceField(
        label=_("Burgerpanel"),
        queryset=Burgerpanel.objects.filter(is_active=True),
        required=False,
        empty_label=_("geen"),
        help_text=_("Nodig bij 'alleen burgerpanel'."),
    )
    opens_at = _datetime_field(_("Open vanaf"), _("Leeg: direct na publiceren."))
    closes_at = _datetime_field(_("Sluit op"), _("Leeg: open tot je de vragenlijst sluit."))

    def __init__(self, *args: Any, frozen: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.frozen = frozen
        if frozen:
            for name in self.FROZEN_AFTER_PUBLISH:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Na publicatie niet meer te wijzigen.")

    @classmethod
    def initial_for(cls, survey: Survey) -> dict[str, Any]:
        return {
            "title": survey.title,
            "title_en": survey.title_en,
            "slug": survey.slug,
            "intro": survey.intro,
            "intro_en": survey.intro_en,
            "distribution": survey.distribution,
            "panel": survey.panel_id,
            "opens_at": survey.opens_at,
            "closes_at": survey.closes_at,
        }

    def service_data(self) -> dict[str, Any]:
        """The changed fields, in the shape `survey_update` takes."""
        data = dict(self.cleaned_data)
        if self.frozen:
            for name in self.FROZEN_AFTER_PUBLISH:
                data.pop(name, None)
        elif not data.get("slug"):
            data.pop("slug", None)
        return data

    def create_data(self) -> dict[str, Any]:
        """Arguments for `survey_create` (slug from the title when left empty)."""
        data = dict(self.cleaned_data)
        data["slug"] = data.get("slug") or slugify(data["title"])[:100] or "vragenlijst"
        return data


class TemplateSurveyForm(StaffForm):
    """The one-click Veiligheidsmonitor template: only how it is distributed (preset)."""

    OPEN_LINK = "open_link"

    distribution = forms.ChoiceField(
        label=_("Verspreiding"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Kies hoe de vragenlijst wordt verspreid.")},
    )

    def __init__(self, *args: Any, panels: Iterable[Burgerpanel] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        panels = list(panels)
        choices = [
            (f"panel:{p.pk}", _("Alleen burgerpanel: %(name)s") % {"name": p.name}) for p in panels
        ]
        choices.append((self.OPEN_LINK, _("Open link (indicatief)")))
        self.fields["distribution"].choices = choices
        self.fields["distribution"].initial = choices[0][0]
        self.panels = {f"panel:{p.pk}": p for p in panels}

    def service_data(self) -> dict[str, Any]:
        choice = self.cleaned_data["distribution"]
        if choice == self.OPEN_LINK:
            return {"distribution": Survey.Distribution.OPEN_LINK, "panel": None}
        return {"distribution": Survey.Distribution.PANEL_ONLY, "panel": self.panels[choice]}


# --- Conditions -----------------------------------------------------------------------------


class ConditionFieldsMixin(forms.Form):
    """ "Toon alleen als …": one comparison with an earlier question, or a condition written
    as JSON (for combinations with all/any)."""

    cond_question = forms.ChoiceField(
        label=_("Alleen tonen als het antwoord op vraag"), required=False
    )
    cond_row = forms.CharField(
        label=_("Rij (bij een tabel, optioneel)"),
        max_length=40,
        required=False,
        help_text=_("De sleutel van de rij; leeg: een willekeurige rij."),
    )
    cond_operator = forms.ChoiceField(
        label=_("Vergelijking"),
        required=False,
        choices=[("", "—"), *((op, OPERATOR_LABELS[op]) for op in OPERATORS)],
    )
    cond_value = forms.CharField(
        label=_("Waarde"),
        max_length=200,
        required=False,
        help_text=_("De waarde van een antwoordmogelijkheid, zoals ja of vaak, of een getal."),
    )
    cond_json = forms.CharField(
        label=_("Voorwaarde als JSON (gevorderd)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            'Gaat voor op de velden hierboven. Bijvoorbeeld {"any": [{"question": "Q3", '
            '"operator": "equals", "value": "vaak"}, {"question": "Q4", "operator": '
            '"equals", "value": "vaak"}]}.'
        ),
    )
    CONDITION_FIELDS = ("cond_question", "cond_row", "cond_operator", "cond_value", "cond_json")

    def setup_condition(self, earlier: Sequence[Question]) -> None:
        self.earlier = {q.code: q for q in earlier}
        self.fields["cond_question"].choices = [
            ("", _("altijd tonen")),
            *((q.code, f"{q.code}: {q.text[:60]}") for q in earlier),
        ]

    @staticmethod
    def condition_initial(condition: dict[str, Any] | None) -> dict[str, Any]:
        if not condition:
            return {}
        simple = set(condition) <= {"question", "operator", "value", "row"} and (
            "question" in condition
        )
        if not simple:
            return {"cond_json": json.dumps(condition, ensure_ascii=False)}
        value = condition.get("value")
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        return {
            "cond_question": condition.get("question", ""),
            "cond_operator": condition.get("operator", ""),
            "cond_value": "" if value is None else str(value),
            "cond_row": condition.get("row", ""),
        }

    def clean_condition(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        raw_json = (data.get("cond_json") or "").strip()
        if raw_json:
            try:
                condition = json.loads(raw_json)
            except ValueError:
                self.add_error("cond_json", _("Dit is geen geldige JSON."))
                return None
            if not isinstance(condition, dict):
                self.add_error("cond_json", _("Geef een JSON-object, tussen { en }."))
                return None
            return condition
        code = data.get("cond_question")
        if not code:
            return None
        operator = data.get("cond_operator")
        if not operator:
            self.add_error("cond_operator", _("Kies een vergelijking."))
            return None
        condition: dict[str, Any] = {"question": code, "operator": operator}
        raw = (data.get("cond_value") or "").strip()
        ref = self.earlier.get(code)
        numeric = ref is not None and ref.type in NUMERIC_TYPES
        if operator != "answered":
            if not raw:
                self.add_error("cond_value", _("Vul de waarde in waarmee vergeleken wordt."))
                return None
            if operator == "in":
                condition["value"] = [_number_or_text(v.strip(), numeric) for v in raw.split(",")]
            elif operator in ("gte", "lte"):
                number = _number_or_text(raw, True)
                if isinstance(number, str):
                    self.add_error("cond_value", _("Vul een getal in."))
                    return None
                condition["value"] = number
            else:
                condition["value"] = _number_or_text(raw, numeric)
        if data.get("cond_row"):
            condition["row"] = data["cond_row"].strip()
        return condition


def _number_or_text(raw: str, numeric: bool) -> int | float | str:
    if not numeric:
        return raw
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        return raw
    return int(number) if number.is_integer() else number


# --- Sections -------------------------------------------------------------------------------


class SectionForm(ConditionFieldsMixin, StaffForm):
    title = forms.CharField(label=_("Titel van het onderdeel"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Titel in het Engels"), max_length=200, required=False)

    field_order = ["title", "title_en", *ConditionFieldsMixin.CONDITION_FIELDS]

    def __init__(self, *args: Any, earlier: Sequence[Question] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_condition(earlier)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["condition"] = self.clean_condition()
        return cleaned

    def service_data(self) -> dict[str, Any]:
        return {
            "title": self.cleaned_data["title"],
            "title_en": self.cleaned_data["title_en"],
            "condition": self.cleaned_data["condition"],
        }


# --- Questions ------------------------------------------------------------------------------

TYPE_FIELDS: dict[str, tuple[str, ...]] = {
    # Which type-specific fields a question type uses (the builder script shows only these).
    "options": ("single_choice", "multiple_choice", "grid"),
    "max_choices": ("multiple_choice",),
    "rows": ("grid", "overlast_grid"),
    "scale": ("grid",),
    "min_value": ("number",),
    "max_value": ("number",),
    "max_length": ("open_text",),
}


class QuestionForm(ConditionFieldsMixin, StaffForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("Korte, unieke naam van de vraag, zoals Q15. Komt terug in de export."),
    )
    type = forms.ChoiceField(label=_("Soort vraag"), choices=Question.Type.choices)
    text = forms.CharField(
        label=_("Vraag"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    text_en = forms.CharField(
        label=_("Vraag in het Engels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    help = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    help_en = forms.CharField(
        label=_("Toelichting in het Engels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    required = forms.BooleanField(label=_("Verplicht"), required=False)
    allow_dont_know = forms.BooleanField(
        label=_("Met het antwoord 'weet niet / n.v.t.'"), required=False
    )
    options = forms.CharField(
        label=_("Antwoordmogelijkheden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Eén per regel: waarde | tekst | Engelse tekst, bijvoorbeeld: ja | Ja | Yes. Voor "
            "keuzevragen en voor tabellen met eigen antwoordmogelijkheden."
        ),
    )
    max_choices = forms.IntegerField(
        label=_("Maximaal aantal keuzes"),
        required=False,
        min_value=1,
        help_text=_("Alleen bij meerdere keuzes; leeg: geen maximum."),
    )
    rows = forms.CharField(
        label=_("Rijen van de tabel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Eén per regel: sleutel | tekst | Engelse tekst | extra. Extra is bij een "
            "overlasttabel het cluster (%(clusters)s) en bij een tabel met stellingen "
            "'omgekeerd' voor een negatief gestelde stelling."
        )
        % {"clusters": ", ".join(OVERLAST_CLUSTERS)},
    )
    scale = forms.ChoiceField(
        label=_("Schaal van de tabel"),
        required=False,
        choices=Question.Scale.choices,
        help_text=_("Alleen bij een tabel: de antwoordschaal die elke rij krijgt."),
    )
    min_value = forms.FloatField(label=_("Minimum"), required=False, help_text=_("Bij getallen."))
    max_value = forms.FloatField(label=_("Maximum"), required=False, help_text=_("Bij getallen."))
    max_length = forms.IntegerField(
        label=_("Maximale lengte (tekens)"),
        required=False,
        min_value=1,
        help_text=_("Bij open antwoorden; leeg: de standaardlengte."),
    )
    indicator_codes = forms.CharField(
        label=_("Indicatoren"),
        required=False,
        max_length=200,
        help_text=_("Codes van de indicatoren die deze vraag voedt, met komma's: I1, I2."),
    )
    profile_field = forms.ChoiceField(
        label=_("Achtergrondkenmerk"),
        required=False,
        choices=Question.ProfileField.choices,
        help_text=_(
            "Vult dit kenmerk van het antwoord in (voor weging en uitsplitsing). Panelleden "
            "krijgen de vraag niet, want hun kenmerk is al bekend."
        ),
    )

    field_order = [
        "code",
        "type",
        "text",
        "text_en",
        "help",
        "help_en",
        "required",
        "allow_dont_know",
        "options",
        "max_choices",
        "rows",
        "scale",
        "min_value",
        "max_value",
        "max_length",
        "indicator_codes",
        "profile_field",
        *ConditionFieldsMixin.CONDITION_FIELDS,
    ]
    BASIC_FIELDS = ("code", "type", "text", "text_en", "help", "help_en")
    ANSWER_FIELDS = (
        "required",
        "allow_dont_know",
        "options",
        "max_choices",
        "rows",
        "scale",
        "min_value",
        "max_value",
        "max_length",
    )
    ANALYSIS_FIELDS = ("indicator_codes", "profile_field")

    def __init__(self, *args: Any, earlier: Sequence[Question] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_condition(earlier)
        for name, types in TYPE_FIELDS.items():
            self.fields[name].widget.attrs["data-question-types"] = " ".join(types)

    def fields_named(self, names: Iterable[str]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    @property
    def basic_fields(self) -> list[forms.BoundField]:
        return self.fields_named(self.BASIC_FIELDS)

    @property
    def answer_fields(self) -> list[forms.BoundField]:
        return self.fields_named(self.ANSWER_FIELDS)

    @property
    def analysis_fields(self) -> list[forms.BoundField]:
        return self.fields_named(self.ANALYSIS_FIELDS)

    @property
    def condition_fields(self) -> list[forms.BoundField]:
        return self.fields_named(self.CONDITION_FIELDS)

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        return {
            "code": question.code,
            "type": question.type,
            "text": question.text,
            "text_en": question.text_en,
            "help": question.help,
            "help_en": question.help_en,
            "required": question.required,
            "allow_dont_know": question.allow_dont_know,
            "options": "\n".join(
                " | ".join([o.get("value", ""), o.get("label", ""), o.get("label_en", "")])
                for o in question.options
            ),
            "max_choices": question.max_choices,
            "rows": "\n".join(_row_line(r) for r in question.rows),
            "scale": question.scale,
            "min_value": question.min_value,
            "max_value": question.max_value,
            "max_length": question.max_length,
            "indicator_codes": ", ".join(question.indicator_codes),
            "profile_field": question.profile_field,
            **cls.condition_initial(question.condition),
        }

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()

    def clean_options(self) -> list[dict[str, str]]:
        options = []
        for number, line in _lines(self.cleaned_data.get("options", "")):
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 2 or len(parts) > 3 or not parts[0] or not parts[1]:
                raise forms.ValidationError(
                    _("Regel %(n)d: schrijf waarde | tekst | Engelse tekst.") % {"n": number}
                )
            option = {"value": parts[0], "label": parts[1]}
            if len(parts) == 3 and parts[2]:
                option["label_en"] = parts[2]
            options.append(option)
        return options

    def clean_rows(self) -> list[dict[str, Any]]:
        rows = []
        for number, line in _lines(self.cleaned_data.get("rows", "")):
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 2 or len(parts) > 4 or not parts[0] or not parts[1]:
                raise forms.ValidationError(
                    _("Regel %(n)d: schrijf sleutel | tekst | Engelse tekst | extra.")
                    % {"n": number}
                )
            row: dict[str, Any] = {"key": parts[0], "label": parts[1]}
            if len(parts) >= 3 and parts[2]:
                row["label_en"] = parts[2]
            if len(parts) == 4 and parts[3]:
                extra = parts[3]
                if extra.lower() in REVERSE_WORDS:
                    row["reverse"] = True
                else:
                    row["cluster"] = extra
            rows.append(row)
        return rows

    def clean_indicator_codes(self) -> list[str]:
        raw = self.cleaned_data.get("indicator_codes", "")
        return [c.strip().upper() for c in raw.replace(";", ",").split(",") if c.strip()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["condition"] = self.clean_condition()
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in self.field_order}
        for name in self.CONDITION_FIELDS:
            data.pop(name)
        data["condition"] = self.cleaned_data.get("condition")
        data["scale"] = data["scale"] or ""
        data["profile_field"] = data["profile_field"] or ""
        # Type-specific fields a type does not use are cleared, so that changing the type
        # of a question does not leave stale settings behind.
        kind = data["type"]
        for name, types in TYPE_FIELDS.items():
            if kind not in types:
                data[name] = (
                    [] if name in ("options", "rows") else ("" if name == "scale" else None)
                )
        if kind == "grid" and data["scale"] != Question.Scale.OPTIONS:
            data["options"] = []
        return data


def _row_line(row: dict[str, Any]) -> str:
    parts = [row.get("key", ""), row.get("label", ""), row.get("label_en", "")]
    if row.get("cluster"):
        parts.append(row["cluster"])
    elif row.get("reverse"):
        parts.append("omgekeerd")
    return " | ".join(parts)


def _lines(raw: str) -> list[tuple[int, str]]:
    return [
        (number, line.strip())
        for number, line in enumerate((raw or "").splitlines(), start=1)
        if line.strip()
    ]


# --- Actions --------------------------------------------------------------------------------


class MoveForm(StaffForm):
    direction = forms.ChoiceField(choices=[("up", _("omhoog")), ("down", _("omlaag"))])


class ModerationForm(StaffForm):
    decision = forms.ChoiceField(
        label=_("Beoordeling"),
        choices=[
            (OpenAnswerModeration.Status.APPROVED, _("Goedkeuren")),
            (OpenAnswerModeration.Status.REJECTED, _("Verbergen")),
        ],
        widget=forms.RadioSelect,
    )
    public_text = forms.CharField(
        label=_("Openbare tekst"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Wat in de uitkomsten komt. Haal namen, adressen en andere herkenbare gegevens "
            "weg. Leeg bij goedkeuren: de oorspronkelijke tekst."
        ),
    )

    def service_data(self) -> dict[str, Any]:
        text = self.cleaned_data.get("public_text") or None
        return {"decision": self.cleaned_data["decision"], "public_text": text}


# --- Invitation waves -----------------------------------------------------------------------

STRATUM_ALL = "*"


def target_field_name(area: str, band: str) -> str:
    return f"target__{area}__{band}"


class WaveForm(StaffForm):
    """A new wave: everyone eligible, or a stratified sample with a target per buurt × age
    band (a table of number fields, one per cell; "*" is every buurt / every age)."""

    name = forms.CharField(
        label=_("Naam van de ronde"),
        max_length=200,
        help_text=_("Bijvoorbeeld: eerste ronde mei."),
    )
    mode = forms.ChoiceField(
        label=_("Wie nodig je uit?"),
        choices=InvitationWave.Mode.choices,
        widget=forms.RadioSelect,
        initial=InvitationWave.Mode.STRATIFIED,
    )
    max_invitations = forms.IntegerField(
        label=_("Maximaal aantal uitnodigingen"),
        required=False,
        min_value=1,
        help_text=_("Leeg: geen maximum."),
    )
    fatigue_window_days = forms.IntegerField(
        label=_("Rustperiode (dagen)"),
        min_value=0,
        max_value=3650,
        initial=90,
        help_text=_(
            "Panelleden die in deze periode al voor een vragenlijst zijn uitgenodigd, worden "
            "niet uitgenodigd."
        ),
    )

    def __init__(
        self,
        *args: Any,
        areas: Sequence[tuple[str, str]] = (),
        bands: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.areas = [(STRATUM_ALL, _("Alle buurten")), *areas]
        self.bands = [*bands, (STRATUM_ALL, _("alle leeftijden"))]
        for area, area_label in self.areas:
            for band, band_label in self.bands:
                self.fields[target_field_name(area, band)] = forms.IntegerField(
                    label=_("Aantal voor %(area)s, %(band)s")
                    % {"area": area_label, "band": band_label},
                    required=False,
                    min_value=0,
                    # The page shows how many members are available next to each field.
                    help_text=_("beschikbaar"),
                    widget=forms.NumberInput(
                        attrs={"class": "bs-target-input", "inputmode": "numeric"}
                    ),
                )

    def target_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "code": area,
                "label": label,
                "cells": [(band, self[target_field_name(area, band)]) for band, _l in self.bands],
            }
            for area, label in self.areas
        ]

    def target_errors(self) -> list[forms.BoundField]:
        return [
            self[name] for name in self.fields if name.startswith("target__") and self[name].errors
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        targets = {}
        for area, _a in self.areas:
            for band, _b in self.bands:
                value = cleaned.get(target_field_name(area, band))
                if value:
                    targets[f"{area}|{band}"] = value
        cleaned["targets"] = targets
        return cleaned

    def service_data(self) -> dict[str, Any]:
        stratified = self.cleaned_data["mode"] == InvitationWave.Mode.STRATIFIED
        return {
            "name": self.cleaned_data["name"],
            "mode": self.cleaned_data["mode"],
            "targets": self.cleaned_data["targets"] if stratified else {},
            "fatigue_window_days": self.cleaned_data["fatigue_window_days"],
            "max_invitations": self.cleaned_data.get("max_invitations"),
        }

    def stratum_field(self, stratum: str) -> str | None:
        area, _sep, band = stratum.partition("|")
        name = target_field_name(area, band)
        return name if name in self.fields else None

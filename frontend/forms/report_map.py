"""The filter form of the public meldingen map and its table (GET): category and period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.selectors import PublicFilters, category_tree

ALL = ""
PERIOD_DAYS = {"30": 30, "90": 91, "365": 365}
DEFAULT_PERIOD = "365"
PERIOD_CHOICES = [
    ("30", _("Afgelopen 30 dagen")),
    ("90", _("Afgelopen 3 maanden")),
    ("365", _("Afgelopen 12 maanden")),
    ("alles", _("Alle meldingen")),
]


@dataclass(frozen=True)
class ErrorLink:
    anchor: str
    message: str


def public_category_choices() -> list[tuple[str, Any]]:
    """Categories whose reports can be public, for the select: each main category with its
    public subcategories as an option group (the main category itself means "all of
    these"); a main category without subcategories only when it takes reports itself (not
    "Spoed", which sends people to 112)."""
    choices: list[tuple[str, Any]] = [(ALL, _("Alle categorieën"))]
    for main, subs in category_tree():
        public_subs = [s for s in subs if s.is_public]
        if not public_subs:
            if not subs and main.is_public and main.accepts_reports:
                choices.append((main.slug, main.localized_name))
            continue
        options = [(s.slug, s.localized_name) for s in public_subs]
        if main.is_public:
            label = _("Alles in %(name)s") % {"name": main.localized_name}
            options.insert(0, (main.slug, label))
        choices.append((main.localized_name, options))
    return choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FilterFormMixin:
    """Error summary links and the query string of a GET filter form."""

    errors: Any
    cleaned_data: dict[str, Any]

    def error_links(self) -> list[ErrorLink]:
        """For the error summary at the top: one link per field error, to the field."""
        return [
            ErrorLink(anchor=self[name].auto_id, message=str(message))  # type: ignore[index]
            for name, messages in self.errors.items()
            for message in messages
        ]

    def query_string(self) -> str:
        """The submitted filters as a query string (for links between pages), without empty
        values; call after is_valid()."""
        pairs = [
            (name, value.isoformat() if isinstance(value, date) else value)
            for name, value in self.cleaned_data.items()
            if value
        ]
        return urlencode(pairs)


class PublicReportFilterForm(FilterFormMixin, forms.Form):
    """Bound to request.GET. Unknown categories, impossible dates and a period that ends
    before it starts are field errors; empty fields mean "all"."""

    categorie = forms.ChoiceField(label=_("Categorie"), required=False)
    periode = forms.ChoiceField(
        label=_("Periode"),
        choices=PERIOD_CHOICES,
        required=False,
        help_text=_("Gebruikt als u hieronder geen eigen datums invult."),
    )
    van = forms.DateField(
        label=_("Van"),
        required=False,
        widget=DateInput(),
        help_text=_("Eerste dag, bijvoorbeeld 2026-05-01."),
    )
    tot = forms.DateField(
        label=_("Tot en met"),
        required=False,
        widget=DateInput(),
        help_text=_("Laatste dag, bijvoorbeeld 2026-05-31."),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["categorie"].choices = public_category_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("van"), data.get("tot")
        if start and end and end < start:
            self.add_error(
                "tot", _("De laatste dag ligt vóór de eerste dag. Kies een latere datum.")
            )
        return data

    def to_filters(self) -> PublicFilters:
        """The filters to apply; call after is_valid(). Own dates win over the period."""
        data = self.cleaned_data
        categories = (data["categorie"],) if data.get("categorie") else ()
        start, end = data.get("van"), data.get("tot")
        if start or end:
            return PublicFilters(categories=categories, date_from=start, date_to=end)
        period = data.get("periode") or DEFAULT_PERIOD
        days = PERIOD_DAYS.get(period)
        start = self.today - timedelta(days=days - 1) if days else None
        return PublicFilters(categories=categories, date_from=start)

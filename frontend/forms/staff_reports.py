"""Forms of the back office for meldingen (/beheer/meldingen/).

They only validate and translate input; every change goes through one service in
`reports.services` (the views catch domain errors and attach them to the field they name).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from geo.codes import AreaLevel
from geo.selectors import area_list
from participation.taxonomy import theme_list_active
from reports.models import Report
from reports.selectors import STAFF_SORTS, StaffFilters, category_tree
from reports.services import report_statuses_next

TEXTAREA = {"class": "utrecht-textarea", "rows": 5}
IMPORT_MAX_BYTES = 20 * 1024 * 1024
IMPORT_DATA_SUFFIXES = (".csv", ".txt", ".geojson", ".json")

SORT_LABELS = {
    "newest": _("Nieuwste eerst"),
    "oldest": _("Oudste eerst"),
    "status": _("Status"),
    "category": _("Categorie"),
    "buurt": _("Buurt"),
    "support": _("Meeste ‘ook last van’"),
}


class _HouseStyleForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# --- List filters -----------------------------------------------------------------------------


def _category_choices() -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", _("Alle categorieën"))]
    for main, subs in category_tree():
        group = [(main.slug, _("Alle in %(name)s") % {"name": main.localized_name})]
        group += [(sub.slug, sub.localized_name) for sub in subs]
        choices.append((main.localized_name, group))
    return choices


def _theme_choices() -> list[tuple[str, Any]]:
    themes = list(theme_list_active().select_related("parent").order_by("code"))
    choices: list[tuple[str, Any]] = [("", _("Alle thema's"))]
    velden = [t for t in themes if t.parent_id is None]
    for veld in velden:
        group = [(veld.slug, _("Alle thema's in %(name)s") % {"name": veld.name})]
        group += [(t.slug, f"{t.code} {t.name}") for t in themes if t.parent_id == veld.pk]
        choices.append((f"{veld.code} {veld.name}", group))
    return choices


def _area_choices() -> list[tuple[str, Any]]:
    code = settings.BUURTSTEM_MUNICIPALITY_CODE
    fields = ("code", "name", "parent_code")
    wijken = list(area_list(level=AreaLevel.WIJK, municipality_code=code).only(*fields))
    buurten = list(area_list(level=AreaLevel.BUURT, municipality_code=code).only(*fields))
    choices: list[tuple[str, Any]] = [("", _("Alle wijken en buurten"))]
    for wijk in sorted(wijken, key=lambda w: w.name):
        group = [(wijk.code, _("Hele wijk %(name)s") % {"name": wijk.name})]
        group += [
            (b.code, b.name)
            for b in sorted(buurten, key=lambda b: b.name)
            if b.parent_code == wijk.code
        ]
        choices.append((wijk.name, group))
    return choices


class ReportFilterForm(_HouseStyleForm):
    """The GET form above the list; also read by the map, the exports and the map data."""

    q = forms.CharField(
        label=_("Zoeken"),
        help_text=_("In de tekst, de plek of op kenmerk."),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox", "type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle statussen")), *Report.Status.choices],
    )
    moderation = forms.ChoiceField(
        label=_("Moderatie"),
        required=False,
        choices=[("", _("Alle")), *Report.Moderation.choices],
    )
    category = forms.ChoiceField(label=_("Categorie"), required=False)
    theme = forms.ChoiceField(label=_("Thema (IVP)"), required=False)
    area = forms.ChoiceField(label=_("Wijk of buurt"), required=False)
    date_from = forms.DateField(
        label=_("Gemeld vanaf"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "utrecht-textbox"}),
    )
    date_to = forms.DateField(
        label=_("Gemeld tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "utrecht-textbox"}),
    )
    sort = forms.ChoiceField(
        label=_("Sorteren"),
        required=False,
        choices=[(key, SORT_LABELS[key]) for key in STAFF_SORTS],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()
        self.fields["theme"].choices = _theme_choices()
        self.fields["area"].choices = _area_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Deze datum ligt vóór ‘Gemeld vanaf’."))
        return data

    def to_filters(self, *, include_confidential: bool) -> StaffFilters:
        """The selection; only call after is_valid(). Invalid fields count as not given."""
        data = self.cleaned_data
        area = data.get("area") or ""
        return StaffFilters(
            status=data.get("status") or None,
            moderation=data.get("moderation") or None,
            category=data.get("category") or None,
            theme=data.get("theme") or None,
            buurt=area if area.startswith("BU") else None,
            wijk=area if area.startswith("WK") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            text=(data.get("q") or "").strip() or None,
            include_confidential=include_confidential,
            sort=data.get("sort") or "newest",
        )


# --- Actions on one report --------------------------------------------------------------------


class StatusChangeForm(_HouseStyleForm):
    status = forms.ChoiceField(label=_("Nieuwe status"), widget=forms.RadioSelect)
    partner = forms.ChoiceField(
        label=_("Partner"),
        help_text=_("Alleen bij ‘doorgestuurd naar partner’: naar wie?"),
        required=False,
        choices=[("", _("Kies een partner")), *Report.Partner.choices],
    )
    message = forms.CharField(
        label=_("Bericht aan de melder (niet verplicht)"),
        help_text=_(
            "De melder ziet dit op de volgpagina en krijgt het per e-mail als die daarvoor "
            "toestemming gaf. Schrijf in gewone taal en spreek de melder aan met ‘u’."
        ),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "status")
        super().__init__(*args, **kwargs)
        labels = dict(Report.Status.choices)
        self.fields["status"].choices = [
            (value, labels[value]) for value in report_statuses_next(report=report)
        ]


class MessageForm(_HouseStyleForm):
    INTERNAL = "internal"
    PUBLIC = "public"

    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=[
            (INTERNAL, _("Interne notitie (alleen voor medewerkers)")),
            (PUBLIC, _("Bericht aan de melder")),
        ],
        initial=INTERNAL,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(label=_("Tekst"), max_length=4000, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "message")
        super().__init__(*args, **kwargs)


class ModerationForm(_HouseStyleForm):
    decision = forms.ChoiceField(
        label=_("Beslissing"),
        choices=[
            (Report.Moderation.APPROVED, _("Goedkeuren: de tekst mag openbaar")),
            (Report.Moderation.REDACTED, _("Aanpassen: alleen de aangepaste tekst wordt openbaar")),
            (Report.Moderation.REJECTED, _("Afwijzen: geen tekst openbaar")),
        ],
        widget=forms.RadioSelect,
    )
    public_text = forms.CharField(
        label=_("Openbare tekst"),
        help_text=_(
            "Haal namen, adressen, kentekens en andere persoonsgegevens weg. Bij goedkeuren "
            "zonder wijziging wordt de oorspronkelijke tekst openbaar; die blijft altijd "
            "bewaard voor bevoegde medewerkers."
        ),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "moderation")
        super().__init__(*args, **kwargs)


class MergeForm(_HouseStyleForm):
    into = forms.CharField(
        label=_("Kenmerk van de melding die blijft"),
        help_text=_("Bijvoorbeeld BS-2026-ABCD. Deze melding wordt daarmee samengevoegd."),
        max_length=20,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "Ik begrijp dat deze melding dan wordt geannuleerd en dat de melder en wie ‘ook "
            "last van’ gaf, meetellen bij de andere melding."
        ),
        error_messages={"required": _("Vink aan dat je de melding wilt samenvoegen.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "merge")
        super().__init__(*args, **kwargs)


# --- Import -----------------------------------------------------------------------------------


class ImportUploadForm(_HouseStyleForm):
    data_file = forms.FileField(
        label=_("Bestand met meldingen"),
        help_text=_(
            "CSV (komma, puntkomma of tab; met kopregel) of GeoJSON met punten. Nodig: "
            "kenmerk, categorie, datum, status en de plek (lat/lon of de geometrie)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_DATA_SUFFIXES)}),
    )
    mapping_file = forms.FileField(
        label=_("Koppelbestand categorieën (niet verplicht)"),
        help_text=_(
            "CSV met de kolommen external_code en slug: welke categorie van het andere "
            "systeem bij welke categorie van Buurtstem hoort. Zonder koppelbestand moeten de "
            "categorieën in het bestand al Buurtstem-categorieën (slugs) zijn."
        ),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt"}),
    )
    source_name = forms.RegexField(
        label=_("Naam van het bronsysteem"),
        help_text=_(
            "Bijvoorbeeld ‘mor’. Meldingen die al eens uit dezelfde bron zijn ingelezen, "
            "worden overgeslagen."
        ),
        regex=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$",
        error_messages={
            "invalid": _("Gebruik letters, cijfers, punt, streepje of liggend streepje.")
        },
        initial="import",
        max_length=40,
        widget=forms.TextInput(attrs={"class": "utrecht-textbox"}),
    )
    partial = forms.BooleanField(
        label=_("Goede rijen inlezen, ook als andere rijen fouten hebben"),
        help_text=_("Zonder dit vinkje wordt niets ingelezen zolang er een rij met een fout is."),
        required=False,
    )

    def clean_data_file(self) -> Any:
        upload = self.cleaned_data["data_file"]
        if not upload.name.lower().endswith(IMPORT_DATA_SUFFIXES):
            raise forms.ValidationError(_("Gebruik een .csv- of .geojson-bestand."))
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 20 MB."))
        return upload

    def clean_mapping_file(self) -> Any:
        upload = self.cleaned_data.get("mapping_file")
        if upload and upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 20 MB."))
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)

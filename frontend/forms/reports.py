"""Forms for filing a melding: the place and category (step 1), then the details (step 2).

The forms only parse input; every rule about reports (categories, point → buurt, text,
time, photos, contact) is the domain's (`reports.services.report_intake_precheck` and
`report_create`). Domain errors come back through `add_domain_error`, which puts them on
the field they name.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from geo.codes import AreaLevel
from geo.exceptions import InvalidCoordinatesError
from geo.selectors import area_list
from reports.exceptions import TooManyPhotosError
from reports.models import ReportCategory
from reports.selectors import category_tree

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")
LOCATION = "location"  # the place as a whole (map point or buurt): not a single input
PLACE_FIELDS = ("lat", "lon", "buurt", "location_description", "category", LOCATION)
# Domain error fields → form fields (or LOCATION for the place as a whole).
DOMAIN_FIELDS = {
    "location": LOCATION,
    "lat": LOCATION,
    "lon": LOCATION,
    "buurt": "buurt",
    "location_description": "location_description",
    "category": "category",
    "description": "description",
    "occurred_at": "occurred_date",
    "contact_email": "contact_email",
    "contact_consent": "contact_consent",
    "photos": "photos",
}
PHOTO_TYPES = "image/jpeg,image/png,image/webp"


def idempotency_key_new() -> str:
    return secrets.token_urlsafe(24)


def idempotency_key_for_domain(key: str) -> str:
    """Namespaced and hashed like the API's keys, so keys of the web form, the API and
    Open311 can never collide."""
    return "web:" + hashlib.sha256(key.encode()).hexdigest()[:60]


def category_label(category: ReportCategory) -> str:
    """The option text: the name, and for topics that belong elsewhere the channel first."""
    if category.redirect_channel:
        return f"{category.localized_name} – {category.get_redirect_channel_display()}"
    return category.localized_name


def category_choices() -> tuple[list[Any], dict[str, ReportCategory]]:
    """Grouped choices (main category → subcategories) and the categories by slug."""
    choices: list[Any] = [("", _("Kies een onderwerp"))]
    by_slug: dict[str, ReportCategory] = {}
    for main, subs in category_tree():
        if subs:
            choices.append((main.localized_name, [(c.slug, category_label(c)) for c in subs]))
            by_slug.update({c.slug: c for c in subs})
        else:
            choices.append((main.slug, category_label(main)))
            by_slug[main.slug] = main
    return choices, by_slug


def buurt_choices() -> list[Any]:
    """The municipality's buurten grouped by wijk, both alphabetically."""
    municipality = settings.BUURTSTEM_MUNICIPALITY_CODE
    geometry = ("boundary", "boundary_simplified")
    wijken = {
        w.code: w.name
        for w in area_list(level=AreaLevel.WIJK, municipality_code=municipality).defer(*geometry)
    }
    groups: dict[str, list[tuple[str, str]]] = {}
    for buurt in area_list(level=AreaLevel.BUURT, municipality_code=municipality).defer(*geometry):
        wijk_code = buurt.parent_code or "WK" + buurt.code[2:8]
        groups.setdefault(wijk_code, []).append((buurt.code, buurt.name))

    def key(name: str) -> str:
        return name.casefold().lstrip("'’")

    choices: list[Any] = [("", _("Kies een buurt"))]
    named = sorted(
        ((wijken.get(code, ""), rows) for code, rows in groups.items()), key=lambda g: key(g[0])
    )
    for wijk_name, rows in named:
        label = _("Wijk %(name)s") % {"name": wijk_name} if wijk_name else _("Buurten zonder wijk")
        choices.append((label, sorted(rows, key=lambda r: key(r[1]))))
    return choices


@dataclass(frozen=True)
class SummaryError:
    anchor: str  # id of the element the error summary links to
    message: str


class _BaseForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.location_errors: list[str] = []

    def add_location_error(self, message: Any) -> None:
        self.location_errors.append(str(message))

    def add_domain_error(self, error: DomainError) -> None:
        """Put a domain error on the field it names (a form-wide error otherwise)."""
        field = DOMAIN_FIELDS.get(str(error.extra.get("field", "")))
        message = str(error.message)
        if field == LOCATION:
            self.add_location_error(message)
        elif field in self.fields:
            self.add_error(field, message)
        else:
            self.add_error(None, message)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.location_errors)

    @property
    def has_place_errors(self) -> bool:
        return bool(self.location_errors) or any(f in self.errors for f in PLACE_FIELDS)

    def error_summary(self) -> list[SummaryError]:
        """Every error, in the order of the form, each linking to its field."""
        summary = [SummaryError("report-form", str(e)) for e in self.non_field_errors()]
        summary += [SummaryError("report-location", m) for m in self.location_errors]
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            anchor = self[name].id_for_label or self[name].auto_id
            summary += [SummaryError(anchor, str(e)) for e in self.errors.get(name, [])]
        for name, field in self.fields.items():  # tampered hidden fields: no input to link
            if isinstance(field.widget, forms.HiddenInput):
                summary += [SummaryError("report-form", str(e)) for e in self.errors.get(name, [])]
        return summary


class ReportPlaceForm(_BaseForm):
    """Step 1: where (a point from the map, or a buurt plus a description) and what."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput)
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lon = forms.CharField(required=False, widget=forms.HiddenInput)
    buurt = forms.ChoiceField(
        label=_("Buurt"),
        required=False,
        help_text=_("Niet nodig als u de plek op de kaart heeft aangewezen."),
        error_messages={"invalid_choice": _("Kies een buurt uit de lijst.")},
    )
    location_description = forms.CharField(
        label=_("Waar precies?"),
        required=False,
        strip=False,
        help_text=_("Straat, plein of herkenningspunt, bijvoorbeeld “bij de ingang van het park”."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "utrecht-textbox"}),
    )
    category = forms.ChoiceField(
        label=_("Waar gaat uw melding over?"),
        error_messages={
            "required": _("Kies een onderwerp."),
            "invalid_choice": _(
                "Dit onderwerp bestaat niet (meer). Kies een onderwerp uit de lijst."
            ),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices, self.categories = category_choices()
        self.fields["category"].choices = choices
        self.fields["buurt"].choices = buurt_choices()
        self.fields["idempotency_key"].initial = self.initial.get("idempotency_key") or ""

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if not IDEMPOTENCY_KEY.match(key):
            raise ValidationError(_("Vernieuw de pagina en probeer het opnieuw."))
        return key

    def _coordinate(self, name: str) -> float | None:
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return None
        try:
            return float(raw.replace(",", "."))
        except ValueError:
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        raw = [(data.get(n) or "").strip() for n in ("lat", "lon")]
        lat, lon = self._coordinate("lat"), self._coordinate("lon")
        if (raw[0] and lat is None) or (raw[1] and lon is None):
            self.add_location_error(InvalidCoordinatesError.default_message)
        data["lat"], data["lon"] = lat, lon
        return data

    @property
    def uses_point(self) -> bool:
        return self.is_bound and self.cleaned_data.get("lat") is not None

    def location_kwargs(self) -> dict[str, Any]:
        """The place as the domain services take it."""
        data = self.cleaned_data
        lat = data.get("lat")
        return {
            "lat": lat,
            "lon": data.get("lon"),
            "buurt_code": None if lat is not None else (data.get("buurt") or None),
            "location_description": data.get("location_description", ""),
        }

    def place_kwargs(self) -> dict[str, Any]:
        """The place and category as the domain services take them."""
        return {"category_slug": self.cleaned_data["category"], **self.location_kwargs()}

    @property
    def place_inputs_valid(self) -> bool:
        """Whether the place could be checked although other fields have errors."""
        return not self.location_errors and not any(
            f in self.errors for f in ("lat", "lon", "buurt", "location_description")
        )

    def chosen_category(self) -> ReportCategory | None:
        value = self.data.get(self.add_prefix("category")) if self.is_bound else None
        return self.categories.get(value or self.initial.get("category") or "")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to REPORTS_MAX_PHOTOS files; oversize files are refused before they are read.
    Whether they are images is the domain's check (it decodes and re-encodes them)."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"multiple": True, "accept": PHOTO_TYPES})

    def clean(self, data: Any, initial: Any = None) -> list[bytes]:
        files = (
            [f for f in (data or []) if f]
            if isinstance(data, list | tuple)
            else [data]
            if data
            else []
        )
        max_photos = getattr(settings, "REPORTS_MAX_PHOTOS", 3)
        if len(files) > max_photos:
            raise ValidationError(str(TooManyPhotosError.default_message))
        max_bytes = settings.REPORTS_PHOTO_MAX_BYTES
        for upload in files:
            if upload.size > max_bytes:
                raise ValidationError(
                    _("De foto %(name)s is te groot: hooguit %(mb)d MB per foto.")
                    % {"name": upload.name, "mb": max_bytes // (1024 * 1024)}
                )
            if upload.size == 0:
                raise ValidationError(_("De foto %(name)s is leeg.") % {"name": upload.name})
        return [upload.read() for upload in files]


class ReportDetailsForm(ReportPlaceForm):
    """Step 2: the place and category again (hidden, as checked in step 1) plus the details."""

    description = forms.CharField(
        label=_("Wat is er aan de hand?"),
        strip=False,
        help_text=_(
            "Beschrijf wat u ziet of meemaakt, zonder namen of andere gegevens van personen. "
            "Hooguit 4.000 tekens."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "class": "utrecht-textbox"}),
        error_messages={"required": _("Beschrijf wat er aan de hand is.")},
    )
    occurred_date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul de datum in."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 14-03-2026."),
        },
    )
    occurred_time = forms.TimeField(
        label=_("Tijd"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Vul de tijd in."),
            "invalid": _("Vul een geldige tijd in, bijvoorbeeld 21:30."),
        },
    )
    photos = PhotosField(
        label=_("Foto's"),
        help_text=_(
            "Hooguit 3 foto's (JPEG, PNG of WebP, elk hooguit 8 MB). Wij verwijderen de "
            "gegevens in de foto, zoals de plek waar hij is gemaakt. Zet geen herkenbare "
            "personen of kentekens op de foto."
        ),
    )
    contact_email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "class": "utrecht-textbox"}),
        error_messages={"invalid": _("Dit is geen geldig e-mailadres.")},
    )
    contact_consent = forms.BooleanField(
        label=_("Ja, de gemeente mag mij over deze melding mailen."), required=False
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user if getattr(user, "is_authenticated", False) else None
        if self.user is not None:
            del self.fields["contact_email"]
            self.fields["contact_consent"].label = _(
                "Ja, stuur mij berichten over deze melding op het e-mailadres van mijn account."
            )
        now = timezone.localtime()
        self.fields["occurred_date"].initial = self.initial.get("occurred_date", now.date())
        self.fields["occurred_time"].initial = self.initial.get(
            "occurred_time", now.time().replace(second=0, microsecond=0)
        )
        self.fields["occurred_date"].widget.attrs["max"] = now.date().isoformat()

    def occurred_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["occurred_date"], data["occurred_time"]))

    def create_kwargs(self) -> dict[str, Any]:
        """Everything `report_create` takes from this form."""
        data = self.cleaned_data
        return {
            **self.place_kwargs(),
            "description": data["description"],
            "occurred_at": self.occurred_at(),
            "photos": data.get("photos") or [],
            "contact_email": data.get("contact_email", ""),
            "contact_consent": data.get("contact_consent", False),
            "reporter": self.user,
            "idempotency_key": idempotency_key_for_domain(data["idempotency_key"]),
        }

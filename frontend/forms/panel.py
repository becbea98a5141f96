"""Forms of the burgerpanel pages: profile (buurt, age band, sex), consent, leaving.

The forms only validate input; the participation services enforce the rules again (buurt in
the panel's area, current consent text) and raise domain errors the views show."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from geo.models import Area
from participation.models import PanelMembership
from participation.selectors import BuurtChoiceGroup


class PanelProfileForm(forms.Form):
    """Buurt (a select grouped by wijk; the map on the page sets the same select), age band
    and sex. `buurt_groups` are the buurten the panel covers."""

    buurt = forms.ChoiceField(
        label=_("Uw buurt"),
        help_text=_(
            "Kies de buurt waar u woont. Uw adres vragen we niet. U kunt de buurt ook op de "
            "kaart aanwijzen."
        ),
        error_messages={
            "required": _("Kies uw buurt."),
            "invalid_choice": _(
                "Deze buurt hoort niet bij het werkgebied van het burgerpanel. Kies een buurt "
                "uit de lijst."
            ),
        },
    )
    age_band = forms.ChoiceField(
        label=_("Uw leeftijd"),
        choices=PanelMembership.AgeBand.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies uw leeftijdsgroep."),
            "invalid_choice": _("Kies een van de leeftijdsgroepen."),
        },
    )
    sex = forms.ChoiceField(
        label=_("Uw geslacht"),
        choices=PanelMembership.Sex.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Niet verplicht. U kunt ook kiezen voor “zeg ik liever niet”."),
        error_messages={"invalid_choice": _("Kies een van de mogelijkheden bij geslacht.")},
    )

    def __init__(self, *args: Any, buurt_groups: list[BuurtChoiceGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.buurten_by_code: dict[str, Area] = {
            buurt.code: buurt for group in buurt_groups for buurt in group.buurten
        }
        self.fields["buurt"].choices = [
            ("", _("Kies uw buurt")),
            *(
                (group.wijk_name, [(b.code, b.name) for b in group.buurten])
                for group in buurt_groups
            ),
        ]

    def cleaned_buurt(self) -> Area | None:
        return self.buurten_by_code.get(self.cleaned_data.get("buurt") or "")

    def profile(self) -> dict[str, Any]:
        """Keyword arguments for the participation services."""
        return {
            "buurt": self.cleaned_buurt(),
            "age_band": self.cleaned_data["age_band"],
            "sex": self.cleaned_data.get("sex") or "",
        }


class ConsentFieldsMixin(forms.Form):
    """An explicit, never pre-ticked consent checkbox and the version of the text shown (so
    consent is recorded for exactly the text the resident read)."""

    consent = forms.BooleanField(
        label=_("Ik heb de toestemmingstekst gelezen en ik geef toestemming."),
        required=True,
        initial=False,
        error_messages={
            "required": _(
                "Vink aan dat u toestemming geeft. Zonder toestemming kunt u geen lid worden."
            )
        },
    )
    consent_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PanelJoinForm(PanelProfileForm, ConsentFieldsMixin):
    field_order = ["buurt", "age_band", "sex", "consent", "consent_version"]


class PanelConsentRenewForm(ConsentFieldsMixin):
    pass

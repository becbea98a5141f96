from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class InvalidCoordinatesError(DomainError):
    code = "invalid_coordinates"
    default_message = _("De coördinaten zijn geen geldige breedte- en lengtegraad (WGS84).")


class SwappedCoordinatesError(DomainError):
    code = "swapped_coordinates"
    default_message = _(
        "Breedte- en lengtegraad lijken verwisseld: lat is de breedtegraad (ongeveer 52 in "
        "Nederland), lon de lengtegraad (ongeveer 4 tot 7)."
    )


class OutsideMunicipalityError(DomainError):
    code = "outside_municipality"
    default_message = _("Deze plek ligt niet in een buurt van de gemeente.")


class NoAreasError(DomainError):
    code = "no_areas"
    http_status = 503
    default_message = _("Er zijn nog geen buurten ingelezen; importeer eerst de gebieden.")


class AreaImportError(DomainError):
    code = "area_import_invalid"
    default_message = _("Het bestand kan niet worden geïmporteerd.")


class PopulationImportError(DomainError):
    code = "population_import_invalid"
    default_message = _("Het bestand met kerncijfers kan niet worden geïmporteerd.")

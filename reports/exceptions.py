from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class CategoryUnavailableError(DomainError):
    code = "category_unavailable"
    default_message = _("Deze categorie bestaat niet of is niet meer in gebruik.")


class CategoryRedirectOnlyError(DomainError):
    code = "category_redirect_only"
    default_message = _("Voor dit onderwerp kunt u hier niet melden; gebruik het genoemde kanaal.")


class DescriptionInvalidError(DomainError):
    code = "description_invalid"
    default_message = _("De omschrijving is ongeldig.")


class LocationRequiredError(DomainError):
    code = "location_required"
    default_message = _("Geef de plek aan op de kaart, of kies de buurt en beschrijf de plek.")


class ContactConsentRequiredError(DomainError):
    code = "contact_consent_required"
    default_message = _(
        "U heeft een e-mailadres gegeven: geef ook toestemming dat wij u mogen mailen over deze "
        "melding, of laat het e-mailadres leeg."
    )


class PhotoInvalidError(DomainError):
    code = "photo_invalid"
    default_message = _("De foto is geen geldige JPEG-, PNG- of WebP-afbeelding.")


class PhotoTooLargeError(DomainError):
    code = "photo_too_large"
    default_message = _("De foto is te groot.")


class TooManyPhotosError(DomainError):
    code = "too_many_photos"
    default_message = _("U kunt maximaal 3 foto's toevoegen.")


class IdempotencyConflictError(DomainError):
    code = "idempotency_conflict"
    http_status = 409
    default_message = _(
        "Deze verzendsleutel is al gebruikt voor een andere melding. Vernieuw de pagina en "
        "probeer het opnieuw."
    )


class InvalidTransitionError(DomainError):
    code = "invalid_status_transition"
    http_status = 409
    default_message = _("Deze statuswijziging is niet mogelijk.")


class PartnerRequiredError(DomainError):
    code = "partner_required"
    default_message = _("Kies de partner waarnaar de melding is doorgestuurd.")


class ReportNotOpenError(DomainError):
    code = "report_not_open"
    http_status = 409
    default_message = _("Deze melding is al afgesloten.")


class MergeInvalidError(DomainError):
    code = "merge_invalid"
    http_status = 409
    default_message = _("Deze meldingen kunnen niet worden samengevoegd.")


class ModerationInvalidError(DomainError):
    code = "moderation_invalid"
    default_message = _("Geef de openbare tekst op bij goedkeuren of aanpassen.")


class ReportImportError(DomainError):
    code = "report_import_invalid"
    default_message = _("Het importbestand kan niet worden gelezen.")


class RetentionTooShortError(DomainError):
    code = "retention_too_short"
    default_message = _("De bewaartermijn voor contactgegevens is minimaal 30 dagen.")


class Open311KeyInvalidError(DomainError):
    code = "api_key_invalid"
    http_status = 403
    default_message = _("De API-sleutel ontbreekt, is onbekend of is ingetrokken.")

from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError

# --- Accounts and roles ---------------------------------------------------------------------


class EmailInUseError(DomainError):
    code = "email_in_use"
    http_status = 409
    default_message = _("Er bestaat al een account met dit e-mailadres.")


class UnknownRoleError(DomainError):
    code = "unknown_role"
    default_message = _("Deze rol bestaat niet.")


class RoleAlreadyGrantedError(DomainError):
    code = "role_already_granted"
    http_status = 409
    default_message = _("Deze gebruiker heeft deze rol al.")


class RoleNotGrantedError(DomainError):
    code = "role_not_granted"
    http_status = 409
    default_message = _("Deze gebruiker heeft deze rol niet.")


class InactiveAccountError(DomainError):
    code = "inactive_account"
    http_status = 409
    default_message = _("Dit account is niet actief.")


class LastAdministratorError(DomainError):
    code = "last_administrator"
    http_status = 409
    default_message = _(
        "Dit is de laatste beheerder. Wijs eerst iemand anders als beheerder aan, anders kan "
        "niemand de rollen nog beheren."
    )


# --- Wijkraden ------------------------------------------------------------------------------


class WijkraadAreaInvalidError(DomainError):
    code = "wijkraad_area_invalid"
    default_message = _("Een wijkraad kan alleen wijken en buurten omvatten.")


class AlreadyWijkraadMemberError(DomainError):
    code = "already_wijkraad_member"
    http_status = 409
    default_message = _("Deze gebruiker is al lid van deze wijkraad.")


# --- Burgerpanel ----------------------------------------------------------------------------


class EmailNotVerifiedError(DomainError):
    code = "email_not_verified"
    http_status = 409
    default_message = _(
        "Bevestig eerst uw e-mailadres; daarna kunt u zich aanmelden voor het burgerpanel."
    )


class PanelClosedError(DomainError):
    code = "panel_closed"
    http_status = 409
    default_message = _("Dit burgerpanel neemt geen nieuwe leden aan.")


class AlreadyPanelMemberError(DomainError):
    code = "already_panel_member"
    http_status = 409
    default_message = _("U bent al lid van dit burgerpanel.")


class ConsentTextInvalidError(DomainError):
    code = "consent_text_invalid"
    default_message = _(
        "Deze toestemmingstekst is niet de geldende tekst van dit burgerpanel. Lees de "
        "huidige tekst en geef opnieuw toestemming."
    )


class ConsentTextPublishedError(DomainError):
    code = "consent_text_published"
    http_status = 409
    default_message = _("Een gepubliceerde toestemmingstekst kan niet meer worden gewijzigd.")


class PanelBuurtInvalidError(DomainError):
    code = "panel_buurt_invalid"
    default_message = _("Kies een buurt in het werkgebied van dit burgerpanel.")


class MembershipWithdrawnError(DomainError):
    code = "membership_withdrawn"
    http_status = 409
    default_message = _("Dit lidmaatschap is al beëindigd.")


# --- Demo -----------------------------------------------------------------------------------


class DemoAccountsNotAllowedError(DomainError):
    code = "demo_accounts_not_allowed"
    http_status = 409
    default_message = _(
        "Demo-accounts met bekende wachtwoorden worden alleen aangemaakt met DEBUG aan of "
        "BUURTSTEM_DEMO_ACCOUNTS=True."
    )


# --- Veiligheidsplan --------------------------------------------------------------------------


class PlanInvalidError(DomainError):
    code = "plan_invalid"
    default_message = _("Deze gegevens passen niet bij het veiligheidsplan.")


class PlanNotDraftError(DomainError):
    code = "plan_not_draft"
    http_status = 409
    default_message = _("Dit veiligheidsplan is vastgesteld en kan niet meer worden gewijzigd.")


class DuplicatePriorityError(DomainError):
    code = "duplicate_priority"
    http_status = 409
    default_message = _("Dit plan heeft al een prioriteit voor dit thema.")


class EvidenceInvalidError(DomainError):
    code = "evidence_invalid"
    default_message = _("Dit bewijs kan niet worden vastgelegd.")

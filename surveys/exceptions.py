"""Domain errors of the surveys app (rendered as {"code", "detail", "extra"} by the API)."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError

# --- Questionnaire --------------------------------------------------------------------------


class SurveyInvalidError(DomainError):
    code = "survey_invalid"
    default_message = _("De gegevens van de vragenlijst zijn ongeldig.")


class VersionFrozenError(DomainError):
    code = "version_frozen"
    http_status = 409
    default_message = _(
        "Deze versie van de vragenlijst is gepubliceerd en kan niet meer worden gewijzigd. "
        "Maak een nieuwe versie om wijzigingen aan te brengen."
    )


class DraftVersionExistsError(DomainError):
    code = "draft_version_exists"
    http_status = 409
    default_message = _("Er is al een conceptversie; bewerk die versie.")


class NoDraftVersionError(DomainError):
    code = "no_draft_version"
    http_status = 409
    default_message = _("Er is geen conceptversie om te publiceren.")


class QuestionInvalidError(DomainError):
    code = "question_invalid"
    default_message = _("De vraag is ongeldig.")


class SectionInvalidError(DomainError):
    code = "section_invalid"
    default_message = _("Het onderdeel is ongeldig.")


class QuestionnaireInvalidError(DomainError):
    """Publishing refused; `extra["errors"]` lists every problem found."""

    code = "questionnaire_invalid"
    default_message = _("De vragenlijst kan nog niet worden gepubliceerd.")


class SurveyClosedError(DomainError):
    code = "survey_closed"
    http_status = 409
    default_message = _("Deze vragenlijst is gesloten.")


# --- Responding -----------------------------------------------------------------------------


class SurveyNotOpenError(DomainError):
    code = "survey_not_open"
    http_status = 409
    default_message = _("Deze vragenlijst is op dit moment niet open voor antwoorden.")


class PanelOnlySurveyError(DomainError):
    code = "panel_only_survey"
    http_status = 403
    default_message = _(
        "Deze vragenlijst is alleen voor leden van het burgerpanel; gebruik de link uit uw "
        "uitnodiging."
    )


class DeviceIdInvalidError(DomainError):
    code = "device_id_invalid"
    default_message = _("Uw browser gaf geen geldige apparaat-id mee. Sta cookies toe.")


class AlreadyRespondedError(DomainError):
    code = "already_responded"
    http_status = 409
    default_message = _("Deze vragenlijst is op dit apparaat al ingevuld.")


class TooManyStartsError(DomainError):
    code = "too_many_starts"
    http_status = 429
    default_message = _("Er zijn te veel vragenlijsten gestart. Probeer het later opnieuw.")


class InvitationInvalidError(DomainError):
    code = "invitation_invalid"
    http_status = 404
    default_message = _("Deze uitnodigingslink is ongeldig.")


class InvitationExpiredError(DomainError):
    code = "invitation_expired"
    http_status = 410
    default_message = _("Deze uitnodiging is verlopen.")


class InvitationUsedError(DomainError):
    code = "invitation_used"
    http_status = 409
    default_message = _(
        "Deze uitnodiging is al ingevuld of al gebruikt. Met de link om verder te gaan kunt "
        "u een begonnen vragenlijst afmaken."
    )


class InvitationMembershipEndedError(DomainError):
    code = "invitation_membership_ended"
    http_status = 410
    default_message = _(
        "Deze uitnodiging is niet meer geldig, omdat het lidmaatschap van het burgerpanel is "
        "beëindigd."
    )


class ResumeTokenInvalidError(DomainError):
    code = "resume_token_invalid"
    http_status = 404
    default_message = _("Deze link om verder te gaan is ongeldig of al gebruikt.")


class ResponseSubmittedError(DomainError):
    code = "response_submitted"
    http_status = 409
    default_message = _("Deze vragenlijst is al verstuurd.")


class AnswerInvalidError(DomainError):
    """One answer does not fit its question; `extra` names the question code and row."""

    code = "answer_invalid"
    default_message = _("Dit antwoord is ongeldig.")


class AnswersInvalidError(DomainError):
    """Several answers were refused; `extra["errors"]` holds one entry per answer
    ({"question", "row", "code", "message"})."""

    code = "answers_invalid"
    default_message = _("Een of meer antwoorden zijn ongeldig.")


class AnswersIncompleteError(DomainError):
    """Submit refused; `extra["errors"]` lists the missing answers."""

    code = "answers_incomplete"
    default_message = _("Beantwoord eerst de verplichte vragen.")


# --- Moderation and invitations -------------------------------------------------------------


class ModerationInvalidError(DomainError):
    code = "moderation_invalid"
    default_message = _("Deze beoordeling is niet mogelijk.")


class InvitationNotPossibleError(DomainError):
    code = "invitation_not_possible"
    http_status = 409
    default_message = _("Voor dit panellid kan geen uitnodiging worden gemaakt.")


class WaveInvalidError(DomainError):
    code = "wave_invalid"
    default_message = _("De instellingen van deze uitnodigingsronde zijn ongeldig.")


class WaveIssuedError(DomainError):
    code = "wave_issued"
    http_status = 409
    default_message = _("Deze uitnodigingsronde is al verstuurd.")

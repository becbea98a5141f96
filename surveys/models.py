"""Veiligheidsmonitor-style questionnaires, anonymous responses and panel invitations.

Anonymity by construction: a Response has no link to a user, a panel membership or an
invitation. Panel responses carry copies of the member's buurt, age band and sex (for
weighting); the Invitation only records *that* the member started and answered, at day
precision, and keeps a hash of the respondent's resume token as its one-way reference (see
`surveys.services.responses`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import PublicIdModel, TimeStampedModel
from geo.codes import AreaLevel
from participation.models import PanelMembership
from surveys.querysets import InvitationQuerySet, ResponseQuerySet, SurveyQuerySet
from surveys.tokens import response_ref_new


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


def localized(obj: object, field: str) -> str:
    """`field_en` when the active language is English and it is filled in, else `field`."""
    value = getattr(obj, field)
    if _english():
        return getattr(obj, f"{field}_en", "") or value
    return value


class Survey(PublicIdModel, TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        PUBLISHED = "published", _("gepubliceerd")
        CLOSED = "closed", _("gesloten")

    class Distribution(models.TextChoices):
        OPEN_LINK = "open_link", _("open link (indicatief)")
        PANEL_ONLY = "panel_only", _("alleen burgerpanel (op uitnodiging)")

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    title_en = models.CharField(_("titel (Engels)"), max_length=200, blank=True)
    intro = models.TextField(_("inleiding"), blank=True)
    intro_en = models.TextField(_("inleiding (Engels)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    distribution = models.CharField(_("verspreiding"), max_length=12, choices=Distribution.choices)
    panel = models.ForeignKey(
        "participation.Burgerpanel",
        verbose_name=_("burgerpanel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    municipality_code = models.CharField(_("gemeentecode"), max_length=6)
    opens_at = models.DateTimeField(_("open vanaf"), null=True, blank=True)
    closes_at = models.DateTimeField(_("sluit op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(distribution="panel_only") | Q(panel__isnull=False),
                name="surveys_panel_only_needs_panel",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="surveys_closes_after_opens",
            ),
        ]
        verbose_name = _("vragenlijst")
        verbose_name_plural = _("vragenlijsten")

    def __str__(self) -> str:
        return self.title

    @property
    def results_indicative(self) -> bool:
        """Open-link results are not a sample: label them "indicatief" (domain.md §9.3)."""
        return self.distribution == self.Distribution.OPEN_LINK

    @property
    def localized_title(self) -> str:
        return localized(self, "title")

    @property
    def localized_intro(self) -> str:
        return localized(self, "intro")

    def accepts_responses_at(self, when=None) -> bool:
        when = when or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and (self.opens_at is None or self.opens_at <= when)
            and (self.closes_at is None or when < self.closes_at)
        )


class SurveyVersion(models.Model):
    """The questionnaire of a survey. A published version is frozen; changes go into a new
    draft version copied from it (`survey_new_version`). Responses point at the version
    they answered, so results are always computed on one fixed questionnaire."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("vragenlijst"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versie"))
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "number"], name="surveys_version_number_unique"
            ),
        ]
        verbose_name = _("versie van een vragenlijst")
        verbose_name_plural = _("versies van vragenlijsten")

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Section(models.Model):
    version = models.ForeignKey(
        SurveyVersion, verbose_name=_("versie"), on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    title_en = models.CharField(_("titel (Engels)"), max_length=200, blank=True)
    condition = models.JSONField(
        _("voorwaarde"),
        null=True,
        blank=True,
        help_text=_("Het onderdeel wordt alleen getoond als deze voorwaarde klopt."),
    )

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("onderdeel")
        verbose_name_plural = _("onderdelen")

    def __str__(self) -> str:
        return self.title or f"#{self.position + 1}"

    @property
    def localized_title(self) -> str:
        return localized(self, "title")


class Question(models.Model):
    """One question. Answer shapes per type are documented in `surveys.validation`."""

    class Type(models.TextChoices):
        SINGLE_CHOICE = "single_choice", _("één keuze")
        MULTIPLE_CHOICE = "multiple_choice", _("meerdere keuzes")
        AGREE_5 = "agree_5", _("eens/oneens (5 punten)")
        SATISFIED_5 = "satisfied_5", _("tevreden/ontevreden (5 punten)")
        FREQUENCY = "frequency", _("vaak / soms / (bijna) nooit")
        MARK_1_10 = "mark_1_10", _("rapportcijfer 1–10")
        NUMBER = "number", _("getal")
        OPEN_TEXT = "open_text", _("open antwoord")
        GRID = "grid", _("tabel (rijen × één schaal)")
        OVERLAST_GRID = "overlast_grid", _("overlasttabel (komt voor? → hoeveel overlast)")
        BUURT_CHOICE = "buurt_choice", _("buurt")
        LOCATION = "location", _("plek (kaart of buurt + omschrijving)")

    class Scale(models.TextChoices):
        NONE = "", _("geen")
        AGREE_5 = "agree_5", _("eens/oneens (5 punten)")
        SATISFIED_5 = "satisfied_5", _("tevreden/ontevreden (5 punten)")
        FREQUENCY = "frequency", _("vaak / soms / (bijna) nooit")
        YES_NO = "yes_no", _("ja / nee")
        OPTIONS = "options", _("eigen antwoordmogelijkheden")

    class ProfileField(models.TextChoices):
        NONE = "", _("geen")
        AGE_BAND = "age_band", _("leeftijdsgroep")
        SEX = "sex", _("geslacht")
        BUURT = "buurt", _("buurt")

    version = models.ForeignKey(
        SurveyVersion,
        verbose_name=_("versie"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    section = models.ForeignKey(
        Section, verbose_name=_("onderdeel"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    code = models.CharField(_("code"), max_length=20)
    type = models.CharField(_("soort"), max_length=20, choices=Type.choices)
    text = models.TextField(_("vraag"))
    text_en = models.TextField(_("vraag (Engels)"), blank=True)
    help = models.TextField(_("toelichting"), blank=True)
    help_en = models.TextField(_("toelichting (Engels)"), blank=True)
    required = models.BooleanField(_("verplicht"), default=False)
    allow_dont_know = models.BooleanField(_("met 'weet niet / n.v.t.'"), default=False)
    options = models.JSONField(
        _("antwoordmogelijkheden"),
        default=list,
        blank=True,
        help_text=_('Lijst van {"value", "label", "label_en"}.'),
    )
    rows = models.JSONField(
        _("rijen"),
        default=list,
        blank=True,
        help_text=_(
            'Voor tabellen: lijst van {"key", "label", "label_en"}, met "cluster" '
            '(overlasttabel) of "reverse": true (omgekeerd te scoren stelling).'
        ),
    )
    scale = models.CharField(
        _("schaal (tabel)"), max_length=12, choices=Scale.choices, blank=True, default=""
    )
    max_choices = models.PositiveSmallIntegerField(
        _("maximaal aantal keuzes"), null=True, blank=True
    )
    min_value = models.FloatField(_("minimum"), null=True, blank=True)
    max_value = models.FloatField(_("maximum"), null=True, blank=True)
    max_length = models.PositiveIntegerField(_("maximale lengte"), null=True, blank=True)
    condition = models.JSONField(
        _("voorwaarde"),
        null=True,
        blank=True,
        help_text=_(
            'Bijvoorbeeld {"question": "Q10", "operator": "equals", "value": "ja"}; '
            "de vraag wordt alleen getoond als de voorwaarde klopt."
        ),
    )
    indicator_codes = models.JSONField(_("indicatoren"), default=list, blank=True)
    themes = models.ManyToManyField(
        "participation.Theme",
        verbose_name=_("thema's"),
        blank=True,
        related_name="survey_questions",
    )
    profile_field = models.CharField(
        _("achtergrondkenmerk"),
        max_length=10,
        choices=ProfileField.choices,
        blank=True,
        default="",
        help_text=_(
            "Vult dit kenmerk van het antwoord in (voor weging en uitsplitsing). Bij "
            "panelleden is het al bekend; de vraag wordt hun dan niet gesteld."
        ),
    )

    class Meta:
        ordering = ["version", "section__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="surveys_question_code_unique"
            ),
        ]
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"

    @property
    def localized_text(self) -> str:
        return localized(self, "text")

    @property
    def localized_help(self) -> str:
        return localized(self, "help")

    @property
    def is_grid(self) -> bool:
        return self.type in (self.Type.GRID, self.Type.OVERLAST_GRID)

    @property
    def row_keys(self) -> list[str]:
        return [row.get("key") for row in self.rows if isinstance(row, dict)]


class Response(models.Model):
    """One anonymous response. Deliberately without user, membership or invitation: the
    primary key is a random uuid (no sequence that could be matched with invitation order)
    and `ref` is the short random id used in exports."""

    class Channel(models.TextChoices):
        OPEN_LINK = "open_link", _("open link")
        PANEL = "panel", _("burgerpanel")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ref = models.CharField(_("kenmerk"), max_length=12, unique=True, default=response_ref_new)
    survey = models.ForeignKey(
        Survey, verbose_name=_("vragenlijst"), on_delete=models.CASCADE, related_name="responses"
    )
    survey_version = models.ForeignKey(
        SurveyVersion,
        verbose_name=_("versie"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    channel = models.CharField(_("kanaal"), max_length=10, choices=Channel.choices)
    started_at = models.DateTimeField(_("gestart op"), default=timezone.now)
    last_saved_at = models.DateTimeField(_("laatst opgeslagen op"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    buurt = models.ForeignKey(
        "geo.Area",
        verbose_name=_("buurt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"level": AreaLevel.BUURT},
    )
    age_band = models.CharField(
        _("leeftijdsgroep"),
        max_length=10,
        choices=PanelMembership.AgeBand.choices,
        blank=True,
    )
    sex = models.CharField(
        _("geslacht"), max_length=20, choices=PanelMembership.Sex.choices, blank=True
    )
    resume_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    device_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("Gesleutelde hash van de apparaat-id (open link); gewist bij sluiten."),
    )
    is_indicative = models.BooleanField(_("indicatief"), default=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "ref"]
        indexes = [
            models.Index(fields=["survey", "device_hash"], name="surveys_response_device_idx"),
            models.Index(
                fields=["survey_version", "submitted_at"], name="surveys_response_submit_idx"
            ),
        ]
        verbose_name = _("antwoordformulier")
        verbose_name_plural = _("antwoordformulieren")

    def __str__(self) -> str:
        return self.ref

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(models.Model):
    response = models.ForeignKey(
        Response,
        verbose_name=_("antwoordformulier"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        Question, verbose_name=_("vraag"), on_delete=models.CASCADE, related_name="answers"
    )
    row_key = models.CharField(_("rij"), max_length=40, blank=True, default="")
    value = models.JSONField(_("antwoord"))

    class Meta:
        ordering = ["response", "question", "row_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "row_key"], name="surveys_answer_unique"
            ),
        ]
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")

    def __str__(self) -> str:
        return f"{self.question.code}{'.' + self.row_key if self.row_key else ''}"


class OpenAnswerModeration(models.Model):
    """Open answers are shown (and exported) only as the moderated `public_text` of an
    approved answer; the original text never leaves the moderation queue."""

    class Status(models.TextChoices):
        PENDING = "pending", _("te beoordelen")
        APPROVED = "approved", _("goedgekeurd")
        REJECTED = "rejected", _("afgewezen")

    answer = models.OneToOneField(
        Answer, verbose_name=_("antwoord"), on_delete=models.CASCADE, related_name="moderation"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    public_text = models.TextField(_("openbare tekst"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordeeld door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("beoordeling open antwoord")
        verbose_name_plural = _("beoordelingen open antwoorden")

    def __str__(self) -> str:
        return f"{self.answer} ({self.get_status_display()})"


class InvitationWave(models.Model):
    class Mode(models.TextChoices):
        ALL = "all", _("alle geschikte panelleden")
        STRATIFIED = "stratified", _("gestratificeerde steekproef")

    survey = models.ForeignKey(
        Survey, verbose_name=_("vragenlijst"), on_delete=models.CASCADE, related_name="waves"
    )
    name = models.CharField(_("naam"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    mode = models.CharField(_("selectie"), max_length=12, choices=Mode.choices)
    targets = models.JSONField(
        _("aantallen per stratum"),
        default=dict,
        blank=True,
        help_text=_(
            'Bijvoorbeeld {"BU05460001|25-44": 20, "WK054601|*": 50, "*|65+": 30}: '
            "buurt-, wijkcode of *, dan leeftijdsgroep of *."
        ),
    )
    fatigue_window_days = models.PositiveSmallIntegerField(
        _("rustperiode (dagen)"),
        default=90,
        help_text=_("Wie in deze periode al voor een andere vragenlijst is uitgenodigd, niet."),
    )
    max_invitations = models.PositiveIntegerField(_("maximaal aantal"), null=True, blank=True)
    issued_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "created_at"]
        verbose_name = _("uitnodigingsronde")
        verbose_name_plural = _("uitnodigingsrondes")

    def __str__(self) -> str:
        return f"{self.survey}: {self.name}"


class Invitation(models.Model):
    """A personal invitation of one panel member for one survey.

    Records that the member started (`used_at`) and answered (`responded_at`) — both at day
    precision on purpose, so they cannot be matched with response timestamps — but never
    which response: `receipt_hash` is a hash of the respondent's resume token, which is
    stored nowhere in plain text.
    """

    survey = models.ForeignKey(
        Survey, verbose_name=_("vragenlijst"), on_delete=models.CASCADE, related_name="invitations"
    )
    membership = models.ForeignKey(
        "participation.PanelMembership",
        verbose_name=_("panellidmaatschap"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_invitations",
    )
    wave = models.ForeignKey(
        InvitationWave,
        verbose_name=_("ronde"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    receipt_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    expires_at = models.DateTimeField(_("verloopt op"))
    used_at = models.DateTimeField(_("gestart op (dag)"), null=True, blank=True)
    responded_at = models.DateTimeField(_("ingevuld op (dag)"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("herinneringen"), default=0)
    last_reminded_at = models.DateTimeField(_("laatste herinnering"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "membership"],
                condition=Q(membership__isnull=False),
                name="surveys_one_invitation_per_member",
            ),
        ]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"

"""Meldingen: located nuisance and safety reports from residents, their handling and audit.

Personal data (contact e-mail, the reporter account, the original text and photos) stays
inside this app's staff views; public output uses only moderated text and blurred locations
(see `reports.selectors` and docs/privacy.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import PublicIdModel, TimeStampedModel


class ReportCategory(TimeStampedModel):
    """Resident-facing report categories, main → sub, each mapped to an IVP thema."""

    class Sensitivity(models.TextChoices):
        PUBLIC = "public", _("openbaar")
        RESTRICTED = "restricted", _("beperkt")
        CONFIDENTIAL = "confidential", _("vertrouwelijk")

    class Channel(models.TextChoices):
        NONE = "", _("geen")
        EMERGENCY = "112", _("112 (spoed)")
        POLICE = "politie", _("Politie (0900-8844)")
        VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis (0800-2000)")
        MELD_MISDAAD_ANONIEM = "mma", _("Meld Misdaad Anoniem (0800-7000)")

    parent = models.ForeignKey(
        "self",
        verbose_name=_("hoofdcategorie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("naam"), max_length=150)
    name_en = models.CharField(_("naam (Engels)"), max_length=150, blank=True)
    description = models.TextField(_("uitleg"), blank=True)
    description_en = models.TextField(_("uitleg (Engels)"), blank=True)
    theme = models.ForeignKey(
        "participation.Theme",
        verbose_name=_("IVP-thema"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_categories",
    )
    sensitivity = models.CharField(
        _("gevoeligheid"),
        max_length=15,
        choices=Sensitivity.choices,
        default=Sensitivity.PUBLIC,
        help_text=_(
            "Openbaar: op de openbare kaart (vervaagd). Beperkt: nooit op de kaart, tekst alleen "
            "voor bevoegde medewerkers. Vertrouwelijk: alleen beheerders en moderatoren."
        ),
    )
    redirect_channel = models.CharField(
        _("eerst doorverwijzen naar"),
        max_length=20,
        choices=Channel.choices,
        blank=True,
        default=Channel.NONE,
    )
    accepts_reports = models.BooleanField(
        _("meldingen mogelijk"),
        default=True,
        help_text=_("Uit: alleen doorverwijzen (bijvoorbeeld bij spoed)."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("meldingscategorie")
        verbose_name_plural = _("meldingscategorieën")

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    @property
    def localized_name(self) -> str:
        english = (get_language() or "nl").startswith("en")
        return self.name_en if english and self.name_en else self.name

    @property
    def localized_description(self) -> str:
        english = (get_language() or "nl").startswith("en")
        return self.description_en if english and self.description_en else self.description

    @property
    def is_public(self) -> bool:
        return self.sensitivity == self.Sensitivity.PUBLIC


class Report(PublicIdModel, TimeStampedModel):
    class Status(models.TextChoices):
        NEW = "nieuw", _("nieuw")
        IN_PROGRESS = "in_behandeling", _("in behandeling")
        RESOLVED = "afgehandeld", _("afgehandeld")
        FORWARDED = "doorgestuurd", _("doorgestuurd naar partner")
        CANCELLED = "geannuleerd", _("geannuleerd")

    class Partner(models.TextChoices):
        POLITIE = "politie", _("politie")
        HANDHAVING = "handhaving", _("handhaving / BOA")
        WONINGCORPORATIE = "woningcorporatie", _("woningcorporatie")
        JONGERENWERK = "jongerenwerk", _("jongerenwerk")
        ZORG = "zorg", _("zorg- en veiligheidshuis / GGD")
        BEHEER_OPENBARE_RUIMTE = "openbare_ruimte", _("beheer openbare ruimte")
        OVERIG = "overig", _("andere partner")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("wacht op moderatie")
        APPROVED = "approved", _("goedgekeurd")
        REDACTED = "redacted", _("ingekort of aangepast")
        REJECTED = "rejected", _("niet openbaar")

    class Source(models.TextChoices):
        WEB = "web", _("website")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")
        IMPORT = "import", _("import")

    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS)
    CLOSED_STATUSES = (Status.RESOLVED, Status.FORWARDED, Status.CANCELLED)

    reference = models.CharField(_("kenmerk"), max_length=20, unique=True)
    tracking_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    category = models.ForeignKey(
        ReportCategory,
        verbose_name=_("categorie"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    description = models.TextField(_("omschrijving"), max_length=4000)
    public_description = models.TextField(_("openbare tekst"), blank=True, max_length=4000)
    moderation = models.CharField(
        _("moderatie"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    occurred_at = models.DateTimeField(_("wanneer gebeurde het"), null=True, blank=True)
    lat = models.FloatField(_("breedtegraad (WGS84)"), null=True, blank=True)
    lon = models.FloatField(_("lengtegraad (WGS84)"), null=True, blank=True)
    location_description = models.CharField(
        _("omschrijving van de plek"), max_length=300, blank=True
    )
    # The 100 m RD grid cell of the point: the only location public output ever uses.
    grid_x = models.IntegerField(null=True, blank=True, editable=False)
    grid_y = models.IntegerField(null=True, blank=True, editable=False)
    buurt = models.ForeignKey(
        "geo.Area", verbose_name=_("buurt"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    partner = models.CharField(_("partner"), max_length=20, choices=Partner.choices, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("dubbel van"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("melder (account)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    contact_email = models.EmailField(_("e-mail voor contact"), blank=True)
    contact_consent = models.BooleanField(_("toestemming voor contact"), default=False)
    contact_anonymised_at = models.DateTimeField(
        _("contactgegevens gewist op"), null=True, blank=True
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    source = models.CharField(_("bron"), max_length=10, choices=Source.choices, default=Source.WEB)
    external_id = models.CharField(_("extern kenmerk"), max_length=100, blank=True)
    support_count = models.PositiveIntegerField(_("aantal ook-last-van"), default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="reports_status_created_idx"),
            models.Index(fields=["buurt", "created_at"], name="reports_buurt_created_idx"),
            models.Index(fields=["category", "created_at"], name="reports_cat_created_idx"),
            models.Index(fields=["lat", "lon"], name="reports_latlon_idx"),
            # Covers the public map aggregate (reports.selectors.public_map_cells): grouped
            # by cell in index order, filtered and summed without reading the table.
            models.Index(
                fields=[
                    "grid_x",
                    "grid_y",
                    "category",
                    "status",
                    "duplicate_of",
                    "created_at",
                    "support_count",
                ],
                name="reports_public_map_idx",
            ),
            models.Index(fields=["created_at"], name="reports_created_idx"),
        ]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None


def report_photo_path(instance: "ReportPhoto", filename: str) -> str:
    return f"reports/{instance.report.uuid}/{instance.uuid}.jpg"


class ReportPhoto(PublicIdModel, TimeStampedModel):
    """A photo, re-encoded as JPEG without EXIF/GPS metadata (see reports.photos)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("foto"), upload_to=report_photo_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("foto")
        verbose_name_plural = _("foto's")

    def __str__(self) -> str:
        return f"{self.report} foto {self.pk}"


class ReportSupport(TimeStampedModel):
    """ "Ik heb hier ook last van": a resident joins an open report instead of filing a new one.
    Counted in aggregates. Anonymous supporters are recognised by a salted device hash."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_supports",
    )
    device_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"],
                condition=models.Q(user__isnull=False),
                name="reports_support_user_unique",
            ),
            models.UniqueConstraint(
                fields=["report", "device_hash"],
                condition=~models.Q(device_hash=""),
                name="reports_support_device_unique",
            ),
        ]
        verbose_name = _("ook last van")
        verbose_name_plural = _("ook last van")

    def __str__(self) -> str:
        return f"{self.report} +1"


class ReportMessage(TimeStampedModel):
    """A message to the reporter (public, shown on the tracking page) or an internal note."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("bericht aan melder")
        INTERNAL = "internal", _("interne notitie")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    body = models.TextField(_("tekst"), max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")

    def __str__(self) -> str:
        return f"{self.report} {self.get_kind_display()}"


class ReportEvent(models.Model):
    """Append-only audit log: who changed what, when, with the values before and after."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("actie"), max_length=60)  # dotted id, e.g. report.status_changed
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")

    def __str__(self) -> str:
        return f"{self.report} {self.action}"


class Open311Client(TimeStampedModel):
    """A system allowed to POST service requests through Open311 (API key, stored hashed)."""

    name = models.CharField(_("naam"), max_length=150)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(max_length=8, editable=False)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311-koppeling")
        verbose_name_plural = _("Open311-koppelingen")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

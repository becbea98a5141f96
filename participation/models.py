"""People: accounts and what they take part in."""

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import PublicIdModel, TimeStampedModel
from geo.codes import AreaLevel, code_is_valid
from geo.models import Area
from participation.managers import UserManager


class User(PublicIdModel, AbstractBaseUser, PermissionsMixin):
    """An account, identified by e-mail. Roles are groups holding capability permissions
    (see participation.roles); wijkraad and panel membership are data, not groups."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    display_name = models.CharField(_("naam"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("toegang tot Django-admin"),
        default=False,
        help_text=_("Alleen voor technisch beheer; rollen regelen de toegang tot Buurtstem."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        permissions = [
            ("use_staff_pages", _("Kan de medewerkerspagina's gebruiken")),
            ("do_policy_work", _("Kan analyseren en bewijs voor het veiligheidsplan opstellen")),
            ("moderate_content", _("Kan meldingen en open antwoorden modereren")),
            ("administer_platform", _("Kan gebieden, rollen en instellingen beheren")),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email


class Wijkraad(TimeStampedModel):
    """A residents' council for one or more wijken and/or buurten.

    Its members may see summaries for the areas in scope: an area is in scope when it is one
    of the wijkraad's areas or a buurt whose wijk is (see `participation.selectors`).
    """

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    areas = models.ManyToManyField(
        "geo.Area",
        verbose_name=_("gebieden"),
        related_name="wijkraden",
        blank=True,
        limit_choices_to={"level__in": [AreaLevel.WIJK, AreaLevel.BUURT]},
        help_text=_("Wijken en/of buurten waarvoor deze wijkraad inbreng mag inzien."),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("wijkraad")
        verbose_name_plural = _("wijkraden")

    def __str__(self) -> str:
        return self.name


class WijkraadMembership(models.Model):
    class Role(models.TextChoices):
        LID = "lid", _("lid")
        SECRETARIS = "secretaris", _("secretaris")

    user = models.ForeignKey(
        User,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        related_name="wijkraad_memberships",
    )
    wijkraad = models.ForeignKey(
        Wijkraad,
        verbose_name=_("wijkraad"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.LID)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["wijkraad__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "wijkraad"], name="participation_wijkraad_member_unique"
            ),
        ]
        verbose_name = _("lidmaatschap wijkraad")
        verbose_name_plural = _("lidmaatschappen wijkraad")

    def __str__(self) -> str:
        return f"{self.wijkraad} – {self.user} ({self.get_role_display()})"


def municipality_codes_validate(value: object) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Geef een lijst met ten minste één CBS-gemeentecode."))
    for code in value:
        if not isinstance(code, str) or not code_is_valid(code, AreaLevel.GEMEENTE):
            raise ValidationError(
                _("%(code)s is geen geldige CBS-gemeentecode (zoals GM0546)."),
                params={"code": code},
            )


class Burgerpanel(TimeStampedModel):
    """A standing panel of residents who consented to be invited for surveys."""

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    municipality_codes = models.JSONField(
        _("gemeentecodes"),
        default=list,
        validators=[municipality_codes_validate],
        help_text=_('CBS-gemeentecodes waarvoor het panel werft, bijvoorbeeld ["GM0546"].'),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("burgerpanel")
        verbose_name_plural = _("burgerpanels")

    def __str__(self) -> str:
        return self.name

    def covers_buurt(self, buurt: Area) -> bool:
        """Whether a buurt lies in one of the panel's municipalities (by CBS code)."""
        return any(buurt.code[2:6] == code[2:6] for code in self.municipality_codes)


class ConsentText(TimeStampedModel):
    """A version of the consent statement panel members agree to. Published versions are
    immutable: memberships point at the exact text that was consented to."""

    panel = models.ForeignKey(
        Burgerpanel,
        verbose_name=_("burgerpanel"),
        on_delete=models.CASCADE,
        related_name="consent_texts",
    )
    version = models.PositiveIntegerField(_("versie"))
    body = models.TextField(_("tekst"))
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)

    class Meta:
        ordering = ["panel", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "version"], name="participation_consent_panel_version_unique"
            ),
        ]
        verbose_name = _("toestemmingstekst")
        verbose_name_plural = _("toestemmingsteksten")

    def __str__(self) -> str:
        return f"{self.panel} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class PanelMembership(TimeStampedModel):
    """Consent-based membership of a burgerpanel.

    On withdrawal (`panel_leave`) the user link and the demographic data are erased; the row
    stays as an anonymous record of the consent that was given and withdrawn.
    """

    class AgeBand(models.TextChoices):
        AGE_15_24 = "15-24", _("15 tot 25 jaar")
        AGE_25_44 = "25-44", _("25 tot 45 jaar")
        AGE_45_64 = "45-64", _("45 tot 65 jaar")
        AGE_65_PLUS = "65+", _("65 jaar en ouder")

    class Sex(models.TextChoices):
        MAN = "man", _("man")
        VROUW = "vrouw", _("vrouw")
        ANDERS = "anders", _("anders")
        LIEVER_NIET = "liever_niet", _("zeg ik liever niet")

    user = models.ForeignKey(
        User,
        verbose_name=_("gebruiker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="panel_memberships",
    )
    panel = models.ForeignKey(
        Burgerpanel,
        verbose_name=_("burgerpanel"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
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
        _("leeftijdsgroep"), max_length=10, choices=AgeBand.choices, blank=True
    )
    sex = models.CharField(_("geslacht"), max_length=20, choices=Sex.choices, blank=True)
    consent_text = models.ForeignKey(
        ConsentText,
        verbose_name=_("toestemmingstekst"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    consented_at = models.DateTimeField(_("toestemming gegeven op"))
    withdrawn_at = models.DateTimeField(_("uitgeschreven op"), null=True, blank=True)

    class Meta:
        ordering = ["panel", "-consented_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "panel"],
                condition=models.Q(withdrawn_at__isnull=True, user__isnull=False),
                name="participation_panel_one_active_membership",
            ),
        ]
        verbose_name = _("panellidmaatschap")
        verbose_name_plural = _("panellidmaatschappen")

    def __str__(self) -> str:
        state = _("uitgeschreven") if self.withdrawn_at else _("actief")
        return f"{self.panel} #{self.pk} ({state})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Theme(TimeStampedModel):
    """The IVP taxonomy: the five veiligheidsvelden of Kernbeleid Veiligheid, their thema's
    and the cross-cutting themes (domain.md §1.2, §7).

    Configurable per municipality: rows with an empty `municipality_code` are the default
    set; a municipality may add its own (with its code). Slugs are stable; a theme is
    deactivated (with `valid_to`), never deleted, so history keeps its meaning.
    """

    class Kind(models.TextChoices):
        VELD = "veld", _("veiligheidsveld")
        THEMA = "thema", _("thema")
        CROSSCUT = "crosscut", _("domeinoverstijgend thema")

    municipality_code = models.CharField(
        _("gemeentecode"),
        max_length=6,
        blank=True,
        help_text=_("Leeg voor de standaardindeling; een CBS-code voor een eigen indeling."),
    )
    code = models.CharField(_("code"), max_length=10)
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("naam"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("veiligheidsveld"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    crosscut_tags = models.ManyToManyField(
        "self",
        verbose_name=_("domeinoverstijgende thema's"),
        blank=True,
        symmetrical=False,
        related_name="tagged_themes",
        limit_choices_to={"kind": "crosscut"},
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    valid_to = models.DateField(_("geldig tot"), null=True, blank=True)

    class Meta:
        ordering = ["municipality_code", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_code", "slug"], name="participation_theme_slug_unique"
            ),
        ]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def localized_name(self) -> str:
        from django.utils.translation import get_language

        return (
            self.name_en
            if (get_language() or "nl").startswith("en") and self.name_en
            else self.name
        )


# --- Integraal Veiligheidsplan (IVP) ----------------------------------------------------------


class SafetyPlan(PublicIdModel, TimeStampedModel):
    """An Integraal Veiligheidsplan: four years (domain.md §1.3), priorities under the IVP
    taxonomy, SMART goals, and the evidence residents' input gave for them."""

    class Status(models.TextChoices):
        DRAFT = "concept", _("concept")
        ADOPTED = "vastgesteld", _("vastgesteld")

    MAX_YEARS = 6

    municipality_code = models.CharField(_("gemeentecode"), max_length=6)
    title = models.CharField(_("titel"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("eerste jaar"))
    end_year = models.PositiveSmallIntegerField(_("laatste jaar"))
    summary = models.TextField(_("samenvatting"), blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.DRAFT
    )
    adopted_on = models.DateField(_("vastgesteld op"), null=True, blank=True)

    class Meta:
        ordering = ["-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="participation_plan_years_ordered",
            ),
        ]
        verbose_name = _("veiligheidsplan")
        verbose_name_plural = _("veiligheidsplannen")

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class PlanPriority(TimeStampedModel):
    """A priority of the plan under one veld or thema: a speerpunt, or a regular theme the
    plan keeps running."""

    class Kind(models.TextChoices):
        SPEERPUNT = "speerpunt", _("speerpunt")
        REGULAR = "regulier", _("regulier thema")

    plan = models.ForeignKey(
        SafetyPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="priorities"
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("thema"), on_delete=models.PROTECT, related_name="plan_priorities"
    )
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.SPEERPUNT)
    title = models.CharField(_("titel"), max_length=200)
    rationale = models.TextField(_("waarom dit een prioriteit is"), blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "theme"], name="participation_priority_theme"),
        ]
        verbose_name = _("prioriteit")
        verbose_name_plural = _("prioriteiten")

    def __str__(self) -> str:
        return self.title


class PlanGoal(TimeStampedModel):
    """A measurable goal of a priority: indicator, nulmeting (baseline), target and ambition
    (domain.md §1.3: baseline_value, baseline_year, target_value, target_year,
    ambition_value, source)."""

    class Unit(models.TextChoices):
        PERCENT = "percent", _("procent")
        PER_1000 = "per_1000", _("per 1.000 inwoners")
        MARK = "mark", _("rapportcijfer (1–10)")
        SCORE = "score_0_10", _("schaalscore (0–10)")
        COUNT = "count", _("aantal")

    priority = models.ForeignKey(
        PlanPriority, verbose_name=_("prioriteit"), on_delete=models.CASCADE, related_name="goals"
    )
    description = models.TextField(_("doel"))
    indicator = models.CharField(
        _("indicator"),
        max_length=200,
        help_text=_(
            "Wat wordt gemeten, bijvoorbeeld ‘meldingen jeugdoverlast per 1.000 inwoners’."
        ),
    )
    indicator_code = models.CharField(_("indicatorcode"), max_length=10, blank=True)
    unit = models.CharField(_("eenheid"), max_length=12, choices=Unit.choices)
    baseline_value = models.DecimalField(
        _("nulmeting"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("jaar nulmeting"), null=True, blank=True)
    target_value = models.DecimalField(_("doel"), max_digits=10, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(_("doeljaar"))
    ambition_value = models.DecimalField(
        _("ambitie"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("bron"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["priority", "position", "pk"]
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")

    def __str__(self) -> str:
        return self.indicator


class EvidenceBlock(PublicIdModel):
    """Figures from residents' input, frozen when they were attached to a plan, priority or
    goal: `payload` holds the published figures (small numbers already withheld) and
    `source` where they come from (what was counted, filters, period, method, data as of).
    `digest` is the SHA-256 of both, so an export can show they were not changed. Blocks are
    never edited; a block that should no longer count is withdrawn with a reason."""

    class Kind(models.TextChoices):
        REPORT_RATES = "report_rates", _("meldingen per 1.000 inwoners")
        SURVEY_INDICATORS = "survey_indicators", _("indicatoren uit een vragenlijst")

    plan = models.ForeignKey(
        SafetyPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="evidence"
    )
    priority = models.ForeignKey(
        PlanPriority,
        verbose_name=_("prioriteit"),
        on_delete=models.CASCADE,
        related_name="evidence",
        null=True,
        blank=True,
    )
    goal = models.ForeignKey(
        PlanGoal,
        verbose_name=_("doel"),
        on_delete=models.CASCADE,
        related_name="evidence",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200)
    payload = models.JSONField(_("cijfers"))
    source = models.JSONField(_("herkomst"))
    digest = models.CharField(_("controlegetal (SHA-256)"), max_length=64)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("vastgelegd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reden van intrekken"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "created_at", "pk"]
        verbose_name = _("bewijsblok")
        verbose_name_plural = _("bewijsblokken")

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

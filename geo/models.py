"""Areas (gemeente ⊃ wijk ⊃ buurt) with GeoJSON boundaries and CBS key figures.

No GeoDjango (docs/adr/0001): boundaries are GeoJSON geometries in WGS84 stored as JSON; the
point-in-area work happens in-process in `geo.index`.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from geo.codes import AreaLevel, code_is_valid


class Area(TimeStampedModel):
    Level = AreaLevel
    # The large JSON columns: defer them wherever only the area's identity is needed (a
    # buurt boundary is tens of kilobytes to fetch and decode).
    GEOMETRY_FIELDS = ("boundary", "boundary_simplified")

    level = models.CharField(_("niveau"), max_length=10, choices=AreaLevel.choices)
    code = models.CharField(_("CBS-code"), max_length=10)
    name = models.CharField(_("naam"), max_length=200)
    year = models.PositiveSmallIntegerField(_("jaargang gebiedsindeling"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # The parent's code as derived from the code or given by the source; the FK is linked
    # when the parent exists (wijken may be imported after their buurten).
    parent_code = models.CharField(_("code bovenliggend gebied"), max_length=10, blank=True)
    boundary = models.JSONField(_("grens (GeoJSON, WGS84)"))
    boundary_simplified = models.JSONField(_("vereenvoudigde grens (GeoJSON, WGS84)"))
    # Bounding box and representative point in WGS84, for map framing and labels.
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    label_lon = models.FloatField()
    label_lat = models.FloatField()
    area_m2 = models.FloatField(_("oppervlakte (m²)"))
    is_water = models.BooleanField(_("alleen water"), default=False)
    source = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        ordering = ["level", "code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="geo_area_code_year_unique"),
        ]
        indexes = [models.Index(fields=["level", "year"], name="geo_area_level_year_idx")]
        verbose_name = _("gebied")
        verbose_name_plural = _("gebieden")

    def __str__(self) -> str:
        return f"{self.name} ({self.code}, {self.year})"

    def clean(self) -> None:
        if not code_is_valid(self.code, self.level):
            raise ValidationError({"code": _("Ongeldige CBS-code voor dit niveau.")})


class AreaPopulation(TimeStampedModel):
    """CBS key figures for one area and reference year.

    Values CBS withholds (sentinels ≤ −99 000, '.' or 'x') are stored as NULL with the field
    name listed in `suppressed_fields`; a NULL that is not listed was simply not in the source.
    """

    FIGURE_FIELDS = (
        "inhabitants",
        "age_0_14",
        "age_15_24",
        "age_25_44",
        "age_45_64",
        "age_65_plus",
        "men",
        "women",
    )

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField(_("peiljaar"))
    inhabitants = models.PositiveIntegerField(_("inwoners"), null=True, blank=True)
    age_0_14 = models.PositiveIntegerField(_("0 tot 15 jaar"), null=True, blank=True)
    age_15_24 = models.PositiveIntegerField(_("15 tot 25 jaar"), null=True, blank=True)
    age_25_44 = models.PositiveIntegerField(_("25 tot 45 jaar"), null=True, blank=True)
    age_45_64 = models.PositiveIntegerField(_("45 tot 65 jaar"), null=True, blank=True)
    age_65_plus = models.PositiveIntegerField(_("65 jaar en ouder"), null=True, blank=True)
    men = models.PositiveIntegerField(_("mannen"), null=True, blank=True)
    women = models.PositiveIntegerField(_("vrouwen"), null=True, blank=True)
    suppressed_fields = models.JSONField(_("geheimgehouden velden"), default=list, blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        ordering = ["area__code", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year"], name="geo_population_area_year_unique"
            ),
        ]
        verbose_name = _("bevolkingscijfers")
        verbose_name_plural = _("bevolkingscijfers")

    def __str__(self) -> str:
        return f"{self.area.code} {self.year}"

    def is_suppressed(self, field: str) -> bool:
        return field in self.suppressed_fields


class AreaIndexStamp(models.Model):
    """A single row whose version every area change bumps; processes compare it with the
    version their in-memory index was built from (see `geo.index`)."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("versie gebiedsindex")

    def __str__(self) -> str:
        return f"v{self.version}"

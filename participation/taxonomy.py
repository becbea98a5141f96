"""The default IVP taxonomy (Kernbeleid Veiligheid, domain.md §1.2 and §7) and its seeding.

Codes and slugs are stable: municipalities may rename, add and deactivate themes, but a slug
is never reused for something else. Seeding is idempotent and never reactivates or renames a
theme a municipality changed (it only creates what is missing).
"""

from dataclasses import dataclass

from django.db import transaction

from participation.models import Theme


@dataclass(frozen=True)
class ThemeSeed:
    code: str
    slug: str
    name: str
    name_en: str
    kind: str
    parent: str | None = None  # parent slug
    tags: tuple[str, ...] = ()  # crosscut slugs


V, T, X = Theme.Kind.VELD, Theme.Kind.THEMA, Theme.Kind.CROSSCUT

DEFAULT_THEMES: tuple[ThemeSeed, ...] = (
    ThemeSeed(
        "VV1",
        "veilige-woon-en-leefomgeving",
        "Veilige woon- en leefomgeving",
        "Safe living environment",
        V,
    ),
    ThemeSeed(
        "1.1",
        "sociale-kwaliteit",
        "Sociale kwaliteit",
        "Social quality",
        T,
        "veilige-woon-en-leefomgeving",
    ),
    ThemeSeed(
        "1.2",
        "fysieke-kwaliteit",
        "Fysieke kwaliteit",
        "Physical quality",
        T,
        "veilige-woon-en-leefomgeving",
    ),
    ThemeSeed(
        "1.3",
        "veelvoorkomende-criminaliteit-hic",
        "Veelvoorkomende criminaliteit en high impact crimes",
        "Common crime and high impact crimes",
        T,
        "veilige-woon-en-leefomgeving",
        ("zorg-en-veiligheid",),
    ),
    ThemeSeed(
        "1.4",
        "veiligheidsgevoel",
        "Veiligheidsgevoel",
        "Feeling of safety",
        T,
        "veilige-woon-en-leefomgeving",
    ),
    ThemeSeed(
        "VV2",
        "bedrijvigheid-en-veiligheid",
        "Bedrijvigheid en veiligheid",
        "Business and safety",
        V,
    ),
    ThemeSeed(
        "2.1",
        "veilig-winkelgebied",
        "Veilig winkelgebied",
        "Safe shopping areas",
        T,
        "bedrijvigheid-en-veiligheid",
    ),
    ThemeSeed(
        "2.2",
        "veilige-bedrijventerreinen",
        "Veilige bedrijventerreinen",
        "Safe business parks",
        T,
        "bedrijvigheid-en-veiligheid",
    ),
    ThemeSeed(
        "2.3",
        "veilig-uitgaan-horeca",
        "Veilig uitgaan en horeca",
        "Safe nightlife and hospitality",
        T,
        "bedrijvigheid-en-veiligheid",
    ),
    ThemeSeed(
        "2.4",
        "veilige-evenementen",
        "Veilige evenementen",
        "Safe events",
        T,
        "bedrijvigheid-en-veiligheid",
    ),
    ThemeSeed(
        "2.5",
        "veilig-toerisme",
        "Veilig toerisme",
        "Safe tourism",
        T,
        "bedrijvigheid-en-veiligheid",
    ),
    ThemeSeed("VV3", "jeugd-en-veiligheid", "Jeugd en veiligheid", "Youth and safety", V),
    ThemeSeed("3.1", "jeugdoverlast", "Jeugdoverlast", "Youth nuisance", T, "jeugd-en-veiligheid"),
    ThemeSeed(
        "3.2",
        "jeugdgroepen-jeugdcriminaliteit",
        "Jeugdgroepen en jeugdcriminaliteit",
        "Youth groups and youth crime",
        T,
        "jeugd-en-veiligheid",
    ),
    ThemeSeed(
        "3.3",
        "alcohol-drugs-jeugd",
        "Alcohol en drugs bij jongeren",
        "Alcohol and drugs among young people",
        T,
        "jeugd-en-veiligheid",
    ),
    ThemeSeed(
        "3.4",
        "veilig-in-en-om-school",
        "Veilig in en om de school",
        "Safety in and around schools",
        T,
        "jeugd-en-veiligheid",
    ),
    ThemeSeed("VV4", "fysieke-veiligheid", "Fysieke veiligheid", "Physical safety", V),
    ThemeSeed(
        "4.1", "verkeersveiligheid", "Verkeersveiligheid", "Road safety", T, "fysieke-veiligheid"
    ),
    ThemeSeed("4.2", "brandveiligheid", "Brandveiligheid", "Fire safety", T, "fysieke-veiligheid"),
    ThemeSeed(
        "4.3",
        "externe-veiligheid-gevaarlijke-stoffen",
        "Externe veiligheid en gevaarlijke stoffen",
        "Hazardous substances",
        T,
        "fysieke-veiligheid",
    ),
    ThemeSeed(
        "4.4",
        "crisisbeheersing",
        "Rampenbestrijding en crisisbeheersing",
        "Disaster and crisis management",
        T,
        "fysieke-veiligheid",
    ),
    ThemeSeed(
        "VV5", "integriteit-en-veiligheid", "Integriteit en veiligheid", "Integrity and safety", V
    ),
    ThemeSeed(
        "5.1",
        "ondermijning-georganiseerde-criminaliteit",
        "Ondermijning en georganiseerde criminaliteit",
        "Subversive and organised crime",
        T,
        "integriteit-en-veiligheid",
        ("ondermijning",),
    ),
    ThemeSeed(
        "5.2",
        "polarisatie-radicalisering",
        "Polarisatie en radicalisering",
        "Polarisation and radicalisation",
        T,
        "integriteit-en-veiligheid",
    ),
    ThemeSeed(
        "5.3",
        "veilige-publieke-taak",
        "Veilige publieke taak",
        "Safe public service",
        T,
        "integriteit-en-veiligheid",
    ),
    ThemeSeed(
        "5.4",
        "informatieveiligheid",
        "Informatieveiligheid",
        "Information security",
        T,
        "integriteit-en-veiligheid",
        ("digitale-veiligheid",),
    ),
    ThemeSeed(
        "5.5",
        "bestuurlijke-integriteit",
        "Bestuurlijke integriteit",
        "Administrative integrity",
        T,
        "integriteit-en-veiligheid",
    ),
    ThemeSeed("X.1", "ondermijning", "Ondermijning", "Subversive crime", X),
    ThemeSeed(
        "X.2",
        "digitale-veiligheid",
        "Digitale veiligheid en cybercrime",
        "Digital safety and cybercrime",
        X,
    ),
    ThemeSeed("X.3", "zorg-en-veiligheid", "Zorg en veiligheid", "Care and safety", X),
    ThemeSeed("X.4", "informatiepositie", "Informatiepositie", "Information position", X),
)


@transaction.atomic
def taxonomy_seed_default(*, municipality_code: str = "") -> int:
    """Create the default themes that are missing; returns how many were created."""
    existing = {t.slug: t for t in Theme.objects.filter(municipality_code=municipality_code)}
    created = 0
    for position, seed in enumerate(DEFAULT_THEMES):
        if seed.slug in existing:
            continue
        theme = Theme.objects.create(
            municipality_code=municipality_code,
            code=seed.code,
            slug=seed.slug,
            name=seed.name,
            name_en=seed.name_en,
            kind=seed.kind,
            position=position,
            parent=existing.get(seed.parent) if seed.parent else None,
        )
        existing[seed.slug] = theme
        created += 1
    for seed in DEFAULT_THEMES:
        if seed.tags:
            theme = existing[seed.slug]
            theme.crosscut_tags.add(*[existing[tag] for tag in seed.tags if tag in existing])
    return created


def theme_list_active(*, municipality_code: str = ""):
    return Theme.objects.filter(municipality_code=municipality_code, is_active=True)

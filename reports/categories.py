"""Default resident-facing report categories (our own wording) and their seeding.

Each subcategory maps to an IVP thema and has a sensitivity. Where a report to the
municipality is the wrong channel, the category names the right one first (and for
emergencies and domestic violence does not accept reports at all).
"""

from dataclasses import dataclass

from django.db import transaction

from participation.models import Theme
from reports.models import ReportCategory

PUBLIC = ReportCategory.Sensitivity.PUBLIC
RESTRICTED = ReportCategory.Sensitivity.RESTRICTED
CONFIDENTIAL = ReportCategory.Sensitivity.CONFIDENTIAL
Channel = ReportCategory.Channel


@dataclass(frozen=True)
class CategorySeed:
    slug: str
    name: str
    name_en: str
    parent: str | None = None
    theme: str | None = None
    sensitivity: str = PUBLIC
    channel: str = Channel.NONE
    accepts: bool = True
    description: str = ""
    description_en: str = ""


DEFAULT_CATEGORIES: tuple[CategorySeed, ...] = (
    CategorySeed(
        "spoed",
        "Spoed of gevaar",
        "Emergency or danger",
        channel=Channel.EMERGENCY,
        accepts=False,
        description="Is er nu gevaar voor mensen? Bel direct 112. Meld het niet hier.",
        description_en="Are people in danger right now? Call 112 immediately. "
        "Do not report it here.",
    ),
    CategorySeed(
        "overlast-personen", "Overlast door personen of groepen", "Nuisance from people or groups"
    ),
    CategorySeed(
        "jongerenoverlast",
        "Overlast door jongeren",
        "Nuisance from young people",
        "overlast-personen",
        "jeugdoverlast",
    ),
    CategorySeed(
        "drugs-drankoverlast",
        "Drugs- of drankoverlast",
        "Nuisance from drugs or alcohol",
        "overlast-personen",
        "sociale-kwaliteit",
    ),
    CategorySeed(
        "woonoverlast",
        "Woonoverlast of burenoverlast",
        "Nuisance from neighbours or a home",
        "overlast-personen",
        "sociale-kwaliteit",
        RESTRICTED,
        description="Gaat het over een bepaald adres? Uw melding is alleen zichtbaar "
        "voor medewerkers van de gemeente.",
        description_en="About a specific address? Only municipal staff can see your report.",
    ),
    CategorySeed(
        "verward-gedrag",
        "Verward of onbegrepen gedrag",
        "Confused or erratic behaviour",
        "overlast-personen",
        "zorg-en-veiligheid",
        RESTRICTED,
        Channel.EMERGENCY,
        description="Is iemand een gevaar voor zichzelf of anderen? Bel 112. Geen "
        "spoed? Meld het hier; een zorgmedewerker kijkt mee.",
        description_en="Is someone a danger to themselves or others? Call 112. No "
        "emergency? Report it here; a care worker will look at it.",
    ),
    CategorySeed(
        "overige-overlast-personen",
        "Andere overlast door personen",
        "Other nuisance from people",
        "overlast-personen",
        "sociale-kwaliteit",
    ),
    CategorySeed("verloedering", "Vernieling en verloedering", "Vandalism and decay"),
    CategorySeed(
        "vandalisme-graffiti",
        "Vandalisme of graffiti",
        "Vandalism or graffiti",
        "verloedering",
        "fysieke-kwaliteit",
    ),
    CategorySeed(
        "zwerfafval",
        "Zwerfafval en verloedering",
        "Litter and neglect",
        "verloedering",
        "fysieke-kwaliteit",
    ),
    CategorySeed(
        "verlichting-donkere-plek",
        "Kapotte verlichting of donkere plek",
        "Broken lighting or dark spot",
        "verloedering",
        "fysieke-kwaliteit",
    ),
    CategorySeed("verkeer", "Verkeer", "Traffic"),
    CategorySeed(
        "verkeersonveilige-situatie",
        "Verkeersonveilige situatie",
        "Unsafe traffic situation",
        "verkeer",
        "verkeersveiligheid",
    ),
    CategorySeed(
        "te-hard-rijden",
        "Te hard of gevaarlijk rijden",
        "Speeding or reckless driving",
        "verkeer",
        "verkeersveiligheid",
    ),
    CategorySeed("horeca", "Horeca en uitgaan", "Bars and nightlife"),
    CategorySeed(
        "horeca-overlast",
        "Overlast van horeca of bezoekers",
        "Nuisance from bars or their visitors",
        "horeca",
        "veilig-uitgaan-horeca",
    ),
    CategorySeed("vuurwerk", "Vuurwerk", "Fireworks"),
    CategorySeed(
        "vuurwerkoverlast", "Vuurwerkoverlast", "Fireworks nuisance", "vuurwerk", "brandveiligheid"
    ),
    CategorySeed("criminaliteit", "Criminaliteit en ondermijning", "Crime and subversion"),
    CategorySeed(
        "ondermijning-vermoeden",
        "Vermoeden van ondermijning",
        "Suspected subversive crime",
        "criminaliteit",
        "ondermijning-georganiseerde-criminaliteit",
        CONFIDENTIAL,
        Channel.MELD_MISDAAD_ANONIEM,
        description="Bijvoorbeeld een woning of bedrijf dat als dekmantel lijkt te "
        "dienen. Wilt u volledig anoniem blijven? Bel Meld Misdaad Anoniem: "
        "0800-7000.",
        description_en="For example a house or business that seems to be a front. "
        "Want to stay fully anonymous? Call Meld Misdaad Anoniem: 0800-7000.",
    ),
    CategorySeed(
        "misdrijf",
        "Aangifte of tip over een misdrijf",
        "Report or tip about a crime",
        "criminaliteit",
        "veelvoorkomende-criminaliteit-hic",
        CONFIDENTIAL,
        Channel.POLICE,
        accepts=False,
        description="Aangifte doet u bij de politie (0900-8844 of politie.nl). Een "
        "anonieme tip kan via Meld Misdaad Anoniem: 0800-7000.",
        description_en="File a crime report with the police (0900-8844 or "
        "politie.nl). Anonymous tips: Meld Misdaad Anoniem, 0800-7000.",
    ),
    CategorySeed(
        "huiselijk-geweld",
        "Huiselijk geweld of kindermishandeling",
        "Domestic violence or child abuse",
        "criminaliteit",
        "veelvoorkomende-criminaliteit-hic",
        CONFIDENTIAL,
        Channel.VEILIG_THUIS,
        accepts=False,
        description="Bel Veilig Thuis: 0800-2000 (gratis, dag en nacht). Bij direct gevaar: 112.",
        description_en="Call Veilig Thuis: 0800-2000 (free, day and night). In "
        "immediate danger: 112.",
    ),
)


@transaction.atomic
def report_categories_seed_default(*, municipality_code: str = "") -> int:
    """Create the default categories that are missing; returns how many were created."""
    themes = {t.slug: t for t in Theme.objects.filter(municipality_code=municipality_code)}
    existing = {c.slug: c for c in ReportCategory.objects.all()}
    created = 0
    for position, seed in enumerate(DEFAULT_CATEGORIES):
        if seed.slug in existing:
            continue
        category = ReportCategory.objects.create(
            slug=seed.slug,
            name=seed.name,
            name_en=seed.name_en,
            parent=existing.get(seed.parent) if seed.parent else None,
            theme=themes.get(seed.theme) if seed.theme else None,
            sensitivity=seed.sensitivity,
            redirect_channel=seed.channel,
            accepts_reports=seed.accepts,
            description=seed.description,
            description_en=seed.description_en,
            position=position,
        )
        existing[seed.slug] = category
        created += 1
    return created

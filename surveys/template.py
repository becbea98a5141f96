"""The one-click "Buurtenquête veiligheid": a starter questionnaire modelled on the CBS
Veiligheidsmonitor (domain.md §2, §8), in our own wording, Dutch with English.

Q1–Q14 plus background questions B1–B3, each tagged with the indicators of domain.md §9
it feeds and with IVP thema's. The overlast grid carries the CBS cluster of each of its
13 rows; the social-cohesion grid flags its negative statement with "reverse": true.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.timezone import now

from participation.models import Burgerpanel, PanelMembership, Theme, User
from participation.taxonomy import taxonomy_seed_default
from surveys.models import Question, Survey
from surveys.selectors import survey_version_draft
from surveys.services.questionnaire import question_add, section_add, survey_create

TEMPLATE_TITLE = "Buurtenquête veiligheid"
TEMPLATE_TITLE_EN = "Neighbourhood safety survey"
TEMPLATE_INTRO = (
    "Hoe veilig en leefbaar is uw buurt? Met deze vragenlijst helpt u de gemeente bij het "
    "integraal veiligheidsplan. Invullen duurt ongeveer tien minuten. Uw antwoorden worden "
    "anoniem verwerkt; resultaten worden alleen getoond voor groepen van voldoende grootte. "
    "De vragenlijst is voor inwoners van 15 jaar en ouder."
)
TEMPLATE_INTRO_EN = (
    "How safe and liveable is your neighbourhood? This questionnaire helps the municipality "
    "with its integrated safety plan. It takes about ten minutes. Your answers are processed "
    "anonymously; results are only shown for groups that are large enough. The questionnaire "
    "is for residents aged 15 and over."
)

# Thema's residents are not asked to prioritise (internal to the municipality).
NOT_RESIDENT_PRIORITIES = frozenset(
    {"veilige-publieke-taak", "bestuurlijke-integriteit", "informatieveiligheid"}
)


def _o(value: str, label: str, label_en: str) -> dict[str, str]:
    return {"value": value, "label": label, "label_en": label_en}


def _r(key: str, label: str, label_en: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, "label_en": label_en, **extra}


OVERLAST_ROWS = [
    _r("rommel", "Rommel of zwerfvuil op straat", "Litter on the street",
       cluster="fysieke_verloedering"),
    _r("straatmeubilair", "Vernielde bankjes, prullenbakken of bushokjes",
       "Damaged benches, bins or bus shelters", cluster="fysieke_verloedering"),
    _r("bekladding", "Graffiti of bekladde muren en gebouwen",
       "Graffiti or defaced walls and buildings", cluster="fysieke_verloedering"),
    _r("hondenpoep", "Hondenpoep op de stoep, de straat of in het groen",
       "Dog mess on pavements, streets or green spaces", cluster="fysieke_verloedering"),
    _r("dronken_mensen", "Dronken mensen op straat", "Drunk people in the street",
       cluster="sociale_overlast"),
    _r("drugs", "Gebruik van of handel in drugs", "Drug use or drug dealing",
       cluster="sociale_overlast"),
    _r("buurtbewoners", "Overlast van buurtbewoners", "Nuisance from neighbours",
       cluster="sociale_overlast"),
    _r("lastigvallen", "Mensen die op straat worden lastiggevallen",
       "People being harassed in the street", cluster="sociale_overlast"),
    _r("jongeren", "Groepen jongeren die rondhangen", "Groups of young people hanging around",
       cluster="sociale_overlast"),
    _r("te_hard_rijden", "Te hard rijden", "Speeding", cluster="verkeersoverlast"),
    _r("parkeren", "Parkeerproblemen", "Parking problems", cluster="verkeersoverlast"),
    _r("agressief_verkeer", "Agressief gedrag in het verkeer", "Aggressive behaviour in traffic",
       cluster="verkeersoverlast"),
    _r("horeca", "Hinder van cafés, restaurants of snackbars",
       "Disturbance from cafés, restaurants or snack bars", cluster="overige"),
]  # fmt: skip

VOORZIENINGEN_ROWS = [
    _r("straten", "Het onderhoud van straten, stoepen en pleinen",
       "Maintenance of streets, pavements and squares"),
    _r("groen", "Het onderhoud van perken, plantsoenen en parken",
       "Maintenance of flower beds, green spaces and parks"),
    _r("verlichting", "De straatverlichting", "Street lighting"),
    _r("speelplekken", "Speelplekken voor kinderen", "Playgrounds for children"),
    _r("jongeren", "Voorzieningen voor jongeren", "Facilities for young people"),
]  # fmt: skip

COHESIE_ROWS = [
    _r("kennen_elkaar", "De mensen in deze buurt kennen elkaar nauwelijks",
       "People in this neighbourhood hardly know each other", reverse=True),
    _r("prettig", "De mensen gaan in deze buurt op een prettige manier met elkaar om",
       "People in this neighbourhood get on pleasantly with each other"),
    _r("gezellig", "Ik woon in een gezellige buurt waar mensen elkaar helpen",
       "I live in a friendly neighbourhood where people help each other"),
    _r("thuis", "Ik voel me thuis bij de mensen die in deze buurt wonen",
       "I feel at home with the people who live in this neighbourhood"),
]  # fmt: skip

SLACHTOFFER_ROWS = [
    _r("inbraak", "Inbraak of een poging tot inbraak in uw woning",
       "A burglary or attempted burglary of your home"),
    _r("fietsdiefstal", "Diefstal van uw fiets", "Theft of your bicycle"),
    _r("vernieling", "Vernieling aan uw auto of woning", "Damage to your car or home"),
    _r("bedreiging", "Bedreiging", "Threats"),
    _r("mishandeling", "Mishandeling", "Physical assault"),
    _r("online_oplichting", "Oplichting via internet", "Online fraud"),
]  # fmt: skip

JA_NEE = [_o("ja", "Ja", "Yes"), _o("nee", "Nee", "No")]


@dataclass(frozen=True)
class Q:
    code: str
    type: str
    text: str
    text_en: str
    indicators: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    required: bool = True
    allow_dont_know: bool = False
    help: str = ""
    help_en: str = ""
    options: list[dict[str, str]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    scale: str = ""
    max_choices: int | None = None
    condition: dict[str, Any] | None = None
    profile_field: str = ""


T = Question.Type
SECTIONS: list[tuple[str, str, list[Q]]] = [
    (
        "Uw buurt",
        "Your neighbourhood",
        [
            Q("Q1", T.MARK_1_10,
              "Welk rapportcijfer geeft u de leefbaarheid van uw buurt?",
              "What mark would you give the liveability of your neighbourhood?",
              ("I3",), ("sociale-kwaliteit", "fysieke-kwaliteit"), allow_dont_know=True,
              help="1 is heel slecht, 10 is uitstekend.",
              help_en="1 is very poor, 10 is excellent."),
            Q("Q2", T.MARK_1_10,
              "Welk rapportcijfer geeft u de veiligheid in uw buurt?",
              "What mark would you give the safety of your neighbourhood?",
              ("I4",), ("veiligheidsgevoel",), allow_dont_know=True,
              help="1 is heel onveilig, 10 is heel veilig.",
              help_en="1 is very unsafe, 10 is very safe."),
            Q("Q3", T.FREQUENCY,
              "Hoe vaak voelt u zich onveilig in uw eigen buurt?",
              "How often do you feel unsafe in your own neighbourhood?",
              ("I1", "I2"), ("veiligheidsgevoel",), allow_dont_know=True),
            Q("Q4", T.FREQUENCY,
              "Hoe vaak voelt u zich 's avonds op straat in uw buurt onveilig?",
              "How often do you feel unsafe in the street in your neighbourhood at night?",
              ("I16",), ("veiligheidsgevoel",), allow_dont_know=True),
            Q("Q5", T.FREQUENCY,
              "Hoe vaak loopt of rijdt u om, zodat u onveilige plekken in de buurt vermijdt?",
              "How often do you take a detour to avoid unsafe places in the neighbourhood?",
              ("I16",), ("veiligheidsgevoel",), allow_dont_know=True),
            Q("Q6", T.SINGLE_CHOICE,
              "Voelt u zich onveilig op plekken waar groepen jongeren rondhangen?",
              "Do you feel unsafe in places where groups of young people hang around?",
              (), ("jeugdoverlast", "veiligheidsgevoel"),
              options=[*JA_NEE, _o("kom_daar_niet", "Ik kom niet op zulke plekken",
                                   "I don't go to such places")]),
        ],
    ),
    (
        "Overlast in uw buurt",
        "Nuisance in your neighbourhood",
        [
            Q("Q7", T.OVERLAST_GRID,
              "Komen de volgende dingen in uw buurt voor? En zo ja: hoeveel overlast heeft u "
              "ervan?",
              "Do the following things happen in your neighbourhood? And if so: how much "
              "nuisance do they cause you?",
              ("I5", "I6", "I7", "I8", "I9"),
              ("fysieke-kwaliteit", "sociale-kwaliteit", "jeugdoverlast",
               "verkeersveiligheid", "veilig-uitgaan-horeca"),
              allow_dont_know=True, rows=OVERLAST_ROWS,
              help="Geef per onderwerp eerst aan of het voorkomt; als het voorkomt, geef dan "
                   "aan of u er veel, een beetje of geen overlast van heeft.",
              help_en="For each item, first say whether it happens; if it does, say whether "
                      "it causes you a lot of, some or no nuisance."),
        ],
    ),
    (
        "Voorzieningen en contact in de buurt",
        "Facilities and contact in the neighbourhood",
        [
            Q("Q8", T.GRID,
              "Hoe tevreden bent u over de volgende voorzieningen in uw buurt?",
              "How satisfied are you with the following facilities in your neighbourhood?",
              ("I10",), ("fysieke-kwaliteit",), allow_dont_know=True,
              rows=VOORZIENINGEN_ROWS, scale=Question.Scale.SATISFIED_5),
            Q("Q9", T.GRID,
              "In hoeverre bent u het eens met de volgende uitspraken over uw buurt?",
              "To what extent do you agree with the following statements about your "
              "neighbourhood?",
              ("I11",), ("sociale-kwaliteit",), allow_dont_know=True,
              rows=COHESIE_ROWS, scale=Question.Scale.AGREE_5),
        ],
    ),
    (
        "Ervaringen met criminaliteit",
        "Experiences with crime",
        [
            Q("Q10", T.GRID,
              "Is u in de afgelopen twaalf maanden het volgende overkomen?",
              "Has any of the following happened to you in the past twelve months?",
              ("I12",), ("veelvoorkomende-criminaliteit-hic", "digitale-veiligheid"),
              rows=SLACHTOFFER_ROWS, scale=Question.Scale.YES_NO),
            Q("Q11", T.SINGLE_CHOICE,
              "Heeft u daarvan aangifte gedaan of het gemeld bij de politie of de gemeente?",
              "Did you report this to the police or the municipality?",
              ("I13",), ("veelvoorkomende-criminaliteit-hic",), options=JA_NEE,
              help="Als u meer heeft meegemaakt: denk aan de laatste keer.",
              help_en="If more than one thing happened: think of the most recent one.",
              condition={"question": "Q10", "operator": "equals", "value": "ja"}),
        ],
    ),
    (
        "Gemeente en politie",
        "Municipality and police",
        [
            Q("Q12", T.AGREE_5,
              "De gemeente doet genoeg aan de leefbaarheid en veiligheid in mijn buurt.",
              "The municipality does enough for liveability and safety in my neighbourhood.",
              ("I14",), ("sociale-kwaliteit", "fysieke-kwaliteit"), allow_dont_know=True),
            Q("Q13", T.SATISFIED_5,
              "Hoe tevreden bent u over hoe de politie in uw buurt functioneert?",
              "How satisfied are you with how the police function in your neighbourhood?",
              ("I15",), ("veiligheidsgevoel",), allow_dont_know=True),
            Q("Q14", T.MULTIPLE_CHOICE,
              "Welke onderwerpen moet de gemeente in uw buurt met voorrang aanpakken?",
              "Which issues should the municipality tackle first in your neighbourhood?",
              ("I17",), (), required=False, max_choices=3,
              help="Kies er hoogstens drie.", help_en="Choose up to three."),
        ],
    ),
    (
        "Over uzelf",
        "About you",
        [
            Q("B1", T.SINGLE_CHOICE, "Wat is uw leeftijd?", "What is your age?",
              profile_field="age_band",
              options=[_o(v, str(label), en) for (v, label), en in zip(
                  PanelMembership.AgeBand.choices,
                  ("15 to 24 years", "25 to 44 years", "45 to 64 years", "65 years or older"),
                  strict=True)]),
            Q("B2", T.SINGLE_CHOICE, "Wat is uw geslacht?", "What is your sex?",
              profile_field="sex",
              options=[_o(v, str(label).capitalize(), en) for (v, label), en in zip(
                  PanelMembership.Sex.choices,
                  ("Man", "Woman", "Other", "I'd rather not say"), strict=True)]),
            Q("B3", T.BUURT_CHOICE, "In welke buurt woont u?",
              "Which neighbourhood do you live in?", profile_field="buurt",
              help="Alleen de buurt wordt bewaard, niet uw adres.",
              help_en="Only the neighbourhood is stored, not your address."),
        ],
    ),
]  # fmt: skip


def _themes(municipality_code: str) -> dict[str, Theme]:
    """The municipality's own taxonomy when it has one, else the default (seeded when the
    default set is still empty)."""
    own = {t.slug: t for t in Theme.objects.filter(municipality_code=municipality_code)}
    if own:
        return own
    if not Theme.objects.filter(municipality_code="").exists():
        taxonomy_seed_default()
    return {t.slug: t for t in Theme.objects.filter(municipality_code="")}


def _priority_options(themes: dict[str, Theme]) -> list[dict[str, str]]:
    thema_s = sorted(
        (
            t
            for t in themes.values()
            if t.kind == Theme.Kind.THEMA and t.is_active and t.slug not in NOT_RESIDENT_PRIORITIES
        ),
        key=lambda t: (t.position, t.code),
    )
    return [_o(t.slug, t.name, t.name_en or t.name) for t in thema_s]


@transaction.atomic
def survey_create_from_template(
    *,
    created_by: User | None,
    municipality_code: str,
    panel: Burgerpanel | None = None,
    distribution: str,
    slug: str | None = None,
) -> Survey:
    """Create the "Buurtenquête veiligheid" as a draft survey, ready to publish (or to edit
    first). Q14's options are the municipality's active IVP thema's."""
    themes = _themes(municipality_code)
    slug = slug or slugify(f"buurtenquete-veiligheid-{now():%Y%m%d-%H%M%S}")
    survey = survey_create(
        created_by=created_by,
        slug=slug,
        title=TEMPLATE_TITLE,
        title_en=TEMPLATE_TITLE_EN,
        intro=TEMPLATE_INTRO,
        intro_en=TEMPLATE_INTRO_EN,
        distribution=distribution,
        panel=panel,
        municipality_code=municipality_code,
    )
    version = survey_version_draft(survey=survey)
    for title, title_en, questions in SECTIONS:
        section = section_add(version=version, title=title, title_en=title_en)
        for q in questions:
            question_add(
                section=section,
                code=q.code,
                type=q.type,
                text=q.text,
                text_en=q.text_en,
                help=q.help,
                help_en=q.help_en,
                required=q.required,
                allow_dont_know=q.allow_dont_know,
                options=_priority_options(themes) if q.code == "Q14" else q.options,
                rows=q.rows,
                scale=q.scale,
                max_choices=q.max_choices,
                condition=q.condition,
                indicator_codes=q.indicators,
                themes=[themes[s] for s in q.themes if s in themes],
                profile_field=q.profile_field,
            )
    return survey

"""Builders for weighted-results tests: CBS population rows for GM0546 and its test wijken,
and panel respondents with buurt, age band and sex (tests.surveys.conftest `buurten`)."""

from geo.codes import AreaLevel
from geo.models import Area
from tests.geo.factories import AreaFactory, AreaPopulationFactory
from tests.participation.factories import BurgerpanelFactory
from tests.surveys.helpers import build_survey, member, q, submit_panel

WIJK_1, WIJK_2 = "WK054690", "WK054691"  # of the `buurten` fixture: 9000, 9001 | 9100
YOUNG, OLD = "15-24", "65+"


def population(code, *, level, year=2024, young=0, old=0, men=None, women=None, **extra):
    area = Area.objects.filter(code=code).first() or AreaFactory(
        level=level, code=code, parent_code="", col=100 + len(code)
    )
    return AreaPopulationFactory(
        area=area,
        year=year,
        age_15_24=young,
        age_25_44=extra.pop("age_25_44", 0),
        age_45_64=extra.pop("age_45_64", 0),
        age_65_plus=old,
        men=men if men is not None else (young + old) // 2,
        women=women if women is not None else (young + old) // 2,
        **extra,
    )


def indicator_survey(**kwargs):
    panel = BurgerpanelFactory()
    survey = build_survey(
        distribution=kwargs.pop("distribution", "panel_only"),
        panel=panel,
        questions=[
            q("F", type="frequency", allow_dont_know=True, indicator_codes=["I1", "I2"]),
            q("K", type="mark_1_10", indicator_codes=["I3"]),
            q("Y", type="frequency"),  # answered by the young only
        ],
        **kwargs,
    )
    return survey, panel


def respond(survey, panel, *, buurt, age_band, sex, answers):
    membership = member(panel, buurt=buurt, age_band=age_band, sex=sex)
    return submit_panel(survey, membership, answers)


def young_and_old(buurten, *, young=6, old=14, **kwargs):
    """`young` 15–24 (half men) who feel unsafe often and give a 9, `old` 65+ (half men)
    who never do and give a 6; all in buurt 9000 of wijk 1."""
    survey, panel = indicator_survey(**kwargs)
    for i in range(young):
        respond(survey, panel, buurt=buurten[0], age_band=YOUNG, sex="man" if i % 2 else "vrouw",
                answers={"F": "vaak", "K": 9, "Y": "soms"})  # fmt: skip
    for i in range(old):
        respond(survey, panel, buurt=buurten[0], age_band=OLD, sex="man" if i % 2 else "vrouw",
                answers={"F": "nooit", "K": 6})  # fmt: skip
    return survey


def gemeente_and_wijk_1(year=2024, **kwargs):
    population("GM0546", level=AreaLevel.GEMEENTE, year=year, young=500, old=500, **kwargs)
    population(WIJK_1, level=AreaLevel.WIJK, year=year, young=500, old=500, **kwargs)

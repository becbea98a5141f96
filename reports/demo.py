"""Leiden demo reports: a few thousand plausible meldingen over the last two years.

Deterministic for a given `seed` and `now` (numpy Generator). Reports cluster around
plausible hotspots with category-specific seasons, weekdays and hours: horeca around the
Breestraat and Haarlemmerstraat at weekend nights, jongerenoverlast in parks and at
schoolyards on summer evenings, vuurwerk peaking around New Year, dark spots in winter,
unsafe traffic along the main roads. Handling follows each category's typical duration;
some reports are forwarded to partners, some merged as duplicates, open ones collect
supporters, and part of them is moderated.

Everything is written through the domain services (validation, buurt assignment, audit).
Only the dates are then moved into the past in one clearly marked demo-only step, because
the services stamp "now". Demo reports carry no personal data and are recognised by the
external id prefix `demo-`; seeding is skipped when they exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from geo.codes import AreaLevel
from geo.index import buurt_index_get
from geo.models import Area
from participation.taxonomy import taxonomy_seed_default
from reports.categories import report_categories_seed_default
from reports.models import Report, ReportEvent, ReportMessage, ReportSupport
from reports.services import (
    report_create,
    report_merge,
    report_moderate,
    report_status_change,
    report_support_add,
)

DEMO_PREFIX = "demo-"
DEMO_MUNICIPALITY_CODE = "GM0546"
DAYS = 730
S = Report.Status
M = Report.Moderation

# name: (lat, lon, spread in metres)
HOTSPOTS: dict[str, tuple[float, float, float]] = {
    "station": (52.1662, 4.4818, 140),
    "breestraat": (52.1589, 4.4878, 110),
    "haarlemmerstraat": (52.1606, 4.4925, 110),
    "nieuwe-rijn": (52.1586, 4.4903, 90),
    "nieuwe-beestenmarkt": (52.1619, 4.4858, 80),
    "van-der-werfpark": (52.1627, 4.4957, 90),
    "plantsoen": (52.1549, 4.4934, 90),
    "leidse-hout": (52.1740, 4.4758, 180),
    "merenwijk": (52.1772, 4.5068, 260),
    "stevenshof": (52.1560, 4.4505, 260),
    "leiden-noord": (52.1690, 4.4955, 260),
    "zuidwest": (52.1445, 4.4735, 260),
    "roomburg": (52.1462, 4.5128, 180),
    "schoolplein-noord": (52.1705, 4.5005, 70),
    "schoolplein-zuidwest": (52.1428, 4.4780, 70),
    "schoolplein-merenwijk": (52.1790, 4.5040, 70),
    "lammenschansweg": (52.1488, 4.4882, 90),
    "haagweg": (52.1562, 4.4735, 90),
    "willem-de-zwijgerlaan": (52.1700, 4.4690, 90),
    "plesmanlaan": (52.1672, 4.4600, 120),
    "hoge-rijndijk": (52.1530, 4.5095, 110),
    "churchilllaan": (52.1440, 4.4860, 100),
}
RESIDENTIAL = {"merenwijk": 2, "stevenshof": 2, "leiden-noord": 2, "zuidwest": 2, "*": 3}
MAIN_ROADS = {
    "lammenschansweg": 2,
    "haagweg": 2,
    "willem-de-zwijgerlaan": 2,
    "plesmanlaan": 1,
    "hoge-rijndijk": 1,
    "churchilllaan": 1,
}


def _flat(n: int) -> tuple[float, ...]:
    return (1.0,) * n


def _hours(*peaks: tuple[int, int, float]) -> tuple[float, ...]:
    """24 hourly weights: a low base plus (from, to, weight) ranges (to may wrap)."""
    weights = [0.2] * 24
    for start, end, weight in peaks:
        hour, end = start % 24, end % 24
        while True:
            weights[hour] = max(weights[hour], weight)
            hour = (hour + 1) % 24
            if hour == end:
                break
    return tuple(weights)


DAYTIME = _hours((8, 22, 1.0))
EVENING = _hours((17, 24, 1.0), (0, 1, 0.6))
NIGHT = _hours((22, 24, 1.0), (0, 4, 1.2))
COMMUTE = _hours((7, 10, 1.2), (15, 19, 1.2), (10, 15, 0.6))
SUMMER = (0.5, 0.5, 0.7, 0.9, 1.3, 1.6, 1.8, 1.7, 1.3, 0.9, 0.6, 0.5)
WINTER = (1.8, 1.5, 1.0, 0.6, 0.4, 0.3, 0.3, 0.4, 0.7, 1.2, 1.7, 2.0)
WEEKEND_NIGHTS = (0.4, 0.4, 0.6, 1.0, 2.2, 2.6, 1.2)  # Monday … Sunday


@dataclass(frozen=True)
class Profile:
    slug: str
    share: float
    hotspots: dict[str, float]  # "*" = anywhere in the municipality
    months: tuple[float, ...] = _flat(12)
    weekdays: tuple[float, ...] = _flat(7)
    hours: tuple[float, ...] = DAYTIME
    handling_days: float = 10.0
    partners: tuple[str, ...] = ()
    forwarded_share: float = 0.0
    texts: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    new_year: bool = False


PROFILES: tuple[Profile, ...] = (
    Profile(
        "horeca-overlast",
        0.10,
        {"breestraat": 3, "haarlemmerstraat": 2, "nieuwe-rijn": 2, "nieuwe-beestenmarkt": 2},
        months=(0.8, 0.8, 0.9, 1.0, 1.2, 1.3, 1.3, 1.2, 1.1, 1.0, 0.9, 1.0),
        weekdays=WEEKEND_NIGHTS,
        hours=NIGHT,
        handling_days=9,
        partners=("handhaving", "politie"),
        forwarded_share=0.3,
        texts=(
            "Harde muziek uit een café tot diep in de nacht.",
            "Bezoekers van de kroeg schreeuwen op straat bij sluitingstijd.",
            "Terras staat na sluitingstijd nog vol en er wordt veel lawaai gemaakt.",
            "Groepen uitgaanspubliek blokkeren de stoep en gooien glas op straat.",
            "Elk weekend geluidsoverlast van bezoekers die naar huis gaan.",
        ),
        places=("bij de kroegen", "op het plein", "hoek van de steeg"),
    ),
    Profile(
        "jongerenoverlast",
        0.14,
        {
            "van-der-werfpark": 2,
            "plantsoen": 1.5,
            "leidse-hout": 1.5,
            "merenwijk": 1,
            "stevenshof": 1,
            "leiden-noord": 1,
            "zuidwest": 1,
            "schoolplein-noord": 1.5,
            "schoolplein-zuidwest": 1.5,
            "schoolplein-merenwijk": 1.5,
        },
        months=SUMMER,
        weekdays=(0.9, 0.9, 1.0, 1.0, 1.3, 1.4, 1.1),
        hours=EVENING,
        handling_days=12,
        partners=("jongerenwerk", "handhaving"),
        forwarded_share=0.35,
        texts=(
            "Groep jongeren hangt elke avond rond op het schoolplein en maakt veel lawaai.",
            "Jongeren op scooters rijden rondjes door het park.",
            "Rondhangende jongeren laten veel afval en lachgaspatronen achter.",
            "Jongeren intimideren voorbijgangers bij het bankje.",
            "Tot laat in de avond harde muziek en geschreeuw bij de speeltuin.",
        ),
        places=("bij de speeltuin", "op het schoolplein", "bij de bankjes in het park"),
    ),
    Profile(
        "vuurwerkoverlast",
        0.07,
        RESIDENTIAL,
        hours=_hours((17, 24, 1.0), (0, 3, 1.5)),
        handling_days=4,
        partners=("handhaving", "politie"),
        forwarded_share=0.2,
        texts=(
            "Al dagen wordt er zwaar vuurwerk afgestoken in de straat.",
            "Vuurwerk wordt naar auto's en voorbijgangers gegooid.",
            "Cobra's en ander zwaar vuurwerk bij de flat, ook overdag.",
            "Iemand steekt vuurwerk af in de container.",
        ),
        places=("bij de flat", "op het plein", "bij de containers"),
        new_year=True,
    ),
    Profile(
        "verlichting-donkere-plek",
        0.10,
        {"leidse-hout": 2, "plantsoen": 1, "roomburg": 2, "merenwijk": 1, "*": 3},
        months=WINTER,
        hours=_hours((16, 23, 1.0), (6, 9, 0.8)),
        handling_days=8,
        partners=("openbare_ruimte",),
        forwarded_share=0.1,
        texts=(
            "De lantaarnpaal is al weken kapot; het fietspad is 's avonds aardedonker.",
            "Donker stuk langs het water, ik voel me hier onveilig.",
            "Meerdere lampen in het park doen het niet.",
            "Straatverlichting knippert en valt steeds uit.",
        ),
        places=("langs het fietspad", "bij de brug", "in het park"),
    ),
    Profile(
        "verkeersonveilige-situatie",
        0.10,
        MAIN_ROADS,
        weekdays=(1.2, 1.2, 1.2, 1.2, 1.1, 0.6, 0.5),
        hours=COMMUTE,
        handling_days=20,
        partners=("openbare_ruimte", "politie"),
        forwarded_share=0.2,
        texts=(
            "Gevaarlijk kruispunt: auto's en fietsers zien elkaar slecht.",
            "Schoolkinderen moeten hier oversteken zonder zebrapad.",
            "Geparkeerde auto's op de hoek ontnemen het zicht.",
            "Fietsers rijden door rood bij de drukke oversteek.",
        ),
        places=("bij de oversteek", "op de kruising", "bij de rotonde"),
    ),
    Profile(
        "te-hard-rijden",
        0.07,
        MAIN_ROADS,
        hours=_hours((19, 24, 1.0), (0, 2, 0.8), (7, 9, 0.6)),
        handling_days=20,
        partners=("politie", "handhaving"),
        forwarded_share=0.4,
        texts=(
            "Auto's en scooters rijden hier 's avonds veel te hard.",
            "Racende auto's over de laan, vooral in het weekend.",
            "Motoren scheuren met hoge snelheid door de straat.",
        ),
        places=("op de laan", "bij de bushalte"),
    ),
    Profile(
        "zwerfafval",
        0.12,
        {"station": 2, "breestraat": 1, "haarlemmerstraat": 1, "*": 4},
        months=SUMMER,
        weekdays=(1.3, 1.0, 1.0, 1.0, 1.0, 1.0, 1.3),
        handling_days=3,
        partners=("openbare_ruimte",),
        forwarded_share=0.05,
        texts=(
            "Vuilniszakken naast de container, al dagen.",
            "Veel zwerfafval rond de bankjes.",
            "Gedumpt grofvuil op de stoep.",
            "Overvolle prullenbakken en afval dat wegwaait.",
        ),
        places=("bij de container", "naast het bankje", "bij de ingang"),
    ),
    Profile(
        "vandalisme-graffiti",
        0.07,
        {"station": 2, "leiden-noord": 1, "zuidwest": 1, "*": 3},
        hours=_hours((20, 24, 1.0), (0, 4, 0.8), (8, 12, 0.6)),
        handling_days=10,
        partners=("openbare_ruimte",),
        forwarded_share=0.05,
        texts=(
            "Nieuwe graffiti op de muur van het fietspad.",
            "Bushokje vernield, overal glas.",
            "Bankjes in het park zijn beklad.",
            "Fietsen vernield in het fietsenrek.",
        ),
        places=("bij het bushokje", "in de tunnel", "bij het fietsenrek"),
    ),
    Profile(
        "drugs-drankoverlast",
        0.07,
        {"station": 3, "plantsoen": 1, "van-der-werfpark": 1, "leiden-noord": 1, "*": 1},
        hours=EVENING,
        handling_days=14,
        partners=("politie", "zorg"),
        forwarded_share=0.35,
        texts=(
            "Er wordt openlijk gedeald in het portiek.",
            "Mensen drinken de hele dag alcohol op het bankje en vallen voorbijgangers lastig.",
            "Lachgasflessen en spuiten in de bosjes.",
            "Drugsoverlast bij de fietsenstalling, vooral 's avonds.",
        ),
        places=("bij de fietsenstalling", "in het portiek"),
    ),
    Profile(
        "overige-overlast-personen",
        0.05,
        {"station": 2, "breestraat": 1, "*": 2},
        handling_days=10,
        partners=("handhaving",),
        forwarded_share=0.15,
        texts=(
            "Wildplassers in de steeg.",
            "Iemand slaapt al een week in het portiek.",
            "Agressieve bedelaar bij de supermarkt.",
        ),
    ),
    Profile(
        "woonoverlast",
        0.05,
        RESIDENTIAL,
        hours=_hours((19, 24, 1.0), (0, 3, 0.8)),
        handling_days=30,
        partners=("woningcorporatie", "handhaving"),
        forwarded_share=0.5,
        texts=(
            "Aanhoudende geluidsoverlast uit een woning, ook 's nachts.",
            "Veel verschillende mensen komen en gaan bij een woning.",
            "Stankoverlast en afval in het portiek van een woning.",
        ),
    ),
    Profile(
        "verward-gedrag",
        0.03,
        {"station": 2, "breestraat": 1, "*": 2},
        handling_days=5,
        partners=("zorg",),
        forwarded_share=0.7,
        texts=(
            "Een verwarde man loopt tegen het verkeer in te schreeuwen.",
            "Iemand lijkt de weg kwijt en spreekt voorbijgangers aan.",
        ),
    ),
    Profile(
        "ondermijning-vermoeden",
        0.02,
        {"*": 1},
        handling_days=45,
        partners=("politie",),
        forwarded_share=0.6,
        texts=(
            "Een bedrijfspand lijkt leeg te staan maar er is 's nachts veel verkeer.",
            "Vermoeden van een hennepkwekerij: ramen altijd afgeplakt.",
        ),
    ),
)


def _redacted_text(report: Report) -> str:
    """What a moderator publishes when redacting: the subject, without the details."""
    return f"{report.category.name}: details weggelaten door de moderator."


def _new_year_weight(day: date) -> float:
    if day.month == 12 and day.day >= 26:
        return 8.0
    if day.month == 1 and day.day == 1:
        return 12.0
    if (day.month == 12 and day.day >= 1) or (day.month == 1 and day.day <= 7):
        return 1.5
    return 0.08


@dataclass
class _Planned:
    index: int
    profile: Profile
    created_at: datetime
    lat: float
    lon: float
    status: str
    partner: str
    closed_at: datetime | None
    moderation: str | None
    supports: int
    duplicate_of: int | None = None  # index of the report it repeats


def demo_reports_exist() -> bool:
    return Report.objects.filter(external_id__startswith=DEMO_PREFIX).exists()


def _ensure_reference_data() -> None:
    if settings.BUURTSTEM_MUNICIPALITY_CODE != DEMO_MUNICIPALITY_CODE:
        raise ImproperlyConfigured(
            "The demo reports are placed in Leiden; set BUURTSTEM_MUNICIPALITY_CODE=GM0546."
        )
    if not Area.objects.filter(level=AreaLevel.BUURT, code__startswith="BU0546").exists():
        from geo.demo import leiden_areas_seed

        leiden_areas_seed()
    taxonomy_seed_default()
    report_categories_seed_default()


class _Planner:
    def __init__(self, rng: np.random.Generator, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.index = buurt_index_get()
        tz = timezone.get_default_timezone()
        local_now = now.astimezone(tz)
        self.tz = tz
        self.days = [local_now.date() - timedelta(days=d) for d in range(DAYS, -1, -1)]
        buurten = list(
            Area.objects.filter(pk__in=self.index.area_ids.tolist()).values_list(
                "label_lat", "label_lon"
            )
        )
        self.anywhere = np.array(buurten, dtype=float)

    def day_weights(self, profile: Profile) -> np.ndarray:
        weights = np.array(
            [
                profile.months[d.month - 1]
                * profile.weekdays[d.weekday()]
                * (_new_year_weight(d) if profile.new_year else 1.0)
                # a little growth over the two years: the platform gets known
                * (0.75 + 0.5 * i / DAYS)
                for i, d in enumerate(self.days)
            ]
        )
        return weights / weights.sum()

    def moments(self, profile: Profile, n: int) -> list[datetime]:
        day_idx = self.rng.choice(len(self.days), size=n, p=self.day_weights(profile))
        hours = np.array(profile.hours)
        hour = self.rng.choice(24, size=n, p=hours / hours.sum())
        minute = self.rng.integers(0, 60, size=n)
        result = []
        for d, h, m in zip(day_idx.tolist(), hour.tolist(), minute.tolist(), strict=True):
            day = self.days[d]
            moment = datetime(day.year, day.month, day.day, h, m, tzinfo=self.tz)
            if moment >= self.now:
                moment = self.now - timedelta(minutes=int(self.rng.integers(5, 600)))
            result.append(moment)
        return result

    def points(self, profile: Profile, n: int) -> np.ndarray:
        names = list(profile.hotspots)
        weights = np.array([profile.hotspots[k] for k in names], dtype=float)
        chosen = self.rng.choice(len(names), size=n, p=weights / weights.sum())
        out = np.zeros((n, 2))
        todo = np.arange(n)
        for _attempt in range(30):
            centres = np.zeros((todo.size, 2))
            spreads = np.zeros(todo.size)
            for j, i in enumerate(todo.tolist()):
                name = names[chosen[i]]
                if name == "*":
                    centres[j] = self.anywhere[self.rng.integers(0, len(self.anywhere))]
                    spreads[j] = 250.0
                else:
                    lat, lon, spread = HOTSPOTS[name]
                    centres[j] = (lat, lon)
                    spreads[j] = spread
            dy = self.rng.normal(0, 1, todo.size) * spreads / 111_320
            dx = (
                self.rng.normal(0, 1, todo.size)
                * spreads
                / (111_320 * math.cos(math.radians(52.16)))
            )
            cand = np.column_stack([centres[:, 0] + dy, centres[:, 1] + dx])
            found = self.index.lookup_many(cand[:, 0], cand[:, 1])
            ok = found >= 0
            out[todo[ok]] = cand[ok]
            todo = todo[~ok]
            if todo.size == 0:
                break
        for i in todo.tolist():  # give up on jitter: use the buurt label point
            out[i] = self.anywhere[self.rng.integers(0, len(self.anywhere))]
        return np.round(out, 6)

    def outcome(self, profile: Profile, created: datetime) -> tuple[str, str, datetime | None]:
        days = float(self.rng.lognormal(math.log(profile.handling_days), 0.9))
        if self.rng.random() < 0.06:  # a backlog: some reports wait for months
            days *= 8
        handling = timedelta(days=days)
        closed_at = created + handling
        if closed_at >= self.now:
            age = self.now - created
            started = age > timedelta(days=2) and self.rng.random() < 0.75
            return (S.IN_PROGRESS if started else S.NEW), "", None
        roll = self.rng.random()
        if roll < 0.05:
            return S.CANCELLED, "", closed_at
        if profile.partners and roll < 0.05 + 0.7 * profile.forwarded_share:
            partner = profile.partners[int(self.rng.integers(0, len(profile.partners)))]
            return S.FORWARDED, partner, closed_at
        return S.RESOLVED, "", closed_at

    @staticmethod
    def _recent_same(planned: list[_Planned], item: _Planned) -> _Planned | None:
        """The latest earlier report of the same category from the last five days that can
        take a merge (not cancelled, not itself a duplicate)."""
        for earlier in reversed(planned[: item.index]):
            if item.created_at - earlier.created_at > timedelta(days=5):
                return None
            if (
                earlier.profile is item.profile
                and earlier.duplicate_of is None
                and earlier.status != S.CANCELLED
            ):
                return earlier
        return None

    def plan(self, count: int) -> list[_Planned]:
        shares = np.array([p.share for p in PROFILES])
        per_profile = self.rng.multinomial(count, shares / shares.sum())
        planned: list[_Planned] = []
        for profile, n in zip(PROFILES, per_profile.tolist(), strict=True):
            if n == 0:
                continue
            moments = self.moments(profile, n)
            points = self.points(profile, n)
            for moment, (lat, lon) in zip(moments, points.tolist(), strict=True):
                status, partner, closed_at = self.outcome(profile, moment)
                moderated = self.rng.random() < 0.4
                moderation = None
                if moderated:
                    moderation = str(
                        self.rng.choice([M.APPROVED, M.REDACTED, M.REJECTED], p=[0.65, 0.25, 0.1])
                    )
                supports = int(self.rng.poisson(1.2)) if status in Report.OPEN_STATUSES else 0
                planned.append(
                    _Planned(
                        index=0,
                        profile=profile,
                        created_at=moment,
                        lat=lat,
                        lon=lon,
                        status=status,
                        partner=partner,
                        closed_at=closed_at,
                        moderation=moderation,
                        supports=supports,
                    )
                )
        planned.sort(key=lambda p: p.created_at)
        for i, item in enumerate(planned):
            item.index = i
        # A few percent repeat an earlier public report nearby within days: merged later.
        for item in planned:
            if item.profile.slug in _NOT_PUBLIC or self.rng.random() >= 0.04:
                continue
            original = self._recent_same(planned, item)
            if original is None:
                continue
            item.duplicate_of = original.index
            item.lat = round(original.lat + float(self.rng.normal(0, 0.0002)), 6)
            item.lon = round(original.lon + float(self.rng.normal(0, 0.0003)), 6)
            item.status, item.partner, item.closed_at, item.supports = S.NEW, "", None, 0
            if self.index.lookup(item.lat, item.lon) is None:  # jittered into the water
                item.lat, item.lon = original.lat, original.lon
        return planned


_NOT_PUBLIC = {"woonoverlast", "verward-gedrag", "ondermijning-vermoeden"}


def _description(rng: np.random.Generator, profile: Profile) -> tuple[str, str]:
    text = profile.texts[int(rng.integers(0, len(profile.texts)))]
    place = ""
    if profile.places and rng.random() < 0.4:
        place = profile.places[int(rng.integers(0, len(profile.places)))]
    return text, place


def _staff_actor() -> Any:
    """The demo moderator when the demo accounts exist (they are optional)."""
    from participation.demo import MODERATOR_EMAIL
    from participation.models import User
    from participation.selectors import user_get_by_email

    try:
        return user_get_by_email(email=MODERATOR_EMAIL)
    except User.DoesNotExist:
        return None


def reports_demo_seed(
    *, count: int = 3000, seed: int = 20261125, now: datetime | None = None
) -> int:
    """Create `count` demo reports in Leiden (see the module docstring); returns how many
    were created, 0 when demo reports exist already."""
    if demo_reports_exist():
        return 0
    _ensure_reference_data()
    now = now or timezone.now()
    rng = np.random.default_rng(seed)
    planned = _Planner(rng, now).plan(count)
    actor = _staff_actor()
    with transaction.atomic():
        reports: dict[int, Report] = {}
        for item in planned:
            text, place = _description(rng, item.profile)
            intake = report_create(
                category_slug=item.profile.slug,
                description=text,
                lat=item.lat,
                lon=item.lon,
                location_description=place,
                occurred_at=item.created_at - timedelta(minutes=int(rng.integers(0, 180))),
                source=Report.Source.API if rng.random() < 0.1 else Report.Source.WEB,
                external_id=f"{DEMO_PREFIX}{seed}-{item.index:05d}",
            )
            report = intake.report
            reports[item.index] = report
            if item.duplicate_of is not None:
                target = Report.objects.get(pk=reports[item.duplicate_of].pk)
                if target.status != S.CANCELLED and target.duplicate_of_id is None:
                    report_merge(duplicate=report, into=target, actor=actor)
                    item.status = S.CANCELLED
                    item.closed_at = min(
                        now, item.created_at + timedelta(hours=int(rng.integers(2, 72)))
                    )
                    continue
            _handle(report, item, actor, rng)
            if item.moderation:
                public_text = _redacted_text(report) if item.moderation == M.REDACTED else ""
                report_moderate(
                    report=report, actor=actor, decision=item.moderation, public_text=public_text
                )
            if item.supports and item.profile.slug not in _NOT_PUBLIC:
                for k in range(item.supports):
                    report_support_add(report=report, device_id=f"demo-{item.index}-{k}")
        _backdate(planned, reports, now)
    return len(planned)


def _handle(report: Report, item: _Planned, actor: Any, rng: np.random.Generator) -> None:
    if item.status == S.NEW:
        return
    # Most closed reports went through "in behandeling"; quick fixes are closed directly.
    if item.status == S.IN_PROGRESS or rng.random() < 0.5:
        report_status_change(report=report, actor=actor, status=S.IN_PROGRESS)
    if item.status == S.IN_PROGRESS:
        return
    message = ""
    if item.status == S.RESOLVED and rng.random() < 0.5:
        message = "Dank voor uw melding. We hebben het probleem opgelost."
    elif item.status == S.FORWARDED:
        message = "We hebben uw melding doorgestuurd naar de partner die dit oppakt."
    report_status_change(
        report=report, actor=actor, status=item.status, partner=item.partner, message=message
    )


def _backdate(planned: list[_Planned], reports: dict[int, Report], now: datetime) -> None:
    """DEMO ONLY. The services stamp every write with the current time; to make two years
    of history, move each report, its audit events, messages and supports to the planned
    dates. Event order is kept: the first event is the creation, the last one the closing
    (or the latest activity of an open report)."""
    by_pk: dict[int, tuple[datetime, datetime]] = {}
    objs = []
    for item in planned:
        report = reports[item.index]
        end = item.closed_at or min(
            now, item.created_at + timedelta(days=item.profile.handling_days * 0.3)
        )
        # `report` is the instance report_create returned; the handling services worked on
        # their own copies, so the planned status (not report.status) says what it is now.
        report.created_at = item.created_at
        report.updated_at = end
        report.closed_at = (
            (item.closed_at or end) if item.status in Report.CLOSED_STATUSES else None
        )
        objs.append(report)
        by_pk[report.pk] = (item.created_at, end)
    Report.objects.bulk_update(objs, ["created_at", "updated_at", "closed_at"], batch_size=100)

    def spread(model: type, fields: tuple[str, ...]) -> None:
        rows = list(model.objects.filter(report_id__in=by_pk).order_by("report_id", "pk"))
        grouped: dict[int, list] = {}
        for row in rows:
            grouped.setdefault(row.report_id, []).append(row)
        for report_id, items in grouped.items():
            start, end = by_pk[report_id]
            for i, row in enumerate(items):
                share = i / (len(items) - 1) if len(items) > 1 else 0.0
                for name in fields:
                    setattr(row, name, start + (end - start) * share)
        # Small batches: each batch is one CASE expression, evaluated per row.
        model.objects.bulk_update(rows, list(fields), batch_size=100)

    spread(ReportEvent, ("created_at",))
    spread(ReportMessage, ("created_at", "updated_at"))
    spread(ReportSupport, ("created_at", "updated_at"))

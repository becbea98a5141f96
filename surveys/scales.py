"""Answer scales of the Veiligheidsmonitor conventions (domain.md §2.2, §8).

Every closed scale is an ordered tuple of `ScalePoint`s: a stable value stored in the
answer, Dutch and English labels and, for ordinal scales, a score (higher = more positive)
used for the 0–10 scale scores of domain.md §9 (I10, I11). Values never change once a
survey uses them; labels may be reworded.
"""

from dataclasses import dataclass

from django.utils.translation import get_language

# Any question with `allow_dont_know` accepts this value (for grids: per row).
DONT_KNOW = "weet_niet"
DONT_KNOW_LABEL = "Weet niet / n.v.t."
DONT_KNOW_LABEL_EN = "Don't know / not applicable"


@dataclass(frozen=True)
class ScalePoint:
    value: str
    label: str
    label_en: str
    score: int | None = None

    def as_option(self) -> dict[str, str]:
        return {"value": self.value, "label": self.label, "label_en": self.label_en}

    @property
    def localized_label(self) -> str:
        english = (get_language() or "nl").startswith("en")
        return self.label_en if english and self.label_en else self.label


AGREE_5: tuple[ScalePoint, ...] = (
    ScalePoint("helemaal_eens", "Helemaal mee eens", "Strongly agree", 4),
    ScalePoint("eens", "Mee eens", "Agree", 3),
    ScalePoint("neutraal", "Niet eens, niet oneens", "Neither agree nor disagree", 2),
    ScalePoint("oneens", "Mee oneens", "Disagree", 1),
    ScalePoint("helemaal_oneens", "Helemaal mee oneens", "Strongly disagree", 0),
)
SATISFIED_5: tuple[ScalePoint, ...] = (
    ScalePoint("zeer_tevreden", "Zeer tevreden", "Very satisfied", 4),
    ScalePoint("tevreden", "Tevreden", "Satisfied", 3),
    ScalePoint(
        "neutraal", "Niet tevreden, niet ontevreden", "Neither satisfied nor dissatisfied", 2
    ),
    ScalePoint("ontevreden", "Ontevreden", "Dissatisfied", 1),
    ScalePoint("zeer_ontevreden", "Zeer ontevreden", "Very dissatisfied", 0),
)
FREQUENCY: tuple[ScalePoint, ...] = (
    ScalePoint("vaak", "Vaak", "Often", 2),
    ScalePoint("soms", "Soms", "Sometimes", 1),
    ScalePoint("nooit", "(Bijna) nooit", "(Almost) never", 0),
)
YES_NO: tuple[ScalePoint, ...] = (
    ScalePoint("ja", "Ja", "Yes"),
    ScalePoint("nee", "Nee", "No"),
)
# Two-step overlast grid: "komt dit voor?" then, when it does, how much nuisance.
OCCURS: tuple[ScalePoint, ...] = (
    ScalePoint("ja", "Komt voor", "Occurs"),
    ScalePoint("nee", "Komt niet voor", "Does not occur"),
)
NUISANCE: tuple[ScalePoint, ...] = (
    ScalePoint("veel", "Veel overlast", "A lot of nuisance", 2),
    ScalePoint("een_beetje", "Een beetje overlast", "Some nuisance", 1),
    ScalePoint("geen", "Geen overlast", "No nuisance", 0),
)
OCCURS_KEY = "komt_voor"
NUISANCE_KEY = "overlast"

# Scales by the name used in Question.type / Question.scale.
SCALES: dict[str, tuple[ScalePoint, ...]] = {
    "agree_5": AGREE_5,
    "satisfied_5": SATISFIED_5,
    "frequency": FREQUENCY,
    "yes_no": YES_NO,
}
# The "positive" answers of the 5-point scales (I14, I15: "% (helemaal) eens / (zeer) tevreden").
POSITIVE: dict[str, frozenset[str]] = {
    "agree_5": frozenset({"helemaal_eens", "eens"}),
    "satisfied_5": frozenset({"zeer_tevreden", "tevreden"}),
}
SCALE_MAX_SCORE: dict[str, int] = {"agree_5": 4, "satisfied_5": 4}

# CBS buurtoverlast clusters (domain.md §2.3); the cluster of a row is data on the row, so a
# survey may move an item (the Caribbean variant does).
OVERLAST_CLUSTERS: dict[str, tuple[str, str]] = {
    "fysieke_verloedering": ("Fysieke verloedering", "Physical decay"),
    "sociale_overlast": ("Sociale overlast", "Social nuisance"),
    "verkeersoverlast": ("Verkeersoverlast", "Traffic nuisance"),
    "overige": ("Overige overlast", "Other nuisance"),
}


def scale_values(name: str) -> list[str]:
    return [p.value for p in SCALES[name]]


def scale_score(name: str, value: str) -> int | None:
    for point in SCALES.get(name, ()):
        if point.value == value:
            return point.score
    return None

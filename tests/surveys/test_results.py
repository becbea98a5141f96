"""Results on tiny hand-made response sets whose right answers are worked out by hand in the
comments: distributions, means, overlast items and clusters (I5–I9), scale scores with
reverse coding (I11), suppression thresholds, breakdowns and open answers (k ≥ 5)."""

import pytest

from surveys.models import OpenAnswerModeration, Response
from surveys.results import indicators_compute, survey_results
from surveys.selectors import survey_version_published
from surveys.services import open_answer_moderate
from tests.geo.factories import AreaFactory
from tests.participation.factories import BurgerpanelFactory, UserFactory
from tests.surveys.helpers import build_survey, member, q, submit_open, submit_panel

pytestmark = pytest.mark.django_db

JA_NEE = [{"value": "ja", "label": "Ja"}, {"value": "nee", "label": "Nee"}]
OVERLAST_ROWS = [
    {"key": "rommel", "label": "Rommel", "cluster": "fysieke_verloedering"},
    {"key": "hondenpoep", "label": "Hondenpoep", "cluster": "fysieke_verloedering"},
    {"key": "drugs", "label": "Drugs", "cluster": "sociale_overlast"},
    {"key": "te_hard", "label": "Te hard rijden", "cluster": "verkeersoverlast"},
]
COHESION_ROWS = [
    {"key": "kennen", "label": "Kennen elkaar nauwelijks", "reverse": True},
    {"key": "prettig", "label": "Prettig"},
    {"key": "thuis", "label": "Thuis"},
]
VICTIM_ROWS = [{"key": "inbraak", "label": "Inbraak"}, {"key": "fiets", "label": "Fiets"}]


def indicator_survey():
    return build_survey(
        questions=[
            q("F", type="frequency", allow_dont_know=True, indicator_codes=["I1", "I2"]),
            q("K", type="mark_1_10", allow_dont_know=True, indicator_codes=["I3"]),
            q("O", type="overlast_grid", rows=OVERLAST_ROWS, allow_dont_know=True,
              indicator_codes=["I5", "I6", "I7", "I8", "I9"]),
            q("C", type="grid", scale="agree_5", rows=COHESION_ROWS, allow_dont_know=True,
              indicator_codes=["I11"]),
            q("G", type="grid", scale="yes_no", rows=VICTIM_ROWS, indicator_codes=["I12"]),
            q("A", options=JA_NEE, indicator_codes=["I13"],
              condition={"question": "G", "operator": "equals", "value": "ja"}),
            q("S", type="satisfied_5", allow_dont_know=True, indicator_codes=["I15"]),
            q("M", type="multiple_choice", indicator_codes=["I17"]),
        ]
    )  # fmt: skip


def ov(rommel, hondenpoep, drugs, te_hard):
    """Overlast answers: "nee", "wn" (weet niet) or the level when it occurs."""

    def one(v):
        if v == "wn":
            return "weet_niet"
        return {"komt_voor": "nee"} if v == "nee" else {"komt_voor": "ja", "overlast": v}

    return {
        "rommel": one(rommel),
        "hondenpoep": one(hondenpoep),
        "drugs": one(drugs),
        "te_hard": one(te_hard),
    }


def coh(kennen, prettig, thuis):
    return {"kennen": kennen, "prettig": prettig, "thuis": thuis}


H_EENS, EENS, NEUTR, ONEENS, H_ONEENS, WN = (
    "helemaal_eens", "eens", "neutraal", "oneens", "helemaal_oneens", "weet_niet",
)  # fmt: skip

# Ten respondents. Worked-out figures are in the test below.
RESPONDENTS = [
    {"F": "vaak", "K": 6, "O": ov("veel", "nee", "nee", "veel"),
     "C": coh(H_EENS, H_EENS, H_EENS), "G": {"inbraak": "ja", "fiets": "nee"}, "A": "ja",
     "S": "zeer_tevreden", "M": ["a", "b"]},
    {"F": "vaak", "K": 7, "O": ov("een_beetje", "veel", "nee", "geen"),
     "C": coh(H_ONEENS, EENS, EENS), "G": {"inbraak": "nee", "fiets": "nee"},
     "S": "tevreden", "M": ["a"]},
    {"F": "soms", "K": 8, "O": ov("nee", "nee", "nee", "nee"),
     "C": coh(NEUTR, NEUTR, NEUTR), "G": {"inbraak": "nee", "fiets": "ja"}, "A": "nee",
     "S": "neutraal", "M": ["b", "c"]},
    {"F": "soms", "K": 9, "O": ov("nee", "nee", "nee", "nee"),
     "C": coh(WN, EENS, ONEENS), "G": {"inbraak": "nee", "fiets": "nee"},
     "S": "ontevreden", "M": ["a", "c"]},
    {"F": "soms", "K": 10, "O": ov("wn", "nee", "veel", "nee"),
     "C": coh(ONEENS, H_EENS, EENS), "G": {"inbraak": "nee", "fiets": "nee"},
     "S": "tevreden", "M": ["a"]},
    {"F": "nooit", "K": 5, "O": ov("geen", "een_beetje", "een_beetje", "veel"),
     "C": coh(EENS, ONEENS, H_ONEENS), "G": {"inbraak": "ja", "fiets": "ja"}, "A": "ja",
     "S": "weet_niet"},
    {"F": "nooit", "K": 7, "O": ov("nee", "nee", "nee", "nee"),
     "C": coh(H_ONEENS, H_EENS, H_EENS)},
    {"F": "nooit", "K": 8, "O": ov("nee", "nee", "nee", "een_beetje"), "M": ["c"]},
    {"F": "weet_niet", "K": "weet_niet", "O": ov("wn", "wn", "wn", "wn"), "M": ["a", "b", "c"]},
    {"F": "weet_niet", "O": ov("veel", "nee", "nee", "nee")},
]  # fmt: skip


@pytest.fixture
def results(settings):
    settings.SURVEYS_MIN_CELL_N = 5
    survey = indicator_survey()
    for answers in RESPONDENTS:
        submit_open(survey, answers)
    return survey_results(version=survey_version_published(survey=survey))


def test_frequency_distribution_excludes_dont_know_from_the_base(results):
    f = results.questions["F"].distribution
    # 10 answers: vaak 2, soms 3, nooit 3, weet niet 2 → base 8.
    assert (f.n, f.dont_know) == (8, 2)
    assert {k: (c.count, c.percentage) for k, c in f.cells.items()} == {
        "vaak": (2, 25.0),
        "soms": (3, 37.5),
        "nooit": (3, 37.5),
    }
    assert results.n == 10
    assert results.indicative is True


def test_mark_mean(results):
    k = results.questions["K"].distribution
    # 6+7+8+9+10+5+7+8 = 60 over 8 valid marks (one weet niet, one unanswered).
    assert (k.mean.value, k.mean.n) == (7.5, 8)
    assert k.cells["7"].count == 2


def test_overlast_per_item(results):
    rows = results.questions["O"].overlast_rows
    # rommel: valid "komt voor" answers 8 (two weet niet), occurs for 4; veel for 2 of 8.
    assert (rows["rommel"].occurs.value, rows["rommel"].occurs.n) == (50.0, 8)
    assert (rows["rommel"].much.value, rows["rommel"].much.n) == (25.0, 8)
    # hondenpoep: 9 valid, occurs 2 → 22.2%, veel 1 → 11.1%.
    assert (rows["hondenpoep"].occurs.value, rows["hondenpoep"].much.value) == (22.2, 11.1)
    # te hard rijden: 9 valid, occurs 4 → 44.4%, veel 2 → 22.2%.
    assert (rows["te_hard"].occurs.value, rows["te_hard"].much.value) == (44.4, 22.2)
    levels = rows["te_hard"].levels
    assert {k: c.count for k, c in levels.cells.items()} == {
        "niet": 5,
        "veel": 2,
        "een_beetje": 1,
        "geen": 1,
    }


def test_overlast_clusters_count_respondents_with_at_least_one_item(results):
    clusters = results.questions["O"].clusters
    # fysieke verloedering (rommel, hondenpoep): 9 respondents with a valid item;
    # ≥1 occurs: r1, r2, r6, r10 → 4/9; ≥1 "veel": r1, r2, r10 → 3/9.
    assert (
        clusters["fysieke_verloedering"].occurs.value,
        clusters["fysieke_verloedering"].occurs.n,
    ) == (44.4, 9)
    assert clusters["fysieke_verloedering"].much.value == 33.3
    assert (clusters["sociale_overlast"].occurs.value, clusters["sociale_overlast"].much.value) == (
        22.2,
        11.1,
    )
    assert clusters["verkeersoverlast"].much.value == 22.2
    # totaal: ≥1 occurs: r1, r2, r5, r6, r8, r10 → 6/9; ≥1 veel: r1, r2, r5, r6, r10 → 5/9.
    assert (clusters["totaal"].occurs.value, clusters["totaal"].much.value) == (66.7, 55.6)
    assert "overige" not in clusters  # no row of that cluster in this questionnaire


def test_scale_score_reverse_codes_the_negative_statement(results):
    score = results.questions["C"].scale_score
    # Per respondent 10·mean/4 with "kennen" reversed; r4 has only 2 valid items (excluded):
    # r1 6.667, r2 8.333, r3 5, r5 8.333, r6 1.667, r7 10 → 40/6.
    assert (score.value, score.n) == (6.67, 6)
    # "prettig" (helemaal) eens: r1, r2, r4, r5, r7 → 5 of 7.
    assert results.questions["C"].rows["prettig"].positive.value == 71.4


def test_indicators_from_the_tagged_questions(results):
    values = {(v.code, v.key): v for v in indicators_compute(questions=results.questions)}
    assert values[("I1", "")].value == 62.5
    assert values[("I2", "")].value == 25.0
    assert values[("I3", "")].value == 7.5
    assert values[("I5", "fysieke_verloedering")].value == 33.3
    assert values[("I6", "sociale_overlast")].value == 11.1
    assert values[("I7", "verkeersoverlast")].value == 22.2
    assert values[("I8", "totaal")].value == 55.6
    assert values[("I9", "fysieke_verloedering")].value == 44.4
    assert values[("I11", "")].value == 6.67
    # I12: ≥1 "ja" among the 6 who answered the victim grid: r1, r3, r6.
    assert (values[("I12", "")].value, values[("I12", "")].n) == (50.0, 6)
    assert values[("I12", "fiets")].value == 33.3
    # I13: only r1, r3, r6 saw A (condition) – 3 < 5, so suppressed.
    assert values[("I13", "")].suppressed is True
    assert values[("I13", "")].value is None
    # I15: tevreden or zeer tevreden: 3 of 5 valid (one weet niet).
    assert values[("I15", "")].value == 60.0
    # I17: 7 respondents chose: a 5 (71.4), c 4 (57.1), b 3 (42.9) – ranked.
    ranked = [v.key for v in indicators_compute(questions=results.questions) if v.code == "I17"]
    assert ranked == ["a", "c", "b"]
    assert values[("I17", "a")].value == 71.4


def test_hidden_question_answers_do_not_count(results):
    a = results.questions["A"].distribution
    assert a.suppressed is True  # base 3 < 5
    assert a.n is None
    assert a.cells["ja"].count is None


# --- Thresholds -----------------------------------------------------------------------------


def simple_survey(**kwargs):
    return build_survey(questions=[q("F", type="frequency"), q("K", type="mark_1_10")], **kwargs)


def test_default_threshold_suppresses_below_10_respondents():
    survey = simple_survey()
    for _ in range(9):
        submit_open(survey, {"F": "vaak", "K": 8})
    version = survey_version_published(survey=survey)
    results = survey_results(version=version)
    assert results.min_cell_n == 10
    assert (results.n, results.suppressed) == (None, True)
    f = results.questions["F"].distribution
    assert (f.n, f.suppressed) == (None, True)
    assert all(c.count is None and c.percentage is None and c.suppressed for c in f.cells.values())
    assert results.questions["K"].distribution.mean.value is None
    assert results.questions["K"].distribution.mean.suppressed is True

    submit_open(survey, {"F": "soms", "K": 6})
    results = survey_results(version=version)
    assert results.n == 10
    assert results.questions["F"].distribution.cells["vaak"].percentage == 90.0
    assert results.questions["K"].distribution.mean.value == 7.8


def test_threshold_is_a_setting(settings):
    settings.SURVEYS_MIN_CELL_N = 3
    survey = simple_survey()
    for mark in (4, 6, 8):
        submit_open(survey, {"F": "nooit", "K": mark})
    results = survey_results(version=survey_version_published(survey=survey))
    assert results.questions["K"].distribution.mean.value == 6.0
    settings.SURVEYS_MIN_CELL_N = 4
    results = survey_results(version=survey_version_published(survey=survey))
    assert results.questions["K"].distribution.mean.value is None


def test_area_answers_suppress_each_small_area(settings):
    settings.SURVEYS_MIN_CELL_N = 2
    big = AreaFactory(code="BU05469000", col=0)
    small = AreaFactory(code="BU05469001", col=1)
    survey = build_survey(questions=[q("B", type="buurt_choice")])
    for code in (big.code, big.code, big.code, small.code):
        submit_open(survey, {"B": code})
    cells = survey_results(version=survey_version_published(survey=survey)).questions["B"]
    assert cells.distribution.cells[big.code].count == 3
    assert cells.distribution.cells[small.code].suppressed is True


def test_breakdown_by_buurt_and_wijk_with_complementary_suppression(settings):
    settings.SURVEYS_MIN_CELL_N = 3
    a = AreaFactory(code="BU05469000", col=0)
    b = AreaFactory(code="BU05469001", col=1)
    c = AreaFactory(code="BU05469100", col=2)
    survey = build_survey(
        questions=[q("F", type="frequency"), q("B", type="buurt_choice", profile_field="buurt")]
    )
    for buurt, count in ((a, 5), (b, 3), (c, 2)):
        for _ in range(count):
            submit_open(survey, {"F": "vaak", "B": buurt.code})
    version = survey_version_published(survey=survey)

    by_buurt = {g.code: g for g in survey_results(version=version, breakdown="buurt").groups}
    assert by_buurt[a.code].n == 5
    assert by_buurt[a.code].questions["F"].distribution.cells["vaak"].count == 5
    # c (2 < 3) is suppressed; b, the smallest published group, is suppressed as well so
    # that c cannot be computed as total − a − b.
    assert (by_buurt[c.code].suppressed, by_buurt[b.code].suppressed) == (True, True)
    assert by_buurt[b.code].questions == {}

    by_wijk = {g.code: g for g in survey_results(version=version, breakdown="wijk").groups}
    # WK054690 = a + b (8), WK054691 = c (2): with two groups, hiding one hides both.
    assert set(by_wijk) == {"WK054690", "WK054691"}
    assert all(g.suppressed for g in by_wijk.values())


def test_breakdown_keeps_respondents_without_a_buurt_as_a_group(settings):
    settings.SURVEYS_MIN_CELL_N = 2
    survey = simple_survey()
    for _ in range(3):
        submit_open(survey, {"F": "vaak"})
    groups = survey_results(version=survey_version_published(survey=survey), breakdown="buurt")
    assert [(g.code, g.n) for g in groups.groups] == [("onbekend", 3)]


def test_channel_filter_and_panel_results_are_not_indicative(settings):
    settings.SURVEYS_MIN_CELL_N = 1
    panel = BurgerpanelFactory()
    survey = build_survey(questions=[q("F", type="frequency")], panel=panel)
    submit_open(survey, {"F": "vaak"})
    submit_panel(survey, member(panel), {"F": "nooit"})
    version = survey_version_published(survey=survey)
    assert survey_results(version=version).n == 2
    panel_only = survey_results(version=version, channel=Response.Channel.PANEL)
    assert panel_only.indicative is False
    assert panel_only.questions["F"].distribution.cells["nooit"].count == 1
    assert panel_only.questions["F"].distribution.cells["vaak"].count == 0


def test_unsubmitted_responses_do_not_count(settings):
    from surveys.services import response_save_answers, response_start_open

    settings.SURVEYS_MIN_CELL_N = 1
    survey = simple_survey()
    submit_open(survey, {"F": "vaak"})
    start = response_start_open(survey=survey, device_id="device-unsubmitted")
    response_save_answers(response=start.response, answers={"F": "nooit"})
    f = survey_results(version=survey_version_published(survey=survey)).questions["F"]
    assert f.distribution.n == 1
    assert f.distribution.cells["nooit"].count == 0


def test_number_questions_publish_only_the_mean(settings):
    settings.SURVEYS_MIN_CELL_N = 2
    survey = build_survey(questions=[q("N", type="number", min_value=0, max_value=100)])
    for value in (1, 2, 6):
        submit_open(survey, {"N": value})
    n = survey_results(version=survey_version_published(survey=survey)).questions["N"]
    assert n.distribution.mean.value == 3.0
    assert n.distribution.cells == {}


# --- Open answers ---------------------------------------------------------------------------


def test_open_answers_need_moderation_and_five_respondents(settings):
    settings.SURVEYS_MIN_CELL_N = 1
    moderator = UserFactory()
    survey = build_survey(questions=[q("T", type="open_text")])
    texts = ["Meer licht", "Jan de Vries op nr. 4 maakt herrie", "Hondenpoep", "Hard rijden"]
    for text in texts:
        submit_open(survey, {"T": text})
    version = survey_version_published(survey=survey)
    queue = {m.answer.value: m for m in OpenAnswerModeration.objects.all()}
    open_answer_moderate(moderation=queue["Meer licht"], moderator=moderator, decision="approved")
    open_answer_moderate(
        moderation=queue["Jan de Vries op nr. 4 maakt herrie"],
        moderator=moderator,
        decision="approved",
        public_text="[naam] maakt herrie",
    )
    open_answer_moderate(moderation=queue["Hondenpoep"], moderator=moderator, decision="rejected")

    # 4 respondents < k = 5: nothing is shown, although two answers are approved.
    t = survey_results(version=version).questions["T"]
    assert (t.open_answers, t.open_answers_suppressed) == (None, True)

    submit_open(survey, {"T": "Graffiti"})
    t = survey_results(version=version).questions["T"]
    assert t.open_answers_suppressed is False
    # Only approved answers, only as public text (pending "Hard rijden", "Graffiti" not).
    assert t.open_answers == ["Meer licht", "[naam] maakt herrie"]


def test_open_answers_k_is_a_setting(settings):
    settings.SURVEYS_MIN_CELL_N = 1
    settings.SURVEYS_MIN_OPEN_K = 2
    survey = build_survey(questions=[q("T", type="open_text")])
    for text in ("Een", "Twee"):
        submit_open(survey, {"T": text})
    for moderation in OpenAnswerModeration.objects.all():
        open_answer_moderate(moderation=moderation, moderator=UserFactory(), decision="approved")
    t = survey_results(version=survey_version_published(survey=survey)).questions["T"]
    assert t.open_answers == ["Een", "Twee"]

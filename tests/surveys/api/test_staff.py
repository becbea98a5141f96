"""Staff endpoints: survey list, results per question and response rates (policy staff and
administrators, with a session confirmed by TOTP)."""

import pytest

from core.api import MfaConfirmedPermission
from surveys.models import Survey
from surveys.services import invitation_create
from tests.surveys.api.conftest import RESULTS_ROLES, ROLES
from tests.surveys.helpers import member, q, submit_open, submit_panel
from tests.surveys.weighting_helpers import gemeente_and_wijk_1, young_and_old

pytestmark = pytest.mark.django_db

LIST = "/api/v1/surveys/staff/surveys/"


def results_url(survey: Survey, query: str = "") -> str:
    return f"/api/v1/surveys/staff/surveys/{survey.slug}/results/{query}"


def rates_url(survey: Survey) -> str:
    return f"/api/v1/surveys/staff/surveys/{survey.slug}/response-rates/"


@pytest.fixture
def open_survey(make_survey, buurten):
    """12 respondents in buurt BU05469000, 3 in BU05469001 and 10 in BU05469100."""
    survey = make_survey(
        questions=[
            q("Q1", required=True),
            q("M", "mark_1_10"),
            q("B3", "buurt_choice", profile_field="buurt"),
        ]
    )
    for i in range(12):
        submit_open(survey, {"Q1": "a" if i < 9 else "b", "M": 6 + i % 3, "B3": "BU05469000"})
    for _ in range(3):
        submit_open(survey, {"Q1": "c", "M": 3, "B3": "BU05469001"})
    for _ in range(10):
        submit_open(survey, {"Q1": "b", "M": 5, "B3": "BU05469100"})
    return survey


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ["list", "results", "rates"])
def test_permission_matrix(client_as, open_survey, role, endpoint):
    # given
    path = {"list": LIST, "results": results_url(open_survey), "rates": rates_url(open_survey)}

    # when
    response = client_as(role).get(path[endpoint])

    # then
    assert response.status_code == (200 if role in RESULTS_ROLES else 403)


@pytest.mark.parametrize("role", sorted(RESULTS_ROLES))
@pytest.mark.parametrize("endpoint", ["list", "results", "rates"])
def test_staff_session_without_second_factor_is_refused(client_as, open_survey, role, endpoint):
    path = {"list": LIST, "results": results_url(open_survey), "rates": rates_url(open_survey)}

    response = client_as(role, mfa=False).get(path[endpoint])

    assert response.status_code == 403
    assert response.json()["detail"] == str(MfaConfirmedPermission.message)


def test_unknown_survey_is_404_for_staff_but_403_for_others(client_as):
    assert (
        client_as("policy_staff").get("/api/v1/surveys/staff/surveys/nope/results/").status_code
        == 404
    )
    assert (
        client_as("resident").get("/api/v1/surveys/staff/surveys/nope/results/").status_code == 403
    )


def test_survey_list_shows_counts_and_versions(client_as, open_survey, make_survey):
    make_survey(questions=[q("Q1")], publish=False)

    data = client_as("policy_staff").get(LIST).json()

    by_slug = {row["slug"]: row for row in data}
    assert by_slug[open_survey.slug]["responses_submitted"] == 25
    assert by_slug[open_survey.slug]["published_version"] == 1
    assert by_slug[open_survey.slug]["status"] == "published"
    drafts = [row for row in data if row["status"] == "draft"]
    assert drafts
    assert drafts[0]["published_version"] is None
    filtered = client_as("policy_staff").get(LIST, {"status": "draft"}).json()
    assert {row["status"] for row in filtered} == {"draft"}


def test_results_per_question_with_suppressed_small_cells(client_as, open_survey):
    # when
    data = client_as("policy_staff").get(results_url(open_survey)).json()

    # then: the survey as a whole (25 respondents) is published
    assert data["n"] == 25
    assert data["indicative"] is True
    assert data["min_cell_n"] == 10
    q1 = data["questions"]["Q1"]["distribution"]
    assert q1["n"] == 25
    assert q1["cells"]["a"] == {
        "count": 9, "percentage": 36.0, "suppressed": False, "weighted_percentage": None,
    }  # fmt: skip
    assert data["questions"]["M"]["distribution"]["mean"]["suppressed"] is False
    # the buurt with 3 answers is suppressed as an area cell
    buurten = data["questions"]["B3"]["distribution"]["cells"]
    assert buurten["BU05469000"]["count"] == 12
    assert buurten["BU05469001"] == {
        "count": None, "percentage": None, "suppressed": True, "weighted_percentage": None,
    }  # fmt: skip


def test_results_breakdown_suppresses_small_groups(client_as, open_survey):
    data = client_as("administrator").get(results_url(open_survey, "?breakdown=buurt")).json()

    # then: BU05469001 (3) is suppressed, and BU05469100 (10) too, or 25 − 12 − 10 would
    # reveal it (complementary suppression)
    groups = {g["code"]: g for g in data["groups"]}
    assert groups["BU05469100"]["suppressed"] is True
    assert groups["BU05469000"]["n"] == 12
    assert groups["BU05469000"]["questions"]["Q1"]["distribution"]["cells"]["a"]["count"] == 9
    assert groups["BU05469001"] == {
        "code": "BU05469001",
        "n": None,
        "n_eff": None,
        "suppressed": True,
        "questions": {},
        "indicators": [],
    }


def test_results_below_the_threshold_reveal_nothing(client_as, make_survey):
    survey = make_survey(questions=[q("Q1", required=True)])
    for _ in range(4):
        submit_open(survey, {"Q1": "a"})

    data = client_as("policy_staff").get(results_url(survey)).json()

    assert data["n"] is None
    assert data["suppressed"] is True
    assert data["questions"]["Q1"]["distribution"]["cells"]["a"]["count"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [("?breakdown=gemeente", "breakdown"), ("?channel=post", "channel"), ("?version=0", "version"),
     ("?version=7", "version"), ("?version=x", "version")],
)  # fmt: skip
def test_results_bad_parameters_name_the_field(client_as, open_survey, query, field):
    response = client_as("policy_staff").get(results_url(open_survey, query))

    assert response.status_code == 400
    assert field in response.json()


def test_indicators_are_included(client_as, make_survey):
    survey = make_survey(questions=[q("Q3", "frequency", indicator_codes=["I1", "I2"])])
    for i in range(10):
        submit_open(survey, {"Q3": "vaak" if i < 2 else "soms" if i < 5 else "nooit"})

    data = client_as("policy_staff").get(results_url(survey)).json()

    values = {i["code"]: i["value"] for i in data["indicators"]}
    assert values == {"I1": 50.0, "I2": 20.0}


def test_response_rates_of_a_panel_survey_by_buurt_and_age_band(client_as, panel_survey, buurten):
    # given: 12 members aged 25–44 invited in each of two buurten; 8 and 6 answer
    survey, panel = panel_survey(questions=[q("Q1")])
    for buurt, answering in ((buurten[0], 8), (buurten[1], 6)):
        for i in range(12):
            m = member(panel, buurt=buurt, age_band="25-44")
            if i < answering:
                submit_panel(survey, m, {"Q1": "a"})
            else:
                invitation_create(survey=survey, membership=m)

    # when
    data = client_as("policy_staff").get(rates_url(survey)).json()

    # then
    assert data["kind"] == "invitations"
    assert data["age_bands"] == ["15-24", "25-44", "45-64", "65+"]
    rows = {r["buurt"]: r for r in data["rows"]}
    assert rows["BU05469000"]["cells"]["25-44"] == {
        "base": 12,
        "started": 8,
        "responded": 8,
        "rate": 66.7,
        "suppressed": False,
    }
    assert rows["BU05469001"]["total"]["rate"] == 50.0
    assert data["age_band_totals"]["25-44"]["responded"] == 14
    assert data["total"] == {
        "base": 24,
        "started": 14,
        "responded": 14,
        "rate": 58.3,
        "suppressed": False,
    }


def test_response_rates_suppress_small_cells_and_what_would_reveal_them(
    client_as, panel_survey, buurten
):
    # given: in one buurt 12 invited aged 25–44 and 3 aged 65+
    survey, panel = panel_survey(questions=[q("Q1")])
    for band, count in (("25-44", 12), ("65+", 3)):
        for _ in range(count):
            membership = member(panel, buurt=buurten[0], age_band=band)
            invitation_create(survey=survey, membership=membership)

    # when
    data = client_as("policy_staff").get(rates_url(survey)).json()

    # then: 65+ is too small; 25–44 would reveal it through the buurt total
    row = data["rows"][0]
    assert row["cells"]["65+"]["base"] is None
    assert row["cells"]["65+"]["suppressed"] is True
    assert row["cells"]["25-44"]["suppressed"] is True
    # the 65+ column holds only the suppressed cell, so its total is withheld too
    assert data["age_band_totals"]["65+"]["suppressed"] is True
    assert row["total"]["base"] == 15


def test_response_rates_of_an_open_survey_count_responses(client_as, open_survey):
    data = client_as("policy_staff").get(rates_url(open_survey)).json()

    assert data["kind"] == "responses"
    assert data["total"]["base"] == 25
    assert data["total"]["rate"] is None
    rows = {r["buurt"]: r for r in data["rows"]}
    assert rows["BU05469001"]["total"]["suppressed"] is True


def test_results_carry_weighting_intervals_and_effective_n(client_as, buurten):
    # The hand-checked case of tests/surveys/test_results_weighted.py: 6 young and 14 old
    # panel members, population half young: weights 5/3 and 5/7, n_eff 16.8.
    gemeente_and_wijk_1()
    survey = young_and_old(buurten)

    data = client_as("policy_staff").get(results_url(survey, "?breakdown=wijk")).json()

    weighting = data["weighting"]
    assert weighting["weighted"] is True
    assert weighting["reason"] == ""
    assert weighting["population_year"] == 2024
    assert weighting["margins"] == ["wijk", "age_band", "sex"]
    assert (weighting["n"], weighting["n_eff"]) == (20, 16.8)
    assert (weighting["weight_min"], weighting["weight_max"]) == (0.714, 1.667)
    assert weighting["left_out"] == {"wijk": 0, "age_band": 0, "sex": 0}
    assert (data["n"], data["n_eff"]) == (20, 16.8)
    i1 = next(i for i in data["indicators"] if i["code"] == "I1")
    assert i1 == {
        "code": "I1", "question": "F", "key": "", "value": 50.0, "n": 20, "suppressed": False,
        "unit": "percent", "ci_low": 28.4, "ci_high": 71.6, "n_eff": 16.8, "weighted": True,
        "unweighted_value": 30.0,
    }  # fmt: skip
    cell = data["questions"]["F"]["distribution"]["cells"]["vaak"]
    assert cell == {"count": 6, "percentage": 30.0, "suppressed": False,
                    "weighted_percentage": 50.0}  # fmt: skip
    mean = data["questions"]["K"]["distribution"]["mean"]
    assert (mean["value"], mean["ci_low"], mean["ci_high"], mean["unweighted_value"]) == (
        7.5, 6.76, 8.24, 6.9,
    )  # fmt: skip
    assert data["questions"]["Y"]["distribution"]["suppressed"] is True  # unweighted n = 6
    group = data["groups"][0]
    assert (group["code"], group["n"], group["n_eff"]) == ("WK054690", 20, 16.8)


def test_unweighted_results_say_why(client_as, make_survey):
    survey = make_survey(questions=[q("Q3", "frequency", indicator_codes=["I1"])])
    for i in range(10):
        submit_open(survey, {"Q3": "vaak" if i < 5 else "nooit"})

    data = client_as("policy_staff").get(results_url(survey)).json()

    assert data["weighting"]["weighted"] is False
    assert data["weighting"]["reason"] == "no_population"
    assert data["weighting"]["reason_message"]
    (i1,) = data["indicators"]
    # Wilson on n = 10 for 50 %: 23.7–76.3.
    assert (i1["value"], i1["ci_low"], i1["ci_high"], i1["n_eff"]) == (50.0, 23.7, 76.3, 10.0)
    assert i1["weighted"] is False

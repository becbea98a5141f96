"""Evidence from surveys for the veiligheidsplan: the weighted indicators with their
intervals, published figures only, and a source that says how they were weighted."""

import pytest

from participation.services import evidence_attach, evidence_verify, plan_create
from surveys.evidence import survey_indicators_evidence
from surveys.selectors import survey_version_published, survey_versions_with_responses
from tests.surveys.weighting_helpers import gemeente_and_wijk_1, young_and_old

pytestmark = pytest.mark.django_db


def _by_code(draft):
    return {(row.get("area"), row["code"]): row for row in draft.payload["rows"] if row.get("code")}


def test_weighted_indicators_with_intervals_and_their_source(buurten):
    gemeente_and_wijk_1()
    survey = young_and_old(buurten)
    version = survey_version_published(survey=survey)

    draft = survey_indicators_evidence(version=version, channel="panel", codes=("I1", "I3"))

    rows = _by_code(draft)
    assert set(rows) == {(None, "I1"), (None, "I3")}
    i1 = rows[(None, "I1")]
    assert (i1["value"], i1["ci_low"], i1["ci_high"], i1["n"], i1["n_eff"]) == (
        50.0,
        28.4,
        71.6,
        20,
        17.0,
    )
    assert i1["unit"] == "%"
    assert i1["indicator"].startswith("I1 Voelt zich wel eens onveilig")
    assert i1["indicator_en"].startswith("I1 ")
    weighting = draft.source["weighting"]
    assert weighting["weighted"] is True
    assert weighting["population_year"] == 2024
    assert weighting["margins"] == ["wijk", "leeftijdsgroep", "geslacht"]
    assert draft.source["respondents"] == 20
    assert draft.source["disclosure"]["min_n"] == 10
    assert draft.source["survey"]["version"] == version.number
    assert "gewogen" in draft.title


def test_without_population_figures_the_block_says_unweighted_and_why(buurten):
    survey = young_and_old(buurten)
    draft = survey_indicators_evidence(
        version=survey_version_published(survey=survey), channel="panel", codes=("I1",)
    )
    assert draft.source["weighting"]["weighted"] is False
    assert draft.source["weighting"]["reason"] == "no_population"
    assert draft.source["weighting"]["reason_text"]
    assert "ongewogen" in draft.title
    assert _by_code(draft)[(None, "I1")]["value"] == 30.0


def test_small_groups_are_withheld_per_wijk(buurten):
    gemeente_and_wijk_1()
    survey = young_and_old(buurten, young=3, old=4)  # 7 respondents: under the minimum n
    draft = survey_indicators_evidence(
        version=survey_version_published(survey=survey), channel="panel", breakdown="wijk"
    )
    values = [row["value"] for row in draft.payload["rows"] if row.get("code")]
    assert values
    assert all(value is None for value in values)
    assert [row["about"] for row in draft.payload["rows"] if not row.get("code")] == [
        "minder dan de minimale n"
    ]


def test_a_frozen_survey_block_verifies(buurten):
    gemeente_and_wijk_1()
    young_and_old(buurten)
    version = survey_versions_with_responses().get()
    assert version.submitted == 20
    plan = plan_create(municipality_code="GM0546", title="IVP", start_year=2027, end_year=2030)
    draft = survey_indicators_evidence(version=version, channel="panel")
    block = evidence_attach(plan=plan, created_by=None, **draft.as_kwargs())
    assert block.kind == "survey_indicators"
    assert evidence_verify(block=block)


def test_an_unknown_breakdown_is_refused(buurten):
    survey = young_and_old(buurten)
    with pytest.raises(ValueError, match="buurt"):
        survey_indicators_evidence(
            version=survey_version_published(survey=survey), breakdown="buurt"
        )

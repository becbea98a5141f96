# ruff: noqa: F811 (fixtures imported from test_analysis)
"""Evidence from reports for the veiligheidsplan: published figures only, never confidential
categories, and a source that lets the block stand on its own."""

import json

import pytest

from geo.codes import AreaLevel
from participation.services import evidence_attach, evidence_verify, plan_create
from reports.evidence import report_rates_evidence
from tests.reports.test_analysis import (  # noqa: F401 (fixtures)
    PERIOD,
    WITH_CONFIDENTIAL,
    _on,
    populated,
    reported,
)

pytestmark = pytest.mark.django_db


def _rows(draft):
    return {row["area"].rsplit("(", 1)[1].rstrip(")"): row for row in draft.payload["rows"]}


def test_evidence_holds_published_figures_only(reported):
    draft = report_rates_evidence(filters=PERIOD, level=AreaLevel.WIJK, municipality_code="GM0546")

    rows = _rows(draft)
    assert rows["WK054690"]["reports"] == 15  # 13, rounded
    assert rows["WK054690"]["rate"] == 3.8
    assert rows["WK054691"]["reports"] is None  # 3: withheld
    assert rows["WK054691"]["rate"] is None
    assert draft.payload["total"]["area"] == "Testdorp (GM0546)"
    assert "13" not in json.dumps(draft.payload)  # no exact count anywhere


def test_evidence_never_counts_confidential_categories(reported):
    asked = report_rates_evidence(
        filters=WITH_CONFIDENTIAL, level=AreaLevel.WIJK, municipality_code="GM0546"
    )
    plain = report_rates_evidence(filters=PERIOD, level=AreaLevel.WIJK, municipality_code="GM0546")
    assert asked.payload["rows"] == plain.payload["rows"]
    assert "confidential" not in asked.source["filters"]["sensitivities"]


def test_evidence_source_says_what_when_and_how(reported, categories):
    filters = PERIOD.__class__(**{**PERIOD.__dict__, "category": "jongerenoverlast"})
    draft = report_rates_evidence(
        filters=filters,
        level=AreaLevel.BUURT,
        municipality_code="GM0546",
        area_codes=frozenset({"WK054691"}),
    )

    source = draft.source
    assert source["indicator"] == "I18"
    assert source["period"] == {"from": "2026-01-01", "to": "2026-06-30"}
    assert source["previous_period"] == {"from": "2025-07-04", "to": "2025-12-31"}
    assert source["filters"]["category"] == "jongerenoverlast"
    assert source["filters"]["areas"] == ["WK054691"]
    assert source["population"]["years"] == [2024]
    assert source["disclosure"]["min_count"] == 5
    assert "Overlast door jongeren" in source["description"]
    assert draft.title.startswith(
        "Meldingen per 1.000 inwoners per buurt, 01-01-2026 t/m 30-06-2026"
    )
    assert draft.payload["notes"] == {"BU05469101": "water"}


def test_a_frozen_block_keeps_the_figures_after_the_data_changes(reported, town, categories):
    plan = plan_create(municipality_code="GM0546", title="IVP", start_year=2027, end_year=2030)
    draft = report_rates_evidence(filters=PERIOD, level=AreaLevel.WIJK, municipality_code="GM0546")
    block = evidence_attach(plan=plan, created_by=None, **draft.__dict__)

    for _ in range(20):
        _on(PERIOD.date_from, buurt=town.buurten[0], category=categories["zwerfafval"])
    again = report_rates_evidence(filters=PERIOD, level=AreaLevel.WIJK, municipality_code="GM0546")

    block.refresh_from_db()
    assert _rows(again)["WK054690"]["reports"] == 35
    assert block.payload["rows"] == draft.payload["rows"]
    assert evidence_verify(block=block)

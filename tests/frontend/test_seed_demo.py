"""`manage.py seed_demo`: the whole Leiden demo through the services, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from geo.codes import AreaLevel
from geo.models import Area, AreaPopulation
from participation.models import EvidenceBlock, PlanGoal, SafetyPlan, Theme, User
from reports.models import Report, ReportCategory
from surveys.models import Response, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_accounts_allowed(settings):
    settings.BUURTSTEM_DEMO_ACCOUNTS = True


def _seed(**options) -> str:
    options.setdefault("panel_members", 0)  # the surveys demo has its own tests
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "wijken": Area.objects.filter(level=AreaLevel.WIJK).count(),
        "buurten": Area.objects.filter(level=AreaLevel.BUURT).count(),
        "population": AreaPopulation.objects.count(),
        "themes": Theme.objects.count(),
        "categories": ReportCategory.objects.count(),
        "users": User.objects.count(),
        "reports": Report.objects.count(),
        "plans": SafetyPlan.objects.count(),
        "evidence": EvidenceBlock.objects.count(),
    }


def test_seed_demo_loads_leiden_taxonomy_categories_accounts_and_reports():
    text = _seed(reports=120)

    counts = _counts()
    assert counts["wijken"] == 10
    assert counts["buurten"] == 54
    assert counts["population"] > 0
    assert counts["themes"] > 0
    assert counts["categories"] > 0
    assert counts["reports"] == 120
    # Every demo report got its buurt at write time, inside Leiden.
    assert not Report.objects.filter(buurt__isnull=True).exists()
    assert set(Report.objects.values_list("buurt__code", flat=True)) <= set(
        Area.objects.filter(level=AreaLevel.BUURT).values_list("code", flat=True)
    )
    assert "beleid@buurtstem.test" in text
    assert "120 created" in text


def test_seed_demo_includes_a_demo_burgerpanel_with_two_survey_waves():
    text = _seed(reports=0, panel_members=40)

    assert Survey.objects.count() == 2
    assert Response.objects.filter(submitted_at__isnull=False).exists()
    assert "Demo burgerpanel" in text
    # the demo plan takes its feeling-of-safety goal from the latest wave
    survey_block = EvidenceBlock.objects.get(kind="survey_indicators")
    assert survey_block.goal.indicator_code == "I1"
    assert survey_block.source["survey"]["title"].endswith("2025")


def test_seed_demo_twice_creates_nothing_new():
    _seed(reports=40)
    before = _counts()

    text = _seed(reports=40)

    assert _counts() == before
    assert "reports: 0 created" in text


def test_seed_demo_if_empty_leaves_an_existing_database_alone_but_prints_the_accounts():
    _seed(reports=0)
    before = _counts()

    text = _seed(if_empty=True, reports=40)

    assert _counts() == before
    assert "Database already has data" in text
    assert "beleid@buurtstem.test" in text


def test_seed_demo_includes_a_draft_veiligheidsplan_with_evidence_from_the_reports():
    text = _seed(reports=600)

    plan = SafetyPlan.objects.get()
    assert plan.is_draft
    assert "Demo veiligheidsplan" in text
    assert plan.priorities.count() == 3
    goal = PlanGoal.objects.get()
    assert goal.indicator_code == "I18"
    assert goal.baseline_value is not None
    assert goal.target_value < goal.baseline_value
    blocks = list(EvidenceBlock.objects.all())
    assert len(blocks) == 2
    assert all(block.payload["rows"] for block in blocks)
    assert all(block.source["disclosure"]["min_count"] == 5 for block in blocks)

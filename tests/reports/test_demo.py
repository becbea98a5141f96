"""Leiden demo reports: plausible, deterministic, consistent and idempotent."""

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured

from reports.demo import PROFILES, _Planner, reports_demo_seed
from reports.models import Report, ReportEvent

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("UTC"))
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def plan(leiden):
    """A 3 000-report plan (computed, nothing written)."""
    return _Planner(np.random.default_rng(7), NOW).plan(3000)


def test_reports_demo_seed_creates_consistent_reports_and_is_idempotent(leiden):
    # when
    created = reports_demo_seed(count=150, seed=3, now=NOW)
    again = reports_demo_seed(count=150, seed=3, now=NOW)
    # then
    assert created == 150
    assert again == 0
    reports = list(Report.objects.select_related("buurt", "category"))
    assert len(reports) == 150
    for report in reports:
        assert report.external_id.startswith("demo-")
        assert report.buurt.code.startswith("BU0546")
        assert report.contact_email == ""
        assert report.reporter_id is None
        assert NOW - timedelta(days=731) <= report.created_at <= NOW
        assert (report.closed_at is not None) is (report.status in Report.CLOSED_STATUSES)
        if report.closed_at:
            assert report.created_at <= report.closed_at <= NOW
        if report.status == Report.Status.FORWARDED:
            assert report.partner
        if report.duplicate_of_id:
            assert report.status == Report.Status.CANCELLED
    assert {r.category.sensitivity for r in reports} >= {"public", "restricted"}


def test_reports_demo_seed_keeps_audit_trail_in_order_of_the_backdated_timeline(leiden):
    reports_demo_seed(count=80, seed=5, now=NOW)
    for report in Report.objects.all():
        events = list(ReportEvent.objects.filter(report=report).order_by("pk"))
        assert events[0].action == "report.created"
        assert events[0].created_at == report.created_at
        times = [e.created_at for e in events]
        assert times == sorted(times)
        assert times[-1] <= NOW


def test_reports_demo_seed_supports_only_open_public_reports(leiden):
    reports_demo_seed(count=200, seed=11, now=NOW)
    supported = Report.objects.filter(support_count__gt=0).select_related("category")
    assert supported.exists()
    for report in supported:
        assert report.category.sensitivity == "public"
        assert report.support_count == report.supports.count()


def test_reports_demo_seed_refuses_when_municipality_is_not_leiden(leiden, settings):
    settings.BUURTSTEM_MUNICIPALITY_CODE = "GM0363"
    with pytest.raises(ImproperlyConfigured):
        reports_demo_seed(count=10, now=NOW)
    assert not Report.objects.exists()


def test_demo_plan_is_the_same_when_seed_and_now_are_the_same(leiden):
    def key(seed):
        return [
            (p.profile.slug, p.created_at, p.lat, p.lon, p.status, p.duplicate_of)
            for p in _Planner(np.random.default_rng(seed), NOW).plan(300)
        ]

    assert key(1) == key(1)
    assert key(1) != key(2)


def _local(items):
    return [p.created_at.astimezone(AMS) for p in items]


def _of(plan, slug):
    return [p for p in plan if p.profile.slug == slug]


def test_demo_plan_peaks_fireworks_around_new_year(plan):
    moments = _local(_of(plan, "vuurwerkoverlast"))
    around = [m for m in moments if (m.month, m.day) >= (12, 26) or (m.month, m.day) <= (1, 2)]
    assert len(around) / len(moments) > 0.4  # 8 of 365 days


def test_demo_plan_puts_horeca_at_weekend_nights_in_the_centre(plan):
    items = _of(plan, "horeca-overlast")
    moments = _local(items)
    weekend = [m for m in moments if m.weekday() in (4, 5, 6)]
    night = [m for m in moments if m.hour >= 22 or m.hour < 5]
    assert len(weekend) / len(moments) > 0.6
    assert len(night) / len(moments) > 0.6
    centre = [p for p in items if 52.154 < p.lat < 52.164 and 4.482 < p.lon < 4.497]
    assert len(centre) / len(items) > 0.8


def test_demo_plan_puts_youth_nuisance_on_summer_evenings_and_dark_spots_in_winter(plan):
    youth = _local(_of(plan, "jongerenoverlast"))
    summer = [m for m in youth if m.month in (5, 6, 7, 8, 9)]
    evening = [m for m in youth if m.hour >= 17]
    assert len(summer) / len(youth) > 0.55
    assert len(evening) / len(youth) > 0.6
    dark = Counter(m.month for m in _local(_of(plan, "verlichting-donkere-plek")))
    assert dark[12] + dark[1] > 3 * (dark[6] + dark[7])


def test_demo_plan_covers_every_category_with_handling_partners_and_duplicates(plan):
    assert {p.profile.slug for p in plan} == {p.slug for p in PROFILES}
    statuses = Counter(p.status for p in plan)
    assert statuses[Report.Status.RESOLVED] > statuses[Report.Status.FORWARDED] > 0
    assert statuses[Report.Status.NEW] + statuses[Report.Status.IN_PROGRESS] > 0
    forwarded = [p for p in plan if p.status == Report.Status.FORWARDED]
    assert all(p.partner in p.profile.partners for p in forwarded)
    duplicates = [p for p in plan if p.duplicate_of is not None]
    assert len(duplicates) > 20
    for dup in duplicates:
        original = plan[dup.duplicate_of]
        assert original.profile is dup.profile
        assert timedelta(0) <= dup.created_at - original.created_at <= timedelta(days=5)
    moderated = Counter(p.moderation for p in plan)
    assert moderated["approved"] > moderated["redacted"] > moderated["rejected"] > 0

"""The intake reads categories from a per-process cache: no category queries per report, a
change made in this process applies at once, one made elsewhere within the cache period."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.exceptions import DomainError
from reports import selectors
from reports.models import ReportCategory
from reports.services import category_for_intake, report_create
from tests.reports.conftest import point

pytestmark = pytest.mark.django_db

INSIDE = point(1)


def _file(slug="zwerfafval"):
    return report_create(
        category_slug=slug,
        description="Afval naast de bank.",
        lat=INSIDE[0],
        lon=INSIDE[1],
    )


def _category_queries(queries):
    return [q["sql"] for q in queries if "reports_reportcategory" in q["sql"]]


def test_filing_reports_reads_the_categories_once(town, categories):
    # given
    _file()

    # when
    with CaptureQueriesContext(connection) as queries:
        _file()
        _file("vuurwerkoverlast")
        with pytest.raises(DomainError):
            category_for_intake(slug="bestaat-niet")

    # then
    assert _category_queries(queries.captured_queries) == []


def test_saving_a_category_applies_to_the_next_report_at_once(town, categories):
    # given
    _file()

    # when
    categories["zwerfafval"].is_active = False
    categories["zwerfafval"].save()

    # then
    with pytest.raises(DomainError) as exc_info:
        _file()
    assert exc_info.value.code == "category_unavailable"


def test_deleting_a_category_applies_at_once(town, categories):
    # given: the cache is loaded (a category with reports cannot be deleted)
    _file()

    # when
    categories["vuurwerkoverlast"].delete()

    # then
    with pytest.raises(DomainError) as exc_info:
        _file("vuurwerkoverlast")
    assert exc_info.value.code == "category_unavailable"


def test_a_change_the_process_did_not_see_applies_after_the_cache_period(
    town, categories, settings, monkeypatch
):
    # given: a bulk update fires no signals, as a change made by another server process
    settings.REPORTS_CATEGORY_CACHE_SECONDS = 10
    clock = [1000.0]
    monkeypatch.setattr(selectors.monotonic_time, "monotonic", lambda: clock[0])
    _file()
    ReportCategory.objects.filter(slug="zwerfafval").update(is_active=False)

    # when / then: still cached within the period
    clock[0] += 9
    assert _file().created

    # when / then: reloaded after it
    clock[0] += 2
    with pytest.raises(DomainError) as exc_info:
        _file()
    assert exc_info.value.code == "category_unavailable"


def test_a_cache_period_of_zero_reads_the_categories_every_time(town, categories, settings):
    # given
    settings.REPORTS_CATEGORY_CACHE_SECONDS = 0
    _file()

    # when
    with CaptureQueriesContext(connection) as queries:
        _file()

    # then
    assert len(_category_queries(queries.captured_queries)) == 1
